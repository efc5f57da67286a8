import type { Suite } from '../support/bench-context.js';
import { b1AppendSuite } from './b1-append.suite.js';
import { b2RebuildSuite } from './b2-rebuild.suite.js';
import { b3HttpSuite } from './b3-http.suite.js';
import { b4TimeTravelSuite } from './b4-time-travel.suite.js';
import { b5GrowthSuite } from './b5-growth.suite.js';
import { b6TamperEvidenceSuite } from './b6-tamper-evidence.suite.js';

/** Every suite, in the order `npm run bench` runs them (B3 serves the data set B2 rebuilt). */
export const SUITES: Suite[] = [
  b1AppendSuite,
  b2RebuildSuite,
  b3HttpSuite,
  b4TimeTravelSuite,
  b5GrowthSuite,
  b6TamperEvidenceSuite,
];
