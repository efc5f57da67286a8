import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

interface Stat {
  readonly ppid: number;
  /** utime + stime, ms. */
  readonly cpuMs: number;
  /** cutime + cstime, ms: what its children that have exited (and were reaped) used. */
  readonly childrenMs: number;
}

/**
 * /proc/<pid>/stat: ppid is field 4, utime and stime fields 14 and 15, cutime and cstime 16 and
 * 17, in clock ticks (100 a second on Linux). The name in field 2 may hold spaces, so count from after its ") ".
 */
function stat(pid: number): Stat | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return {
      ppid: Number(fields[1]),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
      childrenMs: (Number(fields[13]) + Number(fields[14])) * 10,
    };
  } catch {
    return undefined;
  }
}

export function processCpuMs(pid: number): number {
  const s = stat(pid);
  if (!s) throw new Error(`no process ${pid}`);
  return s.cpuMs;
}

/**
 * CPU used so far by the PostgreSQL server behind `adminUrl` (postmaster and every backend and
 * worker it forked, live or exited), when it runs on this machine; undefined otherwise.
 */
export async function postgresCpu(adminUrl: string): Promise<(() => number) | undefined> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let postmaster: number | undefined;
  try {
    const { pid } = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0];
    // While this backend lives: its parent is the postmaster.
    postmaster = stat(pid)?.ppid;
  } finally {
    await client.end();
  }
  if (postmaster === undefined) return undefined;
  return () => {
    // A backend that exited is in the postmaster's children time once reaped.
    const own = stat(postmaster);
    let total = own ? own.cpuMs + own.childrenMs : 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const s = stat(Number(entry));
      if (s?.ppid === postmaster) total += s.cpuMs;
    }
    return total;
  };
}
