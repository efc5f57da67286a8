import type { Suite } from '../support/bench-context.js';

/** Every suite, in the order `npm run bench` runs them. */
export const SUITES: Suite[] = [];
