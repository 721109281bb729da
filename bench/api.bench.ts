/**
 * HTTP throughput and latency of the app against a bare Fastify server, measured with autocannon.
 *
 * The scratch database gets the demo world (the `seed:demo` code) plus one bench caseworker per written
 * archive; the app (`dist/main.js` after `npm start`'s incremental build, its default configuration on
 * that database) and the baseline (a bare Fastify server, bench/fastify-baseline.ts) each run in a child
 * process; autocannon runs here. Each line is one timed run of `--seconds` (default 10) after a short warm-up, at 20 connections unless it says:
 *   baseline         GET / on the bare Fastify server
 *   health.live      GET /health/live    (no I/O)           — "not available" while the app has no such route
 *   health.ready     GET /health/ready   (cached checks)    — likewise
 *   me               GET /api/v1/me                          (a caseworker's token)
 *   archives.list    GET /api/v1/archives                    (first page of the caseworker's scope)
 *   archives.detail  GET /api/v1/archives/:id                (one archive; every read is audited)
 *   archives.write   PATCH /api/v1/archives/:id (assetNotes) by 20 caseworkers, each on an archive of its own,
 *                    each request carrying the version its previous response returned (optimistic lock)
 *   archives.write.single  the same PATCH by one caseworker on one connection
 * Every line: requests/s (responses per second), p50/p95/p99 latency in ms over every response (computed
 * here, not autocannon's p97.5; a response still on the wire when the run ends is not counted, so keep
 * `--seconds` well above the slowest latency), `x_baseline` = requests/s ÷ the baseline's. A line with any non-2xx
 * response, socket error or timeout is marked FAILED and fails the run (after the audit check).
 * Then `archives.write.scaling` = 20 writers' requests/s ÷ one writer's (goal ≥ 3), and, with the app
 * stopped, the audit hash chain is sealed and verified (AuditService.verifyChain, as `npm run
 * audit:verify`) and every audit row must be in it.
 */
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import autocannon from 'autocannon';
import { Clock } from '../src/common/clock/clock';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { userPhoneField } from '../src/common/crypto/stored-fields';
import { fieldCipherOptionsFrom } from '../src/config/crypto-config.check';
import { DEMO_PASSWORD } from '../src/database/seeds/demo-accounts.seed';
import { seedDemo } from '../src/database/seeds/seed-demo';
import { AuditRepository } from '../src/modules/audit/audit.repository';
import { AuditSealer } from '../src/modules/audit/audit-sealer';
import { AuditService } from '../src/modules/audit/audit.service';
import { PasswordHasher } from '../src/modules/users/password/password-hasher';
import { UserEntity } from '../src/modules/users/user.entity';
import { cpuTimeAvailable, postmasterPid, processCpuMicros, processTreeCpuMicros } from './cpu-time';
import { BenchContext, Benchmark, percentile } from './harness';
import { Child, ask, freePort, inheritedEnv, sleep, startChild, waitUntilHealthy } from './processes';
import { CpuProfile, formatSummary, summariseProfile } from './profile-summary';

const CONNECTIONS = 20;
const WRITERS = 20;
const API = '/api/v1';
const READER = 'gr1.caseworker';
const SCALING_GOAL = 3;
const ROOT = join(__dirname, '..');
/** Every line, in the order they run; `--only` picks some (the baseline always runs: the ratios need it). */
const LINES = [
  'health.live',
  'health.ready',
  'me',
  'archives.list',
  'archives.detail',
  'archives.write',
  'archives.write.single',
] as const;
type LineName = (typeof LINES)[number];

/** `--only me,api.archives.list` → the lines named (with or without the `api.` prefix). */
function selectedLines(only: string[] | undefined): Set<LineName> {
  if (!only?.length) return new Set(LINES);
  const names = only.map((n) => n.replace(/^api\./, ''));
  const unknown = names.filter((n) => n !== 'baseline' && !(LINES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`--only: 未知的指标 ${unknown.join(', ')} (有: ${LINES.join(', ')})`);
  return new Set(LINES.filter((l) => names.includes(l)));
}

interface Figures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The first non-2xx status and body, to say why a line failed. */
  firstFailure?: string;
  /** CPU µs per response of the server under load (the app, or the baseline), when /proc is readable. */
  cpuUs?: number;
  /** CPU µs per response of the PostgreSQL server (postmaster and backends), embedded server only. */
  dbUs?: number;
}

