/**
 * Match approvals on the real app over HTTP (issue 13 §7), two benchmarks sharing one app process:
 *
 * `approvals` — approval throughput under contention: per round, one fresh offer of capacity 20 and 50
 *   proposals on it (each a household of its own, proposed through POST /matches), then 50 clients send
 *   POST /matches/:id/approve at once. Exactly 20 must be approved and 30 refused with 409
 *   OFFER_CAPACITY_EXHAUSTED, the offer left with remaining 0. The baseline, measured in the same run and
 *   round, is the same 50 clients reading the same matches at once (GET /matches/:id, authenticated).
 *   `--queries N` sets the rounds (default 10). Lines: approvals.approve and approvals.baseline (requests/s
 *   over the bursts, p50/p95 over every response), approvals.x_baseline (requests/s and p50 ratios),
 *   approvals.check.
 *
 * `plan-approval` — the time from `proposed` to `approved` for a batch of 1,000 plan lines: synthetic
 *   households with one open need each and synthetic offers (the shared generator, src/database/seeds/
 *   synthetic/) under 西湖区, a batch plan over the district (POST /allocations, optimal, with those offers
 *   named) run to `done`, then POST /allocations/:id/approve with the first 1,000 assigned lines of the
 *   bench's own needs: its wall time is the time until every line's match is approved (the route answers
 *   after the last line's transaction). The baseline, measured in the same run on the same database: one
 *   one-row write transaction (BEGIN; UPDATE; COMMIT over one connection), 1,000 times — each plan line is
 *   one transaction, so the ratio says how many commits' time a line takes. Lines: plan.approve (total ms,
 *   ms per line, approved/refused), plan.baseline.commit_ms, plan.x_baseline, plan.check.
 *
 * The app is `dist/main.js` (after `npm start`'s incremental build) on the scratch database in a child
 * process, its queue and search in process (REDIS_URL and MEILI_URL left out) so the plan's job runs in it;
 * the clients run here. Both benchmarks refuse to run in production.
 */
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Random } from '../src/database/seeds/demo-random';
import { drawNeedCategory } from '../src/database/seeds/synthetic/synthetic-world';
import { generateOffers } from '../src/database/seeds/synthetic/synthetic-offers';
import { BenchContext, Benchmark, percentile } from './harness';
import {
  approvedPartners,
  call,
  insertHouseholdsWithNeeds,
  insertOffers,
  login,
  prepareMatchWorld,
  type MatchWorld,
} from './match-world';
import { Child, freePort, inheritedEnv, sleep, startChild, waitUntilHealthy } from './processes';

const ROOT = join(__dirname, '..');
const CLIENTS = 50;
const CAPACITY = 20;
const DEFAULT_ROUNDS = 10;
const PLAN_LINES = 1_000;
/** Households (one open need each) and offers of the plan: enough that well over 1,000 lines get an offer. */
const PLAN_HOUSEHOLDS = 1_600;
const PLAN_OFFERS = 400;
/** The item every contended proposal is for (a training place: slots, no cash rules in the way). */
const CONTENDED_ITEM = 'training_electrician';

interface Burst {
  /** Wall time from the first request sent to the last response, ms. */
  ms: number;
  latencies: number[];
  responses: Array<{ status: number; code: string | null }>;
}

/** `n` requests sent at once, one per client; resolves when every answer is in. */
async function burst(n: number, send: (i: number) => Promise<Response>): Promise<Burst> {
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t0 = performance.now();
      const response = await send(i);
      const text = await response.text();
      const ms = performance.now() - t0;
      let code: string | null = null;
      if (!response.ok) code = (JSON.parse(text) as { code?: string }).code ?? null;
      return { ms, status: response.status, code };
    }),
  );
  return {
    ms: performance.now() - start,
    latencies: results.map((r) => r.ms),
    responses: results.map(({ status, code }) => ({ status, code })),
  };
}

