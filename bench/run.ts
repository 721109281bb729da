/**
 * `npm run bench [-- [names…] [--docs N] [--queries N] [--seed N] [--seconds N] [--only lines]
 *   [--cpu-prof [--cpu-prof-dir DIR]]]`
 *
 * Runs on the configured PostgreSQL (DATABASE_URL, else the embedded server) in a scratch
 * database that is migrated first and dropped at the end, and prints one `name value` line per
 * figure on stdout (progress goes to stderr). Add a benchmark by appending it to BENCHMARKS.
 * A standalone benchmark (no scratch database) runs after the others, without the server.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { DatabaseServer } from '../src/database/database-server';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrations } from '../src/database/migrate';
import { allocationBenchmark } from './allocation.bench';
import { apiBenchmark } from './api.bench';
import { approvalsBenchmark, planApprovalBenchmark } from './approvals.bench';
import { BenchContext, Benchmark, BenchOptions, StandaloneBenchmark } from './harness';
import { searchBenchmark } from './search.bench';
import { startBenchmark } from './start.bench';
import { suggestionsBenchmark } from './suggestions.bench';

const BENCHMARKS: Array<Benchmark | StandaloneBenchmark> = [
  searchBenchmark,
  suggestionsBenchmark,
  apiBenchmark,
  startBenchmark,
  allocationBenchmark,
  approvalsBenchmark,
  planApprovalBenchmark,
];

function parseArgs(argv: string[]): { names: string[]; options: BenchOptions } {
  const names: string[] = [];
  const options: BenchOptions = { seed: 20241123, seconds: 10 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = (flag: string) => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} 需要正整数`);
      return value;
    };
    if (arg === '--docs') options.docs = number(arg);
    else if (arg === '--queries') options.queries = number(arg);
    else if (arg === '--seed') options.seed = number(arg);
    else if (arg === '--seconds') options.seconds = number(arg);
    else if (arg === '--only') {
      const list = argv[++i];
      if (!list || list.startsWith('--'))
        throw new Error('--only 需要以逗号分隔的指标名 (e.g. me,archives.list)');
      options.only = [...(options.only ?? []), ...list.split(',').filter(Boolean)];
    } else if (arg === '--cpu-prof') options.cpuProfileDir ??= resolve('data/bench-profiles');
    else if (arg === '--cpu-prof-dir') {
      const dir = argv[++i];
      if (!dir || dir.startsWith('--')) throw new Error('--cpu-prof-dir 需要目录');
      options.cpuProfileDir = resolve(dir);
    } else if (arg.startsWith('--')) throw new Error(`未知参数 ${arg}`);
    else names.push(arg);
  }
  return { names, options };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const { names, options } = parseArgs(process.argv.slice(2));
  const selected = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length)
    throw new Error(`未知的基准 ${unknown.join(', ')} (有: ${BENCHMARKS.map((b) => b.name).join(', ')})`);

  const config = loadConfig({ overrides: { log: { level: 'silent' } } });
  const report: BenchContext['report'] = (name, value, digits = 1) =>
    console.log(
      `${name} ${typeof value === 'number' ? (Number.isInteger(value) ? value : value.toFixed(digits)) : value}`,
    );
  const log: BenchContext['log'] = (message) => process.stderr.write(`[bench] ${message}\n`);
  // The machine may be shared: the load around the run says how far its figures can be trusted.
  const load = () =>
    `${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (1/5/15 min, ${cpus().length} cores)`;
  report('loadavg.before', load());
  const withDatabase = selected.filter((b): b is Benchmark => !('standalone' in b));
  const standalone = selected.filter((b): b is StandaloneBenchmark => 'standalone' in b);

  if (withDatabase.length) {
    const server = await DatabaseServer.start(config.database);
    const scratch = `bangfu_bench_${process.pid}`;
    try {
      await admin(server.url, `CREATE DATABASE "${scratch}"`);
      const databaseUrl = server.urlFor(scratch);
      const dataSource = new DataSource(dataSourceOptions(databaseUrl, 4));
      try {
        await dataSource.initialize();
        await runMigrations(dataSource, config.crypto);
        const ctx: BenchContext = {
          config,
          dataSource,
          databaseUrl,
          databaseDataDir: server.embedded?.dataDir,
          options,
          report,
          log,
        };
        for (const benchmark of withDatabase) {
          ctx.log(`${benchmark.name}: ${benchmark.description}`);
          await benchmark.run(ctx);
        }
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
        await admin(server.url, `DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
      }
    } finally {
      await server.stop();
    }
  }
  for (const benchmark of standalone) {
    log(`${benchmark.name}: ${benchmark.description}`);
    await benchmark.run({ config, options, report, log });
  }
  report('loadavg.after', load());
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
