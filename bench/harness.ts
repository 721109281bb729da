/**
 * What every benchmark gets: a scratch database (migrated, dropped afterwards), the configuration,
 * options from the command line, and `report` to print one `name value` line per figure.
 */
import { DataSource } from 'typeorm';
import { AppConfig } from '../src/config';

export interface BenchOptions {
  /** Scale knob: documents/rows to generate (each benchmark documents its default). */
  docs?: number;
  /** How many timed queries/operations. */
  queries?: number;
  /** PRNG seed, so runs are comparable. */
  seed: number;
  /** Length of each timed load run, in seconds (the api benchmark; default 10). */
  seconds: number;
  /** `--only a,b`: the lines (figures) of a benchmark to run, where it has several (the api benchmark). */
  only?: string[];
  /** `--cpu-prof`: where to write a V8 CPU profile of the app per timed line (the api benchmark). */
  cpuProfileDir?: string;
}

export interface BenchContext {
  config: AppConfig;
  /** Initialised on the scratch database, migrations applied. */
  dataSource: DataSource;
  /** Connection URL of the scratch database (for a child process: an app under test). */
  databaseUrl: string;
  /** The embedded PostgreSQL's data directory (none for a configured server): whose CPU time to read. */
  databaseDataDir?: string;
  options: BenchOptions;
  /** Prints `name value` on stdout: the machine-readable result. */
  report(name: string, value: number | string, digits?: number): void;
  /** Progress on stderr (not part of the result). */
  log(message: string): void;
}

export interface Benchmark {
  /** Short name; `npm run bench -- <name>` runs only the benchmarks named. */
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<void>;
}

/** A benchmark that needs no scratch database (e.g. it starts whole copies of the app itself). */
export interface StandaloneBenchmark {
  name: string;
  description: string;
  standalone: true;
  run(ctx: Omit<BenchContext, 'dataSource' | 'databaseUrl'>): Promise<void>;
}

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Latency summary of `fn` over `inputs`, after `warmup` untimed runs. */
export async function latencies<I>(
  inputs: I[],
  fn: (input: I) => Promise<unknown>,
  warmup = Math.min(20, inputs.length),
): Promise<{ p50: number; p95: number; mean: number; samples: number[] }> {
  for (const input of inputs.slice(0, warmup)) await fn(input);
  const samples: number[] = [];
  for (const input of inputs) samples.push((await timed(() => fn(input))).ms);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    samples,
  };
}

/** mulberry32: a small deterministic PRNG in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
