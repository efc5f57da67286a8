import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Summarises a V8 CPU profile (node --cpu-prof) of a bench server: self time per function and
 * per source area (our folders, each package in node_modules, node internals, GC, idle), over the
 * whole profile or only its last seconds (the load runs after start-up and catch-up, which
 * would otherwise dominate).
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [--last 30] [--top 25]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return '(gc)';
  if (name === '(idle)' || name === '(program)') return name;
  if (!url) return '(native)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1];
  const ours = url.match(/\/dist\/((?:src|libs|config)\/[^/]+)/);
  if (ours) return ours[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return url;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { last: { type: 'string' }, top: { type: 'string', default: '25' } },
  });
  const [file] = positionals;
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [--last s] [--top n]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta));
  const from = values.last ? profile.endTime - Number(values.last) * 1e6 : profile.startTime;

  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (times[i] < from) return;
    const duration = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = `${name} ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    selfByFunction.set(where, (selfByFunction.get(where) ?? 0) + duration);
    const area = areaOf(url, name);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + duration);
    total += duration;
  });
  const top = Number(values.top);
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`,
      );
    }
  };
  console.log(`${(total / 1000).toFixed(1)} s of samples`);
  print('self time by area', selfByArea);
  print('self time by function', selfByFunction);
}

main();