interface Session {
  accessToken: string;
  refreshToken: string;
}

interface Writer {
  username: string;
  session: Session;
  archiveId: string;
  version: number;
}

type LoadOptions = Omit<autocannon.Options, 'url' | 'duration'> & { url: string };

/** One autocannon run; latencies of every response (2xx or not) are collected here for p95. */
function load(options: LoadOptions, seconds: number): Promise<Figures> {
  const latencies: number[] = [];
  let firstFailure: string | undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { ...options, duration: seconds, excludeErrorStats: false },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const sorted = latencies.sort((a, b) => a - b);
        resolve({
          rps: latencies.length / (result.duration || seconds),
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          responses: latencies.length,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          firstFailure,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if ((status < 200 || status >= 300) && !firstFailure) firstFailure = `HTTP ${status}`;
    });
  });
}

function failed(f: Figures): boolean {
  return f.non2xx > 0 || f.errors > 0 || f.timeouts > 0 || f.responses === 0;
}

function line(f: Figures, baselineRps?: number): string {
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)}ms`;
  const parts = [
    `rps=${f.rps.toFixed(0)}`,
    `p50=${ms(f.p50)}`,
    `p95=${ms(f.p95)}`,
    `p99=${ms(f.p99)}`,
    ...(baselineRps ? [`x_baseline=${(f.rps / baselineRps).toFixed(3)}`] : []),
    ...(f.cpuUs !== undefined ? [`cpu_us=${f.cpuUs.toFixed(0)}`] : []),
    ...(f.dbUs !== undefined ? [`db_us=${f.dbUs.toFixed(0)}`] : []),
  ];
  if (failed(f)) {
    parts.push(
      `FAILED non2xx=${f.non2xx} errors=${f.errors} timeouts=${f.timeouts}${f.firstFailure ? ` first=${JSON.stringify(f.firstFailure)}` : ''}`,
    );
  }
  return parts.join(' ');
}

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function login(base: string, username: string): Promise<Session> {
  const response = await fetch(`${base}${API}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const body = await json<Partial<Session>>(response, `login ${username}`);
  if (!body.accessToken || !body.refreshToken) throw new Error(`login ${username}: no token pair`);
  return { accessToken: body.accessToken, refreshToken: body.refreshToken };
}

