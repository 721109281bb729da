/**
 * How long `npm start` takes, from spawning it to the first healthy answer of `/health/ready` (or of
 * `/health` while the app has no `/health/ready`), on a copy of the project in a temp directory (its
 * sources, configuration and build scripts; node_modules linked), with the embedded defaults (no
 * DATABASE_URL, REDIS_URL or MEILI_URL):
 *   start.cold_s   no dist/ and no data directory: the full build, initdb, every migration;
 *   start.warm_s   dist/ current and the data directory of the previous run: what a developer waits for
 *                  at every `npm start` (median of three, each run listed).
 * Each run is stopped as Ctrl-C would (SIGINT to the process group) before the next one starts.
 */
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { StandaloneBenchmark } from './harness';
import { freePort, inheritedEnv, startChild, waitUntilHealthy } from './processes';

const ROOT = join(__dirname, '..');
/** What `npm start` reads: everything else in the repository is left out of the copy. */
const COPIED = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  '.swcrc',
  'src',
  'config',
  'scripts',
  'web',
];
const WARM_RUNS = 3;
const START_TIMEOUT_MS = 180_000;

function copyProject(target: string): void {
  for (const entry of COPIED) {
    const from = join(ROOT, entry);
    if (!existsSync(from)) continue;
    cpSync(from, join(target, entry), {
      recursive: true,
      // A web app's own installed packages and build output stay behind, like the app's.
      filter: (source) => !/(^|\/)(node_modules|dist)(\/|$)/.test(relative(ROOT, source)),
    });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(target, 'node_modules'), 'dir');
}

async function start(project: string, run: string): Promise<number> {
  const port = await freePort();
  const began = process.hrtime.bigint();
  const child = startChild(`npm start (${run})`, 'npm', ['start'], {
    cwd: project,
    env: inheritedEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      MEILI_URL: undefined,
      PG_DATA_DIR: undefined,
      NODE_ENV: undefined,
    }),
    logFile: join(project, `${run}.log`),
  });
  try {
    await waitUntilHealthy(`http://127.0.0.1:${port}`, ['/health/ready', '/health'], child, START_TIMEOUT_MS);
    return Number(process.hrtime.bigint() - began) / 1e9;
  } finally {
    await child.stop();
  }
}

export const startBenchmark: StandaloneBenchmark = {
  name: 'start',
  description: '`npm start` to a healthy /health/ready: cold (no dist, no data dir) and warm',
  standalone: true,
  async run(ctx) {
    const project = mkdtempSync(join(tmpdir(), 'bangfu-bench-start-'));
    // As root the embedded PostgreSQL runs as `postgres`, which must reach its data directory in here.
    chmodSync(project, 0o755);
    let passed = false;
    try {
      copyProject(project);
      ctx.log(`cold start in ${project}`);
      ctx.report('start.cold_s', await start(project, 'cold'), 2);
      const warm: number[] = [];
      for (let i = 1; i <= WARM_RUNS; i++) {
        ctx.log(`warm start ${i}/${WARM_RUNS}`);
        warm.push(await start(project, `warm-${i}`));
      }
      const sorted = [...warm].sort((a, b) => a - b);
      ctx.report(
        'start.warm_s',
        `${sorted[Math.floor(sorted.length / 2)].toFixed(2)} (runs ${warm.map((s) => s.toFixed(2)).join(', ')})`,
      );
      passed = true;
    } finally {
      if (passed) rmSync(project, { recursive: true, force: true });
      else ctx.log(`kept ${project} (logs of each run inside)`);
    }
  },
};
