import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that can stop forwarding without closing anything: a stalled network (a hung
 * firewall, a partition) as the client sees it. Paused, it reads nothing from either side of any
 * connection and connects new ones to nothing, so a query sent is never answered and the server
 * never hears of it; resumed, whatever waited flows on.
 */
export class StallProxy {
  private paused = false;
  private readonly pairs = new Set<{ client: Socket; upstream?: Socket }>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<StallProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new StallProxy(server, port, target);
  }

  /** `url` with its host and port replaced by the proxy's. */
  route(url: string): string {
    const routed = new URL(url);
    routed.hostname = '127.0.0.1';
    routed.port = String(this.port);
    return routed.toString();
  }

  pause(): void {
    this.paused = true;
    this.pauseExisting();
  }

  /** Stalls the connections open now, but forwards new ones (a NAT that lost their state). */
  pauseExisting(): void {
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream?.pause();
    }
  }

  resume(): void {
    this.paused = false;
    for (const pair of this.pairs) {
      if (!pair.upstream) this.connectUpstream(pair);
      pair.client.resume();
      pair.upstream?.resume();
    }
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream?.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    const pair: { client: Socket; upstream?: Socket } = { client };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => {
      pair.upstream?.end();
      this.pairs.delete(pair);
    });
    if (this.paused) client.pause();
    else this.connectUpstream(pair);
  }

  private connectUpstream(pair: { client: Socket; upstream?: Socket }): void {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
    upstream.on('data', (chunk) => pair.client.write(chunk));
    pair.client.on('data', (chunk) => upstream.write(chunk));
    pair.client.on('end', () => upstream.end());
    if (this.paused) upstream.pause();
  }
}
