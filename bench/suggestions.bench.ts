/**
 * Suggestions for one need (issue 12 §3/§5): `GET /needs/:id/suggestions`'s service path against 10k and
 * 100k published offers, next to a naive SQL query that scores every published offer without the engine.
 *
 * World: the demo seed (`seed:demo`'s code: the demo tree, menu, partners, archives, open needs) plus
 * synthetic offers from the shared generator (src/database/seeds/synthetic/), inserted with multi-row
 * INSERT … SELECT unnest(…) as drafts and moved to published in two set-wide UPDATEs (the transition
 * trigger checks them), then indexed in the PostgreSQL adapter from the rows (OffersSearchSource.load, the
 * code the outbox relay and reindex use). 3 % of the offers belong to the suspended demo partner.
 *
 * - suggest: SuggestionsService.forNeed (the app built as `npm start` builds it, on the scratch database,
 *   MEILI_URL ignored: the PostgreSQL adapter), as the demo city approver, page 1 of 20, over the open
 *   demo needs in its scope (the first `--queries` by id, default 50) after a warm-up: access check, candidate search with the
 *   hard filters pushed into the engine, the re-read, every hard filter again, scoring, the audit row.
 * - naive: one SQL statement per need over `offers` (joined to partners, offer_items, the need's archive
 *   and unit) with the same hard filters (item, published, window, remaining > 0, partner approved, scope,
 *   mode, category, causes, employment, age, income ≤ k × the 低保 line, active archive) and a comparable
 *   score (text: the item's name in the title, item, proximity, capacity, the need's hardship and
 *   waiting), ORDER BY score LIMIT 20. It uses whatever index the planner picks (offer_items by item).
 * Lines: suggest.<n>.p50_ms / p95_ms, suggest.<n>.naive.p50_ms / p95_ms, suggest.<n>.ratio.p50 / p95
 * (naive ÷ suggestions; goal ≥ 10x), suggest.<n>.p95_goal (p95 ≤ 50 ms: met / NOT met), and what dominates:
 * suggest.<n>.engine.* (the candidate search alone, with the mean number of documents matching the filter
 * and text) and suggest.<n>.reread.* (re-reading the hits from PostgreSQL).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '../src/bootstrap';
import { chinaToday } from '../src/common/calendar/china-calendar';
import { Clock } from '../src/common/clock/clock';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { offerContactPhoneField } from '../src/common/crypto/stored-fields';
import { loadConfig } from '../src/config';
import { processEnv } from '../src/config/load-config';
import { fieldCipherOptionsFrom } from '../src/config/crypto-config.check';
import { Random } from '../src/database/seeds/demo-random';
import { seedDemo } from '../src/database/seeds/seed-demo';
import { generateOffers, type MenuItemInfo } from '../src/database/seeds/synthetic/synthetic-offers';
import type { World, WorldLevel } from '../src/database/seeds/synthetic/synthetic-world';
import { SEARCH_ENGINE, type SearchEngine } from '../src/infra/search/search-engine';
import type { Principal } from '../src/modules/auth/principal';
import { NeedSuggestionsQueryDto } from '../src/modules/matching/dto/suggestions.dto';
import { offerCandidateFilter } from '../src/modules/matching/candidates/candidate-filters';
import { needFacts } from '../src/modules/matching/candidates/pair-facts';
import { CANDIDATE_LIMIT, SuggestionsService } from '../src/modules/matching/suggestions.service';
import { DibaoLinesService } from '../src/modules/archives/dibao-lines/dibao-lines.service';
import { NeedsService } from '../src/modules/needs/needs.service';
import { OfferReadsService } from '../src/modules/offers/offer-reads.service';
import { OFFERS_INDEX } from '../src/modules/offers/offer-mover';
import { OffersSearchSource } from '../src/modules/offers/offers-search.source';
import { PasswordHasher } from '../src/modules/users/password/password-hasher';
import { Benchmark, BenchContext, latencies, timed } from './harness';

/** The larger size (`--docs`, default 100k); the smaller is a tenth of it. */
const DEFAULT_TOP = 100_000;
const DEFAULT_QUERIES = 50;
const INSERT_CHUNK = 5_000;
const INDEX_CHUNK = 1_000;
const PAGE = 20;
const GOAL_RATIO = 10;
const GOAL_P95_MS = 50;
/** The demo account the suggestions are asked as (a city approver: staff who may ask, in scope of half the needs). */
const ACCOUNT = 'hz.approver';

