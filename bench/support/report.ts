import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Goal, ScaleSpec, SuiteResult } from './bench-context.js';

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly scale: ScaleSpec;
  readonly machine: Record<string, string | number>;
  readonly suites: SuiteResult[];
  /** Suites that threw: the run goes on and says so in the report. */
  readonly failures: Array<{ id: string; error: string }>;
}

const number = (value: number) =>
  Math.abs(value) >= 100
    ? Math.round(value).toLocaleString('en-US')
    : String(Number(value.toFixed(2)));

function goalLine(g: Goal): string {
  const sign = g.direction === 'at-least' ? '≥' : '≤';
  const distance = g.target === 0 ? '' : ` (${number((g.actual / g.target) * 100)}% of the target)`;
  return `| ${g.description} | ${number(g.actual)} | ${sign} ${number(g.target)} | ${g.met ? 'met' : '**missed**'}${distance} |`;
}

export function toMarkdown(report: BenchReport): string {
  const lines = [
    `# Benchmark report: scale ${report.scale.name}, ${report.startedAt.slice(0, 10)}`,
    '',
    `Run from ${report.startedAt} to ${report.finishedAt} with \`npm run bench${report.scale.name === 'S' ? '' : report.scale.name === 'smoke' ? ' -- --smoke' : ` -- --scale ${report.scale.name}`}\`.`,
    '',
    '| Machine | |',
    '| --- | --- |',
    ...Object.entries(report.machine).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '## Goals',
    '',
    '| Goal | Actual | Target | |',
    '| --- | --- | --- | --- |',
    ...report.suites.flatMap((s) =>
      s.goals.map((g) => goalLine({ ...g, description: `${s.id}: ${g.description}` })),
    ),
    '',
  ];
  for (const suite of report.suites) {
    lines.push(
      `## ${suite.id}: ${suite.title}`,
      '',
      '| Subject | Metric | Value | Unit |',
      '| --- | --- | --- | --- |',
    );
    for (const m of suite.measurements)
      lines.push(`| ${m.subject} | ${m.metric} | ${number(m.value)} | ${m.unit} |`);
    lines.push('');
    for (const note of suite.notes) lines.push(`- ${note}`);
    if (suite.notes.length) lines.push('');
  }
  if (report.failures.length) {
    lines.push('## Failed suites', '');
    for (const f of report.failures) lines.push(`- ${f.id}: ${f.error}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes `<dir>/<date>.json` and `<dir>/<date>.md`, plus `latest.md`; returns the paths. */
export function writeReport(report: BenchReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const date = report.startedAt.slice(0, 10);
  const json = join(dir, `${date}.json`);
  const markdown = join(dir, `${date}.md`);
  const text = toMarkdown(report);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, text);
  writeFileSync(join(dir, 'latest.md'), text);
  return [json, markdown];
}