/** Access tokens live 15 minutes: every line starts with fresh ones (refresh, as a client would). */
async function refresh(base: string, session: Session): Promise<void> {
  const response = await fetch(`${base}${API}/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: session.refreshToken }),
  });
  Object.assign(session, await json<Session>(response, 'refresh'));
}

/** One caseworker per archive to write, placed in that archive's grassroots union (its scope). */
async function prepareWriters(ctx: BenchContext, hasher: PasswordHasher, cipher: FieldCipher) {
  const archives: Array<{ id: string; version: number; orgUnitId: string }> = await ctx.dataSource.query(
    `SELECT id, version, org_unit_id AS "orgUnitId" FROM archives WHERE status = 'active' ORDER BY id LIMIT $1`,
    [WRITERS],
  );
  if (archives.length < WRITERS)
    throw new Error(`only ${archives.length} active demo archives (${WRITERS} needed)`);
  const passwordHash = await hasher.hash(DEMO_PASSWORD);
  const now = new Date();
  const users = ctx.dataSource.getRepository(UserEntity);
  return Promise.all(
    archives.map(async (archive, i) => {
      const username = `bench.cw${String(i + 1).padStart(2, '0')}`;
      const phone = `1391000${String(i).padStart(4, '0')}`;
      const id = randomUUID();
      await users.insert({
        id,
        username,
        displayName: `压测经办人${i + 1}`,
        kind: 'staff',
        roles: ['caseworker'],
        orgUnitId: archive.orgUnitId,
        partnerId: null,
        phoneCiphertext: cipher.encrypt(phone, userPhoneField(id)),
        phoneBlindIndex: cipher.blindIndex(phone, 'phone'),
        passwordHash,
        passwordChangedAt: now,
        mustChangePassword: false,
      });
      return { username, archiveId: archive.id, version: archive.version };
    }),
  );
}

/**
 * The archives' versions once no PATCH is in flight. autocannon ends a run without waiting for the
 * responses still on the wire, so a write can commit after its connection stopped counting: the versions
 * are read until they hold still.
 */
async function settledVersions(ctx: BenchContext, ids: string[]): Promise<Map<string, number>> {
  const read = async () => {
    const rows: Array<{ id: string; version: number }> = await ctx.dataSource.query(
      `SELECT id, version FROM archives WHERE id = ANY($1) ORDER BY id`,
      [ids],
    );
    return rows.map((r) => `${r.id}:${r.version}`).join(',');
  };
  let previous = await read();
  for (let i = 0; i < 100; i++) {
    await sleep(300);
    const current = await read();
    if (current === previous) break;
    previous = current;
  }
  return new Map(
    previous.split(',').map((pair) => {
      const [id, version] = pair.split(':');
      return [id, Number(version)];
    }),
  );
}

/**
 * PATCH load: connection i writes writers[i % n]'s archive with writers[i]'s token, sending the version
 * its previous response returned. autocannon resets a connection's context to `initialContext` after each
 * pass over `requests`, so each connection's writer is put in that initial context when it is set up.
 */
async function writeLoad(
  base: string,
  writers: Writer[],
  connections: number,
  seconds: number,
): Promise<Figures> {
  let nextSlot = 0;
  let firstFailure: string | undefined;
  const writerOf = (context: { slot?: number }) => writers[context.slot ?? 0];
  const figures = await load(
    {
      url: base,
      connections,
      setupClient: (client) => {
        const iterator = (
          client as unknown as {
            requestIterator?: { initialContext: object; resetContext(): void; rebuildRequest(): void };
          }
        ).requestIterator;
        if (!iterator) throw new Error('autocannon internals changed: Client.requestIterator is gone');
        iterator.initialContext = { slot: nextSlot++ % writers.length };
        iterator.resetContext();
        iterator.rebuildRequest();
      },
      requests: [
        {
          method: 'PATCH',
          setupRequest: (request, context) => {
            const writer = writerOf(context as { slot?: number });
            return {
              ...request,
              method: 'PATCH',
              path: `${API}/archives/${writer.archiveId}`,
              headers: {
                authorization: `Bearer ${writer.session.accessToken}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({
                version: writer.version,
                assetNotes: `压测备注 第${writer.version}版`,
              }),
            };
          },
          onResponse: (status, body, context) => {
            if (status !== 200) {
              firstFailure ??= `HTTP ${status} ${body.slice(0, 300)}`;
              return;
            }
            const writer = writerOf(context as { slot?: number });
            writer.version = (JSON.parse(body) as { version: number }).version;
          },
        },
      ],
    },
    seconds,
  );
  return { ...figures, firstFailure: firstFailure ?? figures.firstFailure };
}