interface Fixture {
  world: World;
  items: Array<MenuItemInfo & { id: string }>;
  approvedPartners: string[];
  suspendedPartner: string | null;
  author: string;
}

async function readFixture(ctx: BenchContext): Promise<Fixture> {
  const units: Array<{
    id: string;
    name: string;
    level: string;
    parent_id: string | null;
    region_code: string;
  }> = await ctx.dataSource.query(
    `SELECT id, name, level, parent_id, region_code FROM org_units WHERE level IN ('city', 'district', 'grassroots')`,
  );
  const items = await ctx.dataSource.query(`SELECT id, code, category, unit FROM menu_items WHERE active`);
  const partners: Array<{ id: string; status: string }> = await ctx.dataSource.query(
    `SELECT id, status FROM partners WHERE status IN ('approved', 'suspended') ORDER BY id`,
  );
  const [author] = await ctx.dataSource.query(`SELECT id FROM users ORDER BY username LIMIT 1`);
  return {
    world: {
      units: units.map((u) => ({
        id: u.id,
        name: u.name,
        level: u.level as WorldLevel,
        parentId: u.parent_id,
        regionCode: u.region_code,
        migrantHeavy: false,
      })),
    },
    items,
    approvedPartners: partners.filter((p) => p.status === 'approved').map((p) => p.id),
    suspendedPartner: partners.find((p) => p.status === 'suspended')?.id ?? null,
    author: author.id,
  };
}

