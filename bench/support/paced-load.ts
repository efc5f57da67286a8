import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { summarise, Tally, type LoadResult } from './load-result.js';
import type { WorkloadRequest } from './mixed-workload.js';

export interface PacedOptions {
  readonly url: string;
  /** Most requests in flight (keep-alive sockets); more wait their turn, and that wait counts. */
  readonly connections: number;
  readonly seconds: number;
  readonly rate: number;
  readonly next: () => WorkloadRequest;
}

/**
 * Open loop at a steady rate: request i is due at start + i / rate whatever happened to the
 * ones before, and its latency runs from that moment, so time spent waiting for a free socket
 * counts (no coordinated omission). autocannon's own rate limit sends each connection's quota
 * for the second as one burst at the start of that second, which is full load for part of the
 * second and idle for the rest; this spreads the same rate evenly.
 */
export async function pacedLoad(options: PacedOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const byKind = new Map<string, Tally>();
  let errors = 0;
  let inFlight = 0;
  const start = performance.now();
  const end = start + options.seconds * 1000;
  let sent = 0;

  const send = (due: number) => {
    const r = options.next();
    let t = byKind.get(r.kind);
    if (!t) byKind.set(r.kind, (t = new Tally()));
    const tally = t;
    inFlight += 1;
    // Each request ends once: answered, or failed (refused, reset, timed out) before or after
    // its response began.
    let settled = false;
    const settle = (status?: number) => {
      if (settled) return;
      settled = true;
      inFlight -= 1;
      if (status === undefined) errors += 1;
      else tally.record(status, performance.now() - due);
    };
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: r.method,
        path: r.path,
        headers: r.body ? { ...r.headers, 'content-length': Buffer.byteLength(r.body) } : r.headers,
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => settle(res.statusCode ?? 0));
        res.on('error', () => settle());
      },
    );
    // The timeout option only reports; without destroy a hung request would be waited for.
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => settle());
    req.end(r.body);
  };

  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      const dueCount = Math.floor(((Math.min(now, end) - start) / 1000) * options.rate);
      while (sent < dueCount) send(start + (sent++ / options.rate) * 1000);
      // A timer, not setImmediate: a spinning loop would take a core from the server.
      if (now < end) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  // Let what was sent be answered; its latency is part of the run.
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  agent.destroy();
  return summarise(byKind, options.seconds, errors);
}