async function run(ctx: BenchContext): Promise<void> {
  const { config, options } = ctx;
  if (config.env === 'production') throw new Error('api 基准写入演示数据，不能在生产环境运行');
  const seconds = options.seconds;
  const warmup = Math.max(1, Math.min(3, Math.round(seconds / 5)));
  const workDir = mkdtempSync(join(tmpdir(), 'bangfu-bench-api-'));
  const failures: string[] = [];

  ctx.log('seeding the demo data (seed:demo) on the scratch database');
  const hasher = new PasswordHasher(config);
  const cipher = new FieldCipher(fieldCipherOptionsFrom(config.crypto));
  const seeded = await seedDemo(ctx.dataSource, config, {
    hash: (p) => hasher.hash(p),
    cipher,
    now: new Clock().now(),
  });
  ctx.report('api.demo_archives', seeded.archives.created);
  const planned = await prepareWriters(ctx, hasher, cipher);
  const [reader] = await ctx.dataSource.query(
    `SELECT a.id FROM archives a JOIN users u ON u.org_unit_id = a.org_unit_id
     WHERE u.username = $1 AND a.status = 'active' ORDER BY a.id LIMIT 1`,
    [READER],
  );
  if (!reader) throw new Error(`no active archive in ${READER}'s unit`);

  const children: Child[] = [];
  const lines = selectedLines(options.only);
  const profileDir = options.cpuProfileDir;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  try {
    const [appPort, basePort] = [await freePort(), await freePort()];
    // The code `npm start` runs: dist/, brought up to date by its incremental build.
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`scripts/build.mjs failed: ${build.stderr || build.stdout}`);
    const app = startChild(
      'app',
      process.execPath,
      // With --cpu-prof the probe (bench/app-probe.cjs) profiles each timed run, asked over IPC.
      profileDir ? ['-r', join(__dirname, 'app-probe.cjs'), 'dist/main.js'] : ['dist/main.js'],
      {
        cwd: ROOT,
        env: inheritedEnv({ DATABASE_URL: ctx.databaseUrl, PORT: String(appPort), HOST: '127.0.0.1' }),
        logFile: join(workDir, 'app.log'),
        ipc: profileDir !== undefined,
      },
    );
    children.push(app);
    const baseline = startChild(
      'baseline',
      process.execPath,
      ['-r', '@swc-node/register', 'bench/fastify-baseline.ts', String(basePort)],
      { cwd: ROOT, env: inheritedEnv({}), logFile: join(workDir, 'baseline.log') },
    );
    children.push(baseline);
    const appUrl = `http://127.0.0.1:${appPort}`;
    const baseUrl = `http://127.0.0.1:${basePort}`;
    ctx.log(`starting the app (log ${app.logFile}) and the Fastify baseline`);
    await waitUntilHealthy(baseUrl, ['/'], baseline, 60_000);
    await waitUntilHealthy(appUrl, ['/health/ready', '/health'], app, 120_000);

    const readerSession = await login(appUrl, READER);
    const writers: Writer[] = [];
    for (const p of planned) writers.push({ ...p, session: await login(appUrl, p.username) });

    // CPU time of the server under load and of PostgreSQL around each timed run (not the warm-up).
    const withCpu = cpuTimeAvailable();
    const pgPid = withCpu && ctx.databaseDataDir ? postmasterPid(ctx.databaseDataDir) : null;
    const cpuOf = (server: Child) => {
      const pid = server.process.pid;
      return {
        server: withCpu && pid ? processCpuMicros(pid) : null,
        db: pgPid ? processTreeCpuMicros(pgPid) : null,
      };
    };
    const measure = async (
      name: string,
      run: (secs: number) => Promise<Figures>,
      baselineRps?: number,
      server: Child = app,
    ): Promise<Figures> => {
      ctx.log(`${name}: warm-up ${warmup} s, then ${seconds} s`);
      await run(warmup);
      const profiled = profileDir !== undefined && server === app;
      if (profiled) await ask(app, { probe: 'profile-start' });
      const before = cpuOf(server);
      const figures = await run(seconds);
      const after = cpuOf(server);
      const perResponse = (a: number | null, b: number | null) =>
        a !== null && b !== null && figures.responses > 0 ? (b - a) / figures.responses : undefined;
      figures.cpuUs = perResponse(before.server, after.server);
      if (server === app) figures.dbUs = perResponse(before.db, after.db);
      ctx.report(name, line(figures, baselineRps));
      if (profiled) {
        const file = join(profileDir, `${name}.cpuprofile`);
        await ask(app, { probe: 'profile-stop', file });
        ctx.report(`${name}.profile`, file);
        const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 8);
        ctx.log(`${name} profile (${file}):\n${formatSummary(summary)}`);
      }
      if (failed(figures)) failures.push(name);
      return figures;
    };
    const get = (url: string, path: string, session?: Session) => (secs: number) =>
      load(
        {
          url: url + path,
          connections: CONNECTIONS,
          headers: session ? { authorization: `Bearer ${session.accessToken}` } : {},
        },
        secs,
      );

    const base = await measure('api.baseline', get(baseUrl, '/'), undefined, baseline);
    for (const [name, path] of [
      ['health.live', '/health/live'],
      ['health.ready', '/health/ready'],
    ] as const) {
      if (!lines.has(name)) continue;
      const probe = await fetch(appUrl + path);
      await probe.arrayBuffer();
      if (probe.status === 404)
        ctx.report(`api.${name}`, 'not available (404: the app has no such route yet)');
      else await measure(`api.${name}`, get(appUrl, path), base.rps);
    }
    if (lines.has('me')) {
      await refresh(appUrl, readerSession);
      await measure('api.me', get(appUrl, `${API}/me`, readerSession), base.rps);
    }
    if (lines.has('archives.list')) {
      await refresh(appUrl, readerSession);
      await measure('api.archives.list', get(appUrl, `${API}/archives`, readerSession), base.rps);
    }
    if (lines.has('archives.detail')) {
      await refresh(appUrl, readerSession);
      await measure(
        'api.archives.detail',
        get(appUrl, `${API}/archives/${reader.id as string}`, readerSession),
        base.rps,
      );
    }

    if (lines.has('archives.write') || lines.has('archives.write.single')) {
      const archiveIds = writers.map((w) => w.archiveId);
      const initial = new Map(writers.map((w) => [w.archiveId, w.version]));
      const resync = async () => {
        const stored = await settledVersions(ctx, archiveIds);
        for (const writer of writers) writer.version = stored.get(writer.archiveId) ?? writer.version;
      };
      let many: Figures | undefined;
      let one: Figures | undefined;
      if (lines.has('archives.write')) {
        for (const writer of writers) await refresh(appUrl, writer.session);
        many = await measure(
          `api.archives.write`,
          async (secs) => {
            await resync();
            return writeLoad(appUrl, writers, WRITERS, secs);
          },
          base.rps,
        );
      }
      if (lines.has('archives.write.single')) {
        const [single] = writers;
        await refresh(appUrl, single.session);
        one = await measure(
          'api.archives.write.single',
          async (secs) => {
            await resync();
            return writeLoad(appUrl, [single], 1, secs);
          },
          base.rps,
        );
      }
      if (many && one) {
        const scaling = many.rps / one.rps;
        ctx.report(
          'api.archives.write.scaling',
          `${scaling.toFixed(2)}x (${WRITERS} writers ÷ 1 writer; goal ≥ ${SCALING_GOAL}x: ${scaling >= SCALING_GOAL ? 'met' : 'NOT met'})`,
        );
      }

      // Every successful PATCH: exactly one new version and one audit row, none lost, none doubled.
      const stored = await settledVersions(ctx, archiveIds);
      const audited: Array<{ id: string; n: number }> = await ctx.dataSource.query(
        `SELECT target_id AS id, count(*)::int AS n FROM audit_logs
         WHERE action = 'archive.update' AND outcome = 'success' AND target_id = ANY($1) GROUP BY target_id`,
        [archiveIds],
      );
      const auditCount = new Map(audited.map((r) => [r.id, r.n]));
      const updates = archiveIds.reduce(
        (sum, id) => sum + ((stored.get(id) ?? 0) - (initial.get(id) ?? 0)),
        0,
      );
      const wrong = archiveIds.filter(
        (id) => (stored.get(id) ?? 0) - (initial.get(id) ?? 0) !== (auditCount.get(id) ?? 0),
      );
      if (wrong.length) failures.push('api.archives.write.check');
      ctx.report(
        'api.archives.write.check',
        wrong.length
          ? `MISMATCH: ${wrong.length} archives whose version count differs from their audited updates`
          : `ok (${updates} updates: each one version and one audit row)`,
      );
    }
  } finally {
    for (const child of children.reverse()) await child.stop();
  }

  // With the app stopped every audit transaction is committed: all of it must seal into the chain.
  Logger.overrideLogger(['error', 'warn']); // the sealer's progress would land on stdout, among the figures
  const repository = new AuditRepository(ctx.dataSource);
  const clock = new Clock();
  const audit = new AuditService(repository, new AuditSealer(repository, clock, config), clock, config);
  const report = await audit.verifyChain();
  const [{ logs, links }] = await ctx.dataSource.query(
    `SELECT (SELECT count(*) FROM audit_logs)::int AS logs, (SELECT count(*) FROM audit_chain)::int AS links`,
  );
  if (report.ok && logs === links) {
    ctx.report('api.audit.chain', `verified (${report.rows} links, every audit row sealed)`);
  } else {
    failures.push('api.audit.chain');
    ctx.report(
      'api.audit.chain',
      `NOT verified: ${report.problems.length} problems, ${logs} audit rows, ${links} links${report.problems[0] ? `; first: ${report.problems[0].kind} ${report.problems[0].detail}` : ''}`,
    );
  }
  if (failures.length) throw new Error(`api: failed lines: ${failures.join(', ')} (logs in ${workDir})`);
  rmSync(workDir, { recursive: true, force: true });
}

export const apiBenchmark: Benchmark = {
  name: 'api',
  description: 'HTTP requests/s and latency of the app (autocannon, 20 connections) vs a bare Fastify server',
  run,
};