/** `count` synthetic offers, inserted as drafts in chunks and published; returns their ids. */
async function insertOffers(
  ctx: BenchContext,
  fixture: Fixture,
  cipher: FieldCipher,
  random: Random,
  count: number,
  today: string,
): Promise<string[]> {
  const offers = generateOffers(random, fixture.world, fixture.items, count, today);
  const itemId = new Map(fixture.items.map((i) => [i.code, i.id]));
  const ids: string[] = [];
  for (let start = 0; start < offers.length; start += INSERT_CHUNK) {
    const chunk = offers.slice(start, start + INSERT_CHUNK);
    const chunkIds: string[] = (
      await ctx.dataSource.query(`SELECT gen_random_uuid()::text AS id FROM generate_series(1, $1)`, [
        chunk.length,
      ])
    ).map((r: { id: string }) => r.id);
    const partner = (i: number) =>
      fixture.suspendedPartner && random.chance(0.03)
        ? fixture.suspendedPartner
        : fixture.approvedPartners[(start + i) % fixture.approvedPartners.length];
    const column = <T>(f: (o: (typeof chunk)[number], i: number) => T) => chunk.map(f);
    await ctx.dataSource.query(
      `INSERT INTO offers (id, partner_id, title, description, kind, capacity, amount_per_beneficiary_fen, reserved,
                           used, remaining, elig_categories, elig_causes, elig_employment, age_min, age_max,
                           income_factor, requires_active_archive, scope_org_unit_id, scope_region_prefix, online,
                           region_code, valid_from, valid_until, per_household_limit, cooldown_days, contact_name,
                           contact_phone_ciphertext, state, created_by, state_changed_at, version)
       SELECT t.id, t.partner_id, t.title, t.description, t.kind, t.capacity, t.amount, 0, t.capacity - t.remaining,
              t.remaining, string_to_array(t.cats, ',')::varchar[], string_to_array(t.causes, ',')::varchar[],
              string_to_array(t.emp, ',')::varchar[], t.age_min, t.age_max, t.income_factor, true, t.scope_unit,
              t.scope_region, t.online, t.region_code, t.valid_from, t.valid_until, t.limit_, t.cooldown,
              '联络人', t.phone, 'draft', $24, now(), 1
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[],
                     $9::text[], $10::text[], $11::text[], $12::int[], $13::int[], $14::numeric[], $15::uuid[],
                     $16::text[], $17::boolean[], $18::text[], $19::date[], $20::date[], $21::int[], $22::int[],
                     $23::text[])
           AS t(id, partner_id, title, description, kind, capacity, remaining, amount, cats, causes, emp, age_min,
                age_max, income_factor, scope_unit, scope_region, online, region_code, valid_from, valid_until,
                limit_, cooldown, phone)`,
      [
        chunkIds,
        column((_, i) => partner(i)),
        column((o) => o.title),
        column((o) => o.description),
        column((o) => o.kind),
        column((o) => o.capacity),
        column((o) => o.remaining),
        column((o) => o.amountPerBeneficiaryFen),
        column((o) => o.eligibility.categories.join(',')),
        column((o) => o.eligibility.causes.join(',')),
        column((o) => o.eligibility.employment.join(',')),
        column((o) => o.eligibility.ageMin),
        column((o) => o.eligibility.ageMax),
        column((o) => o.eligibility.incomeFactor),
        column((o) => o.scopeUnitId),
        column((o) => o.scopeRegionPrefix),
        column((o) => o.online),
        column((o) => o.regionCode),
        column((o) => o.validFrom),
        column((o) => o.validUntil),
        column((o) => o.perHouseholdLimit),
        column((o) => o.cooldownDays),
        column((_, i) =>
          cipher.encrypt(
            `1360000${String(i % 10_000).padStart(4, '0')}`,
            offerContactPhoneField(chunkIds[i]),
          ),
        ),
        fixture.author,
      ],
    );
    await ctx.dataSource.query(
      `INSERT INTO offer_items (offer_id, menu_item_id, position)
       SELECT t.offer_id, t.item_id, t.position FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS t(offer_id, item_id, position)`,
      [
        chunk.flatMap((o, i) => o.itemCodes.map(() => chunkIds[i])),
        chunk.flatMap((o) => o.itemCodes.map((c) => itemId.get(c)!)),
        chunk.flatMap((o) => o.itemCodes.map((_, p) => p)),
      ],
    );
    for (const state of ['pending_review', 'published'])
      await ctx.dataSource.query(
        `UPDATE offers SET state = $2::varchar, version = version + 1,
                published_at = CASE WHEN $2::text = 'published' THEN now() ELSE published_at END
          WHERE id = ANY($1::uuid[])`,
        [chunkIds, state],
      );
    ids.push(...chunkIds);
  }
  return ids;
}

/**
 * The naive query: every hard filter and a comparable score in one SQL statement over the offers table.
 * $1 the need, $2 today, then the weights and tables of config/matching.yml.
 */
