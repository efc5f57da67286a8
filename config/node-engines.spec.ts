import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import semver from 'semver';

interface LockedPackage {
  engines?: { node?: string };
}

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** The first release of each LTS line as LTS: a `node:<major>` image pulled now is no older. */
const LTS_START: Record<string, string> = { '22': '22.11.0', '24': '24.11.0' };

const imageMajor = () => /^FROM node:(\d+)/m.exec(read('Dockerfile'))?.[1] ?? '?';

/**
 * The Node versions the project runs on: the oldest its engines accept, the one running these
 * tests (the machines and CI), and the one of the Docker image.
 */
function supportedNodes(): string[] {
  const project: string = JSON.parse(read('package.json')).engines.node;
  const image = LTS_START[imageMajor()] ?? `${imageMajor()}.0.0`;
  return [semver.minVersion(project)!.version, process.versions.node, image];
}

describe("the dependencies' Node engines", () => {
  it('accept every Node the project runs on (npm warns EBADENGINE for those that do not)', () => {
    const lock: { packages: Record<string, LockedPackage> } = JSON.parse(read('package-lock.json'));
    const nodes = supportedNodes();
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.engines?.node)
      .flatMap(([path, entry]) =>
        nodes
          .filter((node) => !semver.satisfies(node, entry.engines!.node!))
          .map(
            (node) =>
              `${path.replace(/^.*node_modules\//, '')} ${entry.engines!.node} refuses ${node}`,
          ),
      );
    expect(refusing).toEqual([]);
  });

  it('run the Docker image on an LTS line that is still supported', () => {
    // Node 20 reached its end of life in April 2026.
    expect(Object.keys(LTS_START)).toContain(imageMajor());
  });
});
