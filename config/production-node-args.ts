/**
 * Node flags of the server in production (the Dockerfile's NODE_OPTIONS, `npm run start:prod`)
 * and in the benchmark, which must measure the server as it is deployed.
 *
 * The heap limit: with none, V8 sizes the old generation for a 24 GiB machine and lets it grow
 * under load long before it collects, although a server holds little (about 45 MiB live after
 * start-up). Measured at scale M (B3, 2026-12-03): peak RSS under the mixed load 389 MiB
 * without the limit, 215 MiB with 160 MiB, at the same throughput and 6% more server CPU per
 * request. 192 MiB leaves room for bursts; raise it with NODE_OPTIONS where an instance must
 * hold more (a larger vault key cache, say).
 */
export const PRODUCTION_NODE_ARGS = ['--max-old-space-size=192'] as const;
