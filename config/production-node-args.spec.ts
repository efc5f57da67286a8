import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { PRODUCTION_NODE_ARGS } from './production-node-args.js';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('the Node flags of the server in production', () => {
  it('are the same in the Docker image, in npm run start:prod and in the benchmark', () => {
    const flags = PRODUCTION_NODE_ARGS.join(' ');
    expect(/NODE_OPTIONS="([^"]*)"/.exec(read('Dockerfile'))?.[1]).toBe(flags);
    expect(JSON.parse(read('package.json')).scripts['start:prod']).toBe(
      `node ${flags} dist/src/main.js`,
    );
  });
});
