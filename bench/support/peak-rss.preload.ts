import { writeFileSync } from 'node:fs';

/**
 * Loaded with `node --import` into a child process a suite measures: on exit it writes the
 * process's peak resident set size (process.resourceUsage().maxRSS, KiB) to the file named by
 * BENCH_PEAK_RSS_FILE, so the parent learns the child's true peak, not a sampled one.
 */
const target = process.env.BENCH_PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