const NAIVE_SQL = `
WITH n AS (
  SELECT n.id, n.menu_item_id, m.name AS item_name, m.category AS item_category, n.region_code, n.preferred_mode,
         n.urgency, coalesce(n.opened_at, n.created_at) AS opened_at, u.path AS unit_path,
         a.status AS archive_status, a.category AS archive_category, a.causes, a.employment_status,
         a.per_capita_income_fen, coalesce(a.primary_cause, a.causes[1], 'other') AS primary_cause,
         date_part('year', age($2::date, coalesce(am.birth_date, a.head_birth_date)))::int AS age,
         (SELECT l.monthly_amount_fen FROM dibao_lines l
           WHERE a.region_code LIKE l.region_code || '%' AND l.effective_from <= $2::date
           ORDER BY length(l.region_code) DESC, l.effective_from DESC LIMIT 1) AS line_fen
    FROM needs n
    JOIN menu_items m ON m.id = n.menu_item_id
    JOIN archives a ON a.id = n.archive_id
    JOIN org_units u ON u.id = a.org_unit_id
    LEFT JOIN archive_members am ON am.archive_id = n.archive_id AND am.id::text = n.beneficiary_key
   WHERE n.id = $1
)
SELECT o.id,
       $3::float8 * (CASE WHEN strpos(o.title, n.item_name) > 0 THEN 1 ELSE 0.5 END)
     + $4::float8 * 1
     + $5::float8 * (CASE WHEN o.online THEN $6::float8 WHEN o.region_code = n.region_code THEN 1
                          WHEN left(o.region_code, 4) = left(n.region_code, 4) THEN $7::float8
                          WHEN left(o.region_code, 2) = left(n.region_code, 2) THEN $8::float8 ELSE 0 END)
     + $9::float8 * least(1, o.remaining::float8 / o.capacity)
     + $10::float8 * ((CASE n.archive_category WHEN 'dibao' THEN 1 WHEN 'marginal' THEN 0.7 ELSE 0.8 END)
                     + (CASE WHEN n.primary_cause IN ('illness', 'disability') THEN 1 ELSE 0.7 END)
                     + (CASE n.urgency WHEN 'emergency' THEN 1 WHEN 'urgent' THEN 0.7 ELSE 0.3 END)) / 3
     + $11::float8 * least(1, extract(epoch FROM (now() - n.opened_at)) / 86400 / 60)
     + $12::float8 AS score
  FROM offers o
  JOIN partners p ON p.id = o.partner_id
  JOIN offer_items oi ON oi.offer_id = o.id
  CROSS JOIN n
 WHERE oi.menu_item_id = n.menu_item_id
   AND o.state = 'published' AND o.remaining > 0 AND p.status = 'approved'
   AND o.valid_from <= $2::date AND o.valid_until >= $2::date
   AND (o.scope_org_unit_id IS NULL OR strpos(n.unit_path, '/' || o.scope_org_unit_id::text || '/') > 0)
   AND (o.scope_region_prefix IS NULL OR o.online OR n.region_code LIKE o.scope_region_prefix || '%')
   AND (n.preferred_mode = 'any' OR o.online = (n.preferred_mode = 'online'))
   AND (cardinality(o.elig_categories) = 0 OR n.archive_category = ANY(o.elig_categories))
   AND (cardinality(o.elig_causes) = 0 OR o.elig_causes && n.causes::varchar[])
   AND (cardinality(o.elig_employment) = 0 OR n.employment_status = ANY(o.elig_employment))
   AND (o.age_min IS NULL OR n.age >= o.age_min) AND (o.age_max IS NULL OR n.age <= o.age_max)
   AND (o.income_factor IS NULL OR (n.line_fen IS NOT NULL AND n.per_capita_income_fen <= o.income_factor * n.line_fen))
   AND (NOT o.requires_active_archive OR n.archive_status = 'active')
 ORDER BY score DESC, o.id
 LIMIT ${PAGE}`;

