import type { DestinationStream } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  err?: { stack?: string };
  [field: string]: unknown;
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** A pino destination that keeps every line, for tests that assert what was logged. */
export class LogLines implements DestinationStream {
  readonly lines: LogLine[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
  }

  at(level: keyof typeof LEVELS): LogLine[] {
    return this.lines.filter((line) => line.level === LEVELS[level]);
  }

  /** Lines at `level` or above. */
  atLeast(level: keyof typeof LEVELS): LogLine[] {
    return this.lines.filter((line) => line.level >= LEVELS[level]);
  }
}
