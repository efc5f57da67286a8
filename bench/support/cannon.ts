import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { summarise, Tally, type LoadResult } from './load-result.js';
import type { WorkloadRequest } from './mixed-workload.js';

export interface CannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  readonly overallRate?: number;
  /** One request of a mix per call; unset: GET `path` every time. */
  readonly next?: () => WorkloadRequest;
  readonly path?: string;
}

interface Context {
  kind?: string;
  sentAt?: number;
}

/**
 * One autocannon run (closed loop: each connection sends its next request when the previous
 * one is answered). Latency is kept per kind of request: setupRequest builds each request just
 * before it is written, and onResponse sees the same per-connection context, so the two stamps
 * bracket that one request.
 */
export async function cannon(options: CannonOptions): Promise<LoadResult> {
  const byKind = new Map<string, Tally>();
  const tally = (kind: string) => {
    let t = byKind.get(kind);
    if (!t) byKind.set(kind, (t = new Tally()));
    return t;
  };
  const request: autocannon.Request = {
    method: 'GET',
    path: options.path ?? '/',
    setupRequest: (base, context) => {
      const ctx = context as Context;
      ctx.sentAt = performance.now();
      if (!options.next) {
        ctx.kind = options.path;
        return base;
      }
      const r = options.next();
      ctx.kind = r.kind;
      return { ...base, method: r.method, path: r.path, headers: r.headers, body: r.body };
    },
    onResponse: (status, _body, context) => {
      const ctx = context as Context;
      if (ctx.kind !== undefined && ctx.sentAt !== undefined)
        tally(ctx.kind).record(status, performance.now() - ctx.sentAt);
    },
  };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.overallRate,
    requests: [request],
    timeout: 30,
  });
  return summarise(byKind, result.duration, result.errors);
}
