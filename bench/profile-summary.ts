/**
 * `node -r @swc-node/register bench/profile-summary.ts <file.cpuprofile> [--top N]`
 * (or `npm run bench:profile -- <file> [--top N]`)
 *
 * What a V8 CPU profile (`npm run bench -- api --cpu-prof`, or `node --cpu-prof`) spent its time on:
 * self time grouped by where the code lives (a package under node_modules, a Node.js module, a file of
 * the app, GC, native), then the top functions by self time, then the app's own functions by inclusive
 * time (their callees counted in). Idle time is left out of every share, and so is the bench's probe
 * stopping the profiler.
 *
 * The profiler samples wall time on the main thread: on a loaded machine a process descheduled inside a
 * system call (a socket write that wakes PostgreSQL or the load generator) is counted in that call, so
 * `writev` / `writeString` stand for "talking to another process" as much as for CPU. The bench's
 * `cpu_us` is the CPU time.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: `pkg:<name>`, `node:<module>`, `app:<file>`, or a V8 pseudo-frame. */
export function groupOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return `pkg:${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.startsWith('node:')) {
    const path = url.slice('node:'.length).replace(/^internal\//, '');
    return `node:${path.split('/')[0]}`;
  }
  const app = /\/(dist|src|bench|test)\/(.*?)(\.[cm]?[jt]s)?$/.exec(url);
  return app ? `app:${app[2]}` : url;
}

function functionLabel(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${groupOf(frame)}:${frame.lineNumber + 1}`;
}

export interface ProfileSummary {
  /** Sampled time, idle excluded, in ms. */
  busyMs: number;
  idleMs: number;
  groups: Array<{ name: string; ms: number; share: number }>;
  functions: Array<{ name: string; ms: number; share: number }>;
  /** The app's own functions (app:…), inclusive of what they call. */
  appInclusive: Array<{ name: string; ms: number; share: number }>;
}

export function summariseProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // The bench's probe (bench/app-probe.cjs) stopping the profiler is not the app's work.
  const probe = new Map<number, boolean>();
  const inProbe = (id: number): boolean => {
    let known = probe.get(id);
    if (known === undefined) {
      const up = parent.get(id);
      known = byId.get(id)!.callFrame.url.endsWith('/app-probe.cjs') || (up !== undefined && inProbe(up));
      probe.set(id, known);
    }
    return known;
  };
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    if (inProbe(id)) continue;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let idle = 0;
  let busy = 0;
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const group = groupOf(frame);
    groups.set(group, (groups.get(group) ?? 0) + micros);
    const label = functionLabel(frame);
    functions.set(label, (functions.get(label) ?? 0) + micros);
    // Each app function on this stack once (recursion counted once), with this sample's time.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (!groupOf(f).startsWith('app:')) continue;
      const name = functionLabel(f);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  }
  const ranked = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: busy ? micros / busy : 0 }));
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    groups: ranked(groups, top),
    functions: ranked(functions, top),
    appInclusive: ranked(inclusive, top),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const rows = (items: ProfileSummary['groups']) =>
    items.map(
      (i) => `  ${(i.share * 100).toFixed(1).padStart(5)}%  ${i.ms.toFixed(0).padStart(7)} ms  ${i.name}`,
    );
  return [
    `busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (shares are of busy time)`,
    'self time by package / module / file:',
    ...rows(summary.groups),
    'top functions by self time:',
    ...rows(summary.functions),
    "the app's functions by inclusive time:",
    ...rows(summary.appInclusive),
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 15;
  if (args.length === 0 || !Number.isInteger(top) || top <= 0) {
    console.error('usage: bench/profile-summary.ts <file.cpuprofile>… [--top N]');
    process.exit(2);
  }
  for (const file of args) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`== ${file}\n${formatSummary(summariseProfile(profile, top))}\n`);
  }
}