function summary(bursts: Burst[]): { rps: number; p50: number; p95: number; n: number } {
  const all = bursts.flatMap((b) => b.latencies).sort((a, b) => a - b);
  const wall = bursts.reduce((s, b) => s + b.ms, 0);
  return {
    rps: (all.length / wall) * 1000,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    n: all.length,
  };
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)}ms`;

interface Running {
  base: string;
  world: MatchWorld;
  proposerToken: string;
  approverToken: string;
}

/** The app on the scratch database in a child process, with the bench accounts logged in. */
async function withApp(ctx: BenchContext, work: (app: Running) => Promise<void>): Promise<void> {
  if (ctx.config.env === 'production') throw new Error('匹配基准写入演示数据，不能在生产环境运行');
  ctx.log('seeding the demo world and the bench accounts on the scratch database');
  const world = await prepareMatchWorld(ctx.dataSource, ctx.config);
  const workDir = mkdtempSync(join(tmpdir(), 'bangfu-bench-approvals-'));
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build.mjs failed: ${build.stderr || build.stdout}`);
  const port = await freePort();
  let app: Child | undefined;
  let ok = false;
  try {
    app = startChild('app', process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: inheritedEnv({
        DATABASE_URL: ctx.databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        // In process: the plan's job runs in the app itself.
        REDIS_URL: undefined,
        MEILI_URL: undefined,
      }),
      logFile: join(workDir, 'app.log'),
    });
    const base = `http://127.0.0.1:${port}`;
    ctx.log(`starting the app (log ${app.logFile})`);
    await waitUntilHealthy(base, ['/health/ready', '/health'], app, 120_000);
    await work({
      base,
      world,
      proposerToken: await login(base, world.proposer),
      approverToken: await login(base, world.approver),
    });
    ok = true;
  } finally {
    await app?.stop();
    if (ok) rmSync(workDir, { recursive: true, force: true });
    else ctx.log(`app log kept in ${workDir}`);
  }
}

async function runApprovals(ctx: BenchContext): Promise<void> {
  const rounds = ctx.options.queries ?? DEFAULT_ROUNDS;
  await withApp(ctx, async ({ base, world, proposerToken, approverToken }) => {
    const random = new Random(ctx.options.seed);
    const [partner] = await approvedPartners(world);
    const item = world.items.find((i) => i.code === CONTENDED_ITEM)!;
    const approvals: Burst[] = [];
    const reads: Burst[] = [];
    const problems: string[] = [];
    for (let round = 0; round < rounds; round++) {
      ctx.log(
        `approvals round ${round + 1}/${rounds}: ${CLIENTS} proposals on an offer of capacity ${CAPACITY}`,
      );
      const needs = await insertHouseholdsWithNeeds(world, random, CLIENTS, { itemCode: CONTENDED_ITEM });
      const [offerId] = await insertOffers(
        world,
        [partner!],
        [
          {
            title: `压测名额（第${round + 1}轮）`,
            description: '名额有限，审批先到先得',
            itemCodes: [item.code],
            kind: 'slots',
            capacity: CAPACITY,
            remaining: CAPACITY,
            amountPerBeneficiaryFen: null,
            scopeUnitId: world.district.id,
            scopeRegionPrefix: null,
            online: false,
            regionCode: '330106',
            validFrom: world.today,
            validUntil: `${Number(world.today.slice(0, 4)) + 1}${world.today.slice(4)}`,
            eligibility: {
              categories: [],
              causes: [],
              employment: [],
              ageMin: null,
              ageMax: null,
              incomeFactor: null,
            },
            perHouseholdLimit: 1,
            cooldownDays: 0,
          },
        ],
      );
      const matches: Array<{ id: string; version: number }> = [];
      for (const need of needs)
        matches.push(
          (
            await call<{ id: string; version: number }>(base, 'POST', '/matches', proposerToken, {
              needId: need.needId,
              offerId,
            })
          ).body,
        );
      const auth = { authorization: `Bearer ${approverToken}` };
      reads.push(
        await burst(CLIENTS, (i) => fetch(`${base}/api/v1/matches/${matches[i]!.id}`, { headers: auth })),
      );
      const approved = await burst(CLIENTS, (i) =>
        fetch(`${base}/api/v1/matches/${matches[i]!.id}/approve`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ version: matches[i]!.version }),
        }),
      );
      approvals.push(approved);
      const ok = approved.responses.filter((r) => r.status === 200).length;
      const exhausted = approved.responses.filter(
        (r) => r.status === 409 && r.code === 'OFFER_CAPACITY_EXHAUSTED',
      ).length;
      const [offer] = await ctx.dataSource.query(`SELECT reserved, remaining FROM offers WHERE id = $1`, [
        offerId,
      ]);
      if (
        ok !== CAPACITY ||
        exhausted !== CLIENTS - CAPACITY ||
        offer.reserved !== CAPACITY ||
        offer.remaining !== 0
      )
        problems.push(
          `round ${round + 1}: ${ok} approved, ${exhausted} OFFER_CAPACITY_EXHAUSTED, other ${JSON.stringify(
            approved.responses
              .filter((r) => r.status !== 200 && r.code !== 'OFFER_CAPACITY_EXHAUSTED')
              .slice(0, 3),
          )}, offer reserved ${offer.reserved} remaining ${offer.remaining}`,
        );
      if (reads.at(-1)!.responses.some((r) => r.status !== 200))
        problems.push(`round ${round + 1}: a baseline read failed`);
    }
    const a = summary(approvals);
    const b = summary(reads);
    ctx.report(
      'approvals.rounds',
      `${rounds} (each: ${CLIENTS} clients at once, one offer of capacity ${CAPACITY})`,
    );
    const answers = approvals.flatMap((r) => r.responses);
    const approvedTotal = answers.filter((r) => r.status === 200).length;
    const exhaustedTotal = answers.filter((r) => r.code === 'OFFER_CAPACITY_EXHAUSTED').length;
    ctx.report(
      'approvals.approve',
      `rps=${a.rps.toFixed(0)} p50=${ms(a.p50)} p95=${ms(a.p95)} responses=${a.n} approved=${approvedTotal} ` +
        `OFFER_CAPACITY_EXHAUSTED=${exhaustedTotal} other=${answers.length - approvedTotal - exhaustedTotal}`,
    );
    ctx.report(
      'approvals.baseline',
      `rps=${b.rps.toFixed(0)} p50=${ms(b.p50)} p95=${ms(b.p95)} (GET /api/v1/matches/:id, same clients)`,
    );
    ctx.report(
      'approvals.x_baseline',
      `rps ${(a.rps / b.rps).toFixed(3)} p50 ${(a.p50 / b.p50).toFixed(2)}x p95 ${(a.p95 / b.p95).toFixed(2)}x`,
    );
    ctx.report(
      'approvals.check',
      problems.length ? `FAILED: ${problems.join('; ')}` : `ok (${rounds} rounds)`,
    );
    if (problems.length) throw new Error(`approvals: ${problems.length} rounds wrong`);
  });
}

