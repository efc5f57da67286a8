import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DirectorySink,
  SEALS_FILE,
  SealSinkError,
  sealSinkFromConfig,
  sealSinkUrlProblem,
  WebhookSink,
  type SinkSeal,
} from './seal-sink.js';
import { sealStatement } from './seal-statement.js';

const root = mkdtempSync(join(tmpdir(), 'seal-sink-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `sink-${(dirs += 1)}`);

function seal(size: number): SinkSeal {
  const fields = {
    sealId: randomUUID(),
    size,
    root: createHash('sha256').update(`tree of ${size}`).digest('hex'),
    sealedAt: new Date(Date.UTC(2027, 0, 15, 9, size)).toISOString(),
  };
  return {
    ...fields,
    keyId: 'q1J5n0aT3mYkR8pX2c4LfA',
    signature: 'A'.repeat(86),
    statement: sealStatement(fields),
  };
}

describe('DirectorySink', () => {
  it('creates its directory and appends one JSON line per seal, leaving what was there', async () => {
    const sink = new DirectorySink(join(freshDir(), 'nested', 'seals'));
    const [first, second] = [seal(1), seal(2)];
    await sink.write(first);
    const afterOne = readFileSync(sink.file, 'utf8');
    expect(afterOne).toBe(`${JSON.stringify(first)}\n`);

    await sink.write(second);
    const afterTwo = readFileSync(sink.file, 'utf8');
    expect(afterTwo.startsWith(afterOne)).toBe(true);
    expect(afterTwo.split('\n')).toHaveLength(3);
    expect(await sink.readAll()).toEqual({ seals: [first, second], problems: [] });
  });

  it('appends to a file another process wrote, and a new sink on the same directory too', async () => {
    const dir = freshDir();
    const before = seal(1);
    await new DirectorySink(dir).write(before);
    const restarted = new DirectorySink(dir);
    const after = seal(2);
    await restarted.write(after);
    expect((await restarted.readAll()).seals).toEqual([before, after]);
  });

  it('keeps concurrent writes whole and in the order they were made', async () => {
    const sink = new DirectorySink(freshDir());
    const seals = Array.from({ length: 20 }, (_, i) => seal(i));
    await Promise.all(seals.map((s) => sink.write(s)));
    expect(await sink.readAll()).toEqual({ seals, problems: [] });
  });

  it('keeps only the seal fields, in a fixed order', async () => {
    const sink = new DirectorySink(freshDir());
    const s = seal(3);
    const reordered = Object.fromEntries(Object.entries({ ...s, extra: 'no' }).reverse());
    await sink.write(reordered as unknown as SinkSeal);
    const [line] = readFileSync(sink.file, 'utf8').split('\n');
    expect(Object.keys(JSON.parse(line))).toEqual([
      'sealId',
      'size',
      'root',
      'sealedAt',
      'keyId',
      'signature',
      'statement',
    ]);
  });

  it('refuses to write a seal whose statement is not its fields, and writes nothing', async () => {
    const sink = new DirectorySink(freshDir());
    await expect(sink.write({ ...seal(1), size: 2 })).rejects.toThrow(
      /the statement is not that of its fields/,
    );
    await expect(sink.write({ ...seal(1), root: 'ab' })).rejects.toThrow(SealSinkError);
    // A refused write does not stop the next.
    await sink.write(seal(4));
    expect((await sink.readAll()).seals).toHaveLength(1);
  });

  it('reads an empty sink when there is no file yet', async () => {
    expect(await new DirectorySink(freshDir()).readAll()).toEqual({ seals: [], problems: [] });
  });

  it('reports every line that is not a seal, by its number, and still reads the others', async () => {
    const sink = new DirectorySink(freshDir());
    const [a, b, c] = [seal(1), seal(2), seal(3)];
    await sink.write(a);
    const { statement: _s, ...withoutStatement } = b;
    appendFileSync(
      sink.file,
      [
        'not json',
        JSON.stringify([1, 2]),
        JSON.stringify(withoutStatement),
        JSON.stringify({ ...b, size: 99 }),
        JSON.stringify({ ...b, note: 'x' }),
        JSON.stringify({ ...b, keyId: 7 }),
        '',
        JSON.stringify(b),
      ]
        .map((line) => `${line}\n`)
        .join(''),
    );
    await sink.write(c);
    appendFileSync(sink.file, JSON.stringify(seal(4)).slice(0, 30));
    const { seals, problems } = await sink.readAll();
    expect(seals).toEqual([a, b, c]);
    expect(problems).toEqual([
      { line: 2, problem: 'not JSON' },
      { line: 3, problem: 'not a JSON object' },
      { line: 4, problem: 'missing statement' },
      { line: 5, problem: 'the statement is not that of its fields' },
      { line: 6, problem: 'unknown field note' },
      { line: 7, problem: 'keyId is not a string' },
      { line: 8, problem: 'not JSON' },
      { line: 11, problem: 'the last line has no LF (a torn write)' },
    ]);
  });

  it('reports a file that is only a torn line', async () => {
    const dir = freshDir();
    const sink = new DirectorySink(dir);
    await sink.write(seal(1));
    writeFileSync(join(dir, SEALS_FILE), '{"sealId":');
    expect((await sink.readAll()).problems).toEqual([
      { line: 1, problem: 'the last line has no LF (a torn write)' },
    ]);
  });
});

describe('WebhookSink', () => {
  let server: Server;
  let base: string;
  const received: { method?: string; type?: string; body: string; url?: string }[] = [];
  const slow: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({
          method: request.method,
          type: request.headers['content-type'],
          body,
          url: request.url,
        });
        if (request.url?.startsWith('/ok')) response.writeHead(204).end();
        else if (request.url === '/accepted') response.writeHead(202).end('queued');
        else if (request.url === '/moved') {
          response.writeHead(302, { location: '/ok' }).end();
        } else if (request.url === '/slow')
          slow.push(setTimeout(() => response.writeHead(200).end(), 2000));
        else response.writeHead(500).end('broken');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    slow.forEach(clearTimeout);
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('POSTs the seal as JSON and resolves on a 2xx', async () => {
    const s = seal(5);
    received.length = 0;
    await new WebhookSink(`${base}/ok`, { timeoutMs: 1000 }).write(s);
    await new WebhookSink(`${base}/accepted`, { timeoutMs: 1000 }).write(s);
    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({ method: 'POST', type: 'application/json' });
    expect(JSON.parse(received[0].body)).toEqual(s);
  });

  it('rejects on a 500, naming the status but not the query (which may hold a token)', async () => {
    const attempt = new WebhookSink(`${base}/broken?token=secret`, { timeoutMs: 1000 }).write(
      seal(6),
    );
    await expect(attempt).rejects.toThrow(SealSinkError);
    await expect(attempt).rejects.toThrow(/answered 500/);
    await expect(attempt).rejects.not.toThrow(/secret/);
  });

  it('rejects on a redirect rather than following it', async () => {
    received.length = 0;
    await expect(
      new WebhookSink(`${base}/moved`, { timeoutMs: 1000 }).write(seal(7)),
    ).rejects.toThrow(/answered 302/);
    expect(received.map((r) => r.url)).toEqual(['/moved']);
  });

  it('rejects when no answer comes within the timeout', async () => {
    const started = Date.now();
    await expect(
      new WebhookSink(`${base}/slow`, { timeoutMs: 200 }).write(seal(8)),
    ).rejects.toThrow(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    await expect(
      new WebhookSink(`http://127.0.0.1:${port}/`, { timeoutMs: 1000 }).write(seal(9)),
    ).rejects.toThrow(SealSinkError);
  });

  it('sends nothing for a seal that is not one', async () => {
    received.length = 0;
    await expect(
      new WebhookSink(`${base}/ok`, { timeoutMs: 1000 }).write({ ...seal(1), size: -1 }),
    ).rejects.toThrow(SealSinkError);
    expect(received).toHaveLength(0);
  });
});

describe('sealSinkFromConfig', () => {
  it('keeps development seals under DATA_DIR/seals unless configured', () => {
    const dataDir = freshDir();
    const sink = sealSinkFromConfig({ dataDir, production: false });
    expect(sink).toBeInstanceOf(DirectorySink);
    expect((sink as DirectorySink).file).toBe(join(dataDir, 'seals', SEALS_FILE));
  });

  it('refuses production without a sink', () => {
    const attempt = () => sealSinkFromConfig({ dataDir: freshDir(), production: true });
    expect(attempt).toThrow(SealSinkError);
    expect(attempt).toThrow(/AUDIT_SEAL_SINK: required in production/);
  });

  it('makes a directory sink of a file:// URL and a webhook of an http(s) URL', () => {
    const dir = freshDir();
    const file = sealSinkFromConfig({
      sink: pathToFileURL(dir).href,
      dataDir: root,
      production: true,
    });
    expect(file).toBeInstanceOf(DirectorySink);
    expect((file as DirectorySink).dir).toBe(dir);
    for (const url of ['https://seals.example.nl/hook', 'http://localhost:8080/seals']) {
      const hook = sealSinkFromConfig({ sink: url, dataDir: root, production: true });
      expect(hook).toBeInstanceOf(WebhookSink);
      expect((hook as WebhookSink).url).toBe(url);
    }
  });

  it('refuses any other URL', () => {
    for (const url of [
      'seals',
      '/var/seals',
      'file://host/var/seals',
      'file:///var/seals?x=1',
      'ftp://example.nl/seals',
      's3://bucket/seals',
      'http://',
      'mailto:audit@example.nl',
    ]) {
      expect(sealSinkUrlProblem(url)).toEqual(expect.any(String));
      expect(() => sealSinkFromConfig({ sink: url, dataDir: root, production: false })).toThrow(
        /AUDIT_SEAL_SINK: /,
      );
    }
    expect(sealSinkUrlProblem('file:///var/seals')).toBeUndefined();
    expect(sealSinkUrlProblem('https://seals.example.nl/hook?token=x')).toBeUndefined();
  });
});