async function run(ctx: BenchContext): Promise<void> {
  const { config } = ctx;
  if (config.env === 'production') throw new Error('suggestions 基准写入演示数据，不能在生产环境运行');
  const queryCount = ctx.options.queries ?? DEFAULT_QUERIES;
  const cipher = new FieldCipher(fieldCipherOptionsFrom(config.crypto));
  const now = new Clock().now();
  const today = chinaToday(now);

  ctx.log('seeding the demo data (seed:demo) on the scratch database');
  const hasher = new PasswordHasher(config);
  await seedDemo(ctx.dataSource, config, { hash: (p) => hasher.hash(p), cipher, now });
  const fixture = await readFixture(ctx);
  // A real demo account whose roles may ask for suggestions (hz.approver, the city of Hangzhou), and the
  // open demo needs in its scope.
  const [reviewer] = await ctx.dataSource.query(
    `SELECT u.id, u.username, u.roles, o.id AS unit_id, o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id
      WHERE u.username = $1`,
    [ACCOUNT],
  );
  if (!reviewer) throw new Error(`演示数据中没有账号 ${ACCOUNT}`);
  const needs: string[] = (
    await ctx.dataSource.query(
      `SELECT n.id FROM needs n JOIN archives a ON a.id = n.archive_id JOIN org_units o ON o.id = a.org_unit_id
        WHERE n.state = 'open' AND o.path LIKE $1 || '%' ORDER BY n.id LIMIT $2`,
      [reviewer.path, queryCount],
    )
  ).map((r: { id: string }) => r.id);
  ctx.report('suggest.needs', needs.length);
  const principal: Principal = {
    userId: reviewer.id,
    username: reviewer.username,
    kind: 'staff',
    roles: reviewer.roles,
    orgUnitId: reviewer.unit_id,
    orgPath: reviewer.path,
    partnerId: null,
    sessionId: '00000000-0000-4000-8000-00000000be11',
    restriction: null,
  };

  // The app on the scratch database, with the PostgreSQL search adapter whatever MEILI_URL says.
  const appConfig = loadConfig({
    env: { ...processEnv(), DATABASE_URL: ctx.databaseUrl, MEILI_URL: '', REDIS_URL: '' },
    overrides: { log: { level: 'silent' } },
  });
  let app: NestFastifyApplication | undefined;
  try {
    app = await createHttpApp(appConfig);
    await app.init();
    const suggestions = app.get(SuggestionsService);
    const engine = app.get<SearchEngine>(SEARCH_ENGINE);
    const source = app.get(OffersSearchSource);
    await engine.ensureIndex(source.definition);
    const query = Object.assign(new NeedSuggestionsQueryDto(), { page: 1, pageSize: PAGE });
    const { weights, proximity } = config.matching;
    const random = new Random(ctx.options.seed);
    let total = 0;
    const top = ctx.options.docs ?? DEFAULT_TOP;
    for (const size of [Math.round(top / 10), top]) {
      const add = size - total;
      ctx.log(`inserting ${add} synthetic offers (${size} in all)`);
      const inserted = await timed(() => insertOffers(ctx, fixture, cipher, random, add, today));
      ctx.report(`suggest.${label(size)}.insert_s`, inserted.ms / 1000, 1);
      ctx.log(`indexing them in the PostgreSQL adapter`);
      const indexed = await timed(async () => {
        for (let i = 0; i < inserted.result.length; i += INDEX_CHUNK)
          await engine.upsert(OFFERS_INDEX, await source.load(inserted.result.slice(i, i + INDEX_CHUNK)));
      });
      ctx.report(`suggest.${label(size)}.index_s`, indexed.ms / 1000, 1);
      total = size;
      // Every table analysed (the seeded ones too): the naive query's plan depends on it (with the partners
      // unanalysed the planner loops over every offer once per partner, 30x slower).
      await ctx.dataSource.query('VACUUM ANALYZE');
      const [{ published }] = await ctx.dataSource.query(
        `SELECT count(*)::int AS published FROM offers WHERE state = 'published'`,
      );
      ctx.report(`suggest.${label(size)}.published`, published);

      let suggested = 0;
      ctx.log(`suggestions for ${needs.length} needs through SuggestionsService.forNeed`);
      const service = await latencies(needs, async (id) => {
        suggested += (await suggestions.forNeed(principal, id, query)).items.length;
      });
      let naiveRows = 0;
      ctx.log(`the naive SQL for the same needs`);
      const naive = await latencies(needs, async (id) => {
        const rows: unknown[] = await ctx.dataSource.query(NAIVE_SQL, [
          id,
          today,
          weights.text,
          weights.item,
          weights.proximity,
          proximity.online,
          proximity.city,
          proximity.province,
          weights.capacity,
          weights.hardship,
          weights.waiting,
          weights.fairness,
        ]);
        naiveRows += rows.length;
      });
      const runs = needs.length + Math.min(20, needs.length);
      const name = `suggest.${label(size)}`;
      ctx.report(`${name}.p50_ms`, service.p50, 1);
      ctx.report(`${name}.p95_ms`, service.p95, 1);
      ctx.report(`${name}.naive.p50_ms`, naive.p50, 1);
      ctx.report(`${name}.naive.p95_ms`, naive.p95, 1);
      ctx.report(
        `${name}.ratio.p50`,
        `${(naive.p50 / service.p50).toFixed(2)}x (naive ÷ suggestions; goal ≥ ${GOAL_RATIO}x: ${naive.p50 / service.p50 >= GOAL_RATIO ? 'met' : 'NOT met'})`,
      );
      ctx.report(`${name}.ratio.p95`, `${(naive.p95 / service.p95).toFixed(2)}x`);
      ctx.report(
        `${name}.p95_goal`,
        `${service.p95 <= GOAL_P95_MS ? 'met' : 'NOT met'} (p95 ${service.p95.toFixed(1)} ms, goal ≤ ${GOAL_P95_MS} ms)`,
      );
      ctx.report(`${name}.mean_items`, suggested / runs, 1);
      ctx.report(`${name}.naive.mean_rows`, naiveRows / runs, 1);
      await breakdown(ctx, app, name, needs, today);
    }
  } finally {
    await app?.close();
  }
}