async function runPlanApproval(ctx: BenchContext): Promise<void> {
  await withApp(ctx, async ({ base, world, proposerToken, approverToken }) => {
    const random = new Random(ctx.options.seed);
    ctx.log(
      `plan: ${PLAN_HOUSEHOLDS} synthetic households with an open need each, ${PLAN_OFFERS} synthetic offers`,
    );
    const byCategory = (category: string) => world.items.filter((i) => i.category === category);
    const needs = await insertHouseholdsWithNeeds(world, random, PLAN_HOUSEHOLDS, {
      // The category the household's primary cause calls for (the generator's rule), an item of it.
      pickItem: (profile) => {
        const ofCategory = byCategory(drawNeedCategory(random, profile.primaryCause));
        return random.pick(ofCategory.length > 0 ? ofCategory : world.items);
      },
    });
    const offers = generateOffers(random, world.world, world.items, PLAN_OFFERS, world.today);
    const offerIds = await insertOffers(world, await approvedPartners(world), offers);
    await ctx.dataSource.query('ANALYZE');

    const created = await call<{ id: string }>(base, 'POST', '/allocations', proposerToken, {
      orgUnitId: world.district.id,
      strategy: 'optimal',
      offerIds,
    });
    const planId = created.body.id;
    const started = performance.now();
    let state = '';
    for (let i = 0; i < 1200 && state !== 'done'; i++) {
      state = (await call<{ state: string }>(base, 'GET', `/allocations/${planId}`, proposerToken)).body
        .state;
      if (state === 'failed' || state === 'discarded') throw new Error(`plan ${planId}: ${state}`);
      if (state !== 'done') await sleep(250);
    }
    if (state !== 'done') throw new Error(`plan ${planId}: not done after 5 min`);
    ctx.report('plan.run_s', (performance.now() - started) / 1000, 1);
    const mine = new Set(needs.map((n) => n.needId));
    const assigned: Array<{ needId: string }> = (
      await ctx.dataSource.query(
        `SELECT need_id AS "needId" FROM allocation_lines WHERE allocation_id = $1 AND offer_id IS NOT NULL ORDER BY need_id`,
        [planId],
      )
    ).filter((l: { needId: string }) => mine.has(l.needId));
    ctx.report('plan.lines_assigned', `${assigned.length} of ${needs.length} bench needs`);
    if (assigned.length < PLAN_LINES)
      throw new Error(`plan ${planId}: only ${assigned.length} bench needs assigned (${PLAN_LINES} needed)`);
    const lines = assigned.slice(0, PLAN_LINES).map((l) => l.needId);

    ctx.log(`approving ${lines.length} lines in one POST /allocations/:id/approve`);
    const t0 = performance.now();
    // node:http rather than fetch: fetch gives up on an answer after 300 s, which a loaded machine can take.
    const answer = await postWithoutTimeout<{
      approved: number;
      refused: number;
      lines: Array<{ outcome: string }>;
    }>(`${base}/api/v1/allocations/${planId}/approve`, approverToken, { needIds: lines });
    const totalMs = performance.now() - t0;
    const refusedBy: Record<string, number> = {};
    for (const l of answer.body.lines)
      if (l.outcome !== 'approved') refusedBy[l.outcome] = (refusedBy[l.outcome] ?? 0) + 1;
    const [{ n: approvedInDb }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM matches WHERE need_id = ANY($1) AND state = 'approved' AND proposed_via = 'plan'`,
      [lines],
    );

    // The baseline: one one-row write transaction, 1,000 times in a row, on one connection.
    const client = new Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    let commitMs: number;
    try {
      await client.query(`CREATE TEMP TABLE bench_commit (id int PRIMARY KEY, n int NOT NULL)`);
      await client.query(`INSERT INTO bench_commit VALUES (1, 0)`);
      const c0 = performance.now();
      for (let i = 0; i < PLAN_LINES; i++) {
        await client.query('BEGIN');
        await client.query(`UPDATE bench_commit SET n = n + 1 WHERE id = 1`);
        await client.query('COMMIT');
      }
      commitMs = (performance.now() - c0) / PLAN_LINES;
    } finally {
      await client.end();
    }
    const perLine = totalMs / lines.length;
    ctx.report(
      'plan.approve',
      `total=${totalMs.toFixed(0)}ms per_line=${perLine.toFixed(2)}ms lines=${lines.length} approved=${answer.body.approved} refused=${answer.body.refused}${
        Object.keys(refusedBy).length
          ? ` (${Object.entries(refusedBy)
              .map(([c, n]) => `${c} ${n}`)
              .join(', ')})`
          : ''
      }`,
    );
    ctx.report('plan.baseline.commit_ms', commitMs, 3);
    ctx.report(
      'plan.x_baseline',
      `${(perLine / commitMs).toFixed(1)}x (ms per line ÷ ms per one-row commit)`,
    );
    const check =
      approvedInDb === answer.body.approved && answer.body.approved + answer.body.refused === lines.length;
    ctx.report(
      'plan.check',
      check
        ? `ok (${approvedInDb} matches approved in the database, one per approved line)`
        : `FAILED: ${approvedInDb} approved matches in the database, the answer says ${answer.body.approved}`,
    );
    if (!check) throw new Error('plan-approval: the approved matches do not add up');
  });
}

/** POST a JSON body and wait for the answer however long it takes; throws unless 2xx. */
function postWithoutTimeout<T>(
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300)
            reject(new Error(`POST ${url}: HTTP ${status} ${text.slice(0, 300)}`));
          else resolve({ status, body: JSON.parse(text) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const approvalsBenchmark: Benchmark = {
  name: 'approvals',
  description: `${CLIENTS} clients approving ${CLIENTS} proposals on one offer of capacity ${CAPACITY} over HTTP, vs the same clients reading`,
  run: runApprovals,
};

export const planApprovalBenchmark: Benchmark = {
  name: 'plan-approval',
  description: `POST /allocations/:id/approve of ${PLAN_LINES} plan lines (synthetic world) vs one-row commits`,
  run: runPlanApproval,
};
