/**
 * CPU time of the processes under load, read from /proc (Linux): user + system time of every thread of a
 * process — what its own process.cpuUsage() would say — at the kernel's clock-tick resolution (10 ms;
 * a timed run costs seconds of CPU, so that is well under 1%). Elsewhere the figures are left out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface Stat {
  ppid: number;
  /** utime + stime, in ticks. */
  own: number;
  /** cutime + cstime: children that have exited and been waited for, in ticks. */
  reaped: number;
}

function stat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime…cstime fields 14–17.
  const n = (field: number) => Number(fields[field - 3]);
  return { ppid: n(4), own: n(14) + n(15), reaped: n(16) + n(17) };
}

export function cpuTimeAvailable(): boolean {
  return existsSync('/proc/self/stat');
}

/** CPU µs used so far by one process (all its threads). */
export function processCpuMicros(pid: number): number | null {
  const s = stat(pid);
  return s ? (s.own * 1e6) / clockTicks() : null;
}

/**
 * CPU µs used so far by a process and all its children, live or exited (a PostgreSQL server: the
 * postmaster and its backends; a backend that ended is counted in the postmaster's reaped time).
 */
export function processTreeCpuMicros(rootPid: number): number | null {
  const root = stat(rootPid);
  if (!root) return null;
  let ticks = root.own + root.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = stat(Number(entry));
    if (child && child.ppid === rootPid) ticks += child.own + child.reaped;
  }
  return (ticks * 1e6) / clockTicks();
}

/** The postmaster of a PostgreSQL data directory (its postmaster.pid), if it runs on this machine. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && stat(pid) ? pid : null;
  } catch {
    return null;
  }
}