/**
 * What dominates forNeed: its two largest steps alone, for the same needs — the engine's candidate search
 * (the same q and pushed filter, CANDIDATE_LIMIT hits) and the re-read of those hits from PostgreSQL.
 */
async function breakdown(
  ctx: BenchContext,
  app: NestFastifyApplication,
  name: string,
  needs: string[],
  today: string,
): Promise<void> {
  const engine = app.get<SearchEngine>(SEARCH_ENGINE);
  const reads = app.get(OfferReadsService);
  const lines = app.get(DibaoLinesService);
  const rows = await app.get(NeedsService).matchRows(needs);
  const queries = await Promise.all(
    rows.map(async (need) => {
      const line = (await lines.lineFor(need.archiveRegionCode, today))?.monthlyAmountFen ?? null;
      const facts = needFacts(need, today, line);
      return {
        q: [need.itemName, ...need.tags].join(' '),
        filter: offerCandidateFilter({ ...facts, itemCode: need.itemCode }, today),
      };
    }),
  );
  let matches = 0;
  const hits: string[][] = [];
  const search = await latencies(queries, async (query) => {
    const result = await engine.search(OFFERS_INDEX, { ...query, limit: CANDIDATE_LIMIT });
    matches += result.total;
    hits.push(result.hits.map((h) => h.id));
  });
  const reread = await latencies(hits.slice(0, needs.length), (ids) => reads.rows(ids));
  const runs = needs.length + Math.min(20, needs.length);
  ctx.report(`${name}.engine.p50_ms`, search.p50, 1);
  ctx.report(`${name}.engine.p95_ms`, search.p95, 1);
  ctx.report(`${name}.engine.mean_matches`, matches / runs, 0);
  ctx.report(`${name}.reread.p50_ms`, reread.p50, 1);
  ctx.report(`${name}.reread.p95_ms`, reread.p95, 1);
}

function label(size: number): string {
  return size >= 1000 ? `${size / 1000}k` : String(size);
}

export const suggestionsBenchmark: Benchmark = {
  name: 'suggestions',
  description:
    'suggestions for one need (SuggestionsService + PostgreSQL adapter) vs a naive scoring SQL, 10k and 100k offers',
  run,
};
