/**
 * PostgreSQL full-text adapter vs the naive approach, on synthetic offers.
 * - load: the adapter's upsert (jieba segmentation + INSERT … ON CONFLICT in batches), timed;
 * - queries: filtered Chinese text searches (status = published AND category IN [...] AND region
 *   (city or district, or none) AND capacityRemaining > 0, q like '电工 培训'), p50/p95;
 * - baseline: the same queries as `ILIKE '%电工%' AND ILIKE '%培训%'` over a plain table holding the
 *   same rows and filter columns, with no index but its primary key (no trigram index).
 * Both sides return a page of 20 and the total.
 *
 * Semantics differ on purpose and in the baseline's favour: the adapter matches ANY query word and
 * ranks all-word matches first (so it scores and counts more rows), ILIKE only returns rows with
 * every word, unranked.
 */
import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { MeilisearchEngine } from '../src/infra/search/meilisearch/meilisearch.engine';
import { PostgresSearchEngine } from '../src/infra/search/postgres/postgres-search.engine';
import { F, FilterExpr, IndexDefinition, SearchDocument } from '../src/infra/search/search-engine';
import { CATEGORIES, CITY_CODES, DISTRICTS, generateOffer, QUERIES, SyntheticOffer } from './fixtures/offers';
import { Benchmark, BenchContext, latencies, pick, prng, timed } from './harness';

const INDEX: IndexDefinition = {
  name: 'bench_offers',
  searchableFields: ['title', 'providerName', 'description'],
  filterableFields: {
    status: 'string',
    category: 'string',
    regionCodes: 'string',
    capacityRemaining: 'number',
  },
};
const DEFAULT_DOCS = 100_000;
const DEFAULT_QUERIES = 200;
const LOAD_CHUNK = 5_000;
const PAGE = 20;

interface BenchQuery {
  q: string;
  categories: string[];
  region?: string;
}

function toDocument(offer: SyntheticOffer): SearchDocument {
  return {
    id: offer.id,
    title: offer.title,
    providerName: offer.providerName,
    description: offer.description,
    status: offer.status,
    category: offer.category,
    regionCodes: [offer.district.province, offer.district.city, offer.district.code],
    capacityRemaining: offer.capacityRemaining,
  };
}

function makeQueries(random: () => number, count: number): BenchQuery[] {
  return Array.from({ length: count }, () => {
    const base = pick(random, QUERIES);
    const extra = pick(random, CATEGORIES);
    const r = random();
    const region = r < 0.5 ? pick(random, CITY_CODES) : r < 0.75 ? pick(random, DISTRICTS).code : undefined;
    return { q: base.q, categories: [...new Set([...base.categories, extra])], region };
  });
}

function adapterFilter(query: BenchQuery): FilterExpr {
  return F.and(
    F.eq('status', 'published'),
    F.in('category', query.categories),
    ...(query.region ? [F.eq('regionCodes', query.region)] : []),
    F.range('capacityRemaining', { gt: 0 }),
  );
}

function likeEscape(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The naive query: typed columns, a LIKE on the region code prefix, one ILIKE per query word. */
function ilikeQuery(query: BenchQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = ['published', query.categories];
  const where = ['status = $1', 'category = ANY($2::text[])', 'capacity_remaining > 0'];
  if (query.region) {
    params.push(`${query.region}%`);
    where.push(`region_code LIKE $${params.length}`);
  }
  for (const word of query.q.split(/\s+/).filter(Boolean)) {
    params.push(`%${likeEscape(word)}%`);
    where.push(
      `(title ILIKE $${params.length} OR provider_name ILIKE $${params.length} OR description ILIKE $${params.length})`,
    );
  }
  return {
    sql: `SELECT id, count(*) OVER () AS total FROM bench_offers_plain WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${PAGE}`,
    params,
  };
}

async function run(ctx: BenchContext): Promise<void> {
  const docs = ctx.options.docs ?? DEFAULT_DOCS;
  const queryCount = ctx.options.queries ?? DEFAULT_QUERIES;
  const { dataSource } = ctx;
  const random = prng(ctx.options.seed);

  ctx.log(`generating ${docs} offers`);
  const offers = Array.from({ length: docs }, (_, i) => generateOffer(random, i));
  ctx.report('search.docs', docs);

  // --- load through the adapter
  const engine = new PostgresSearchEngine(dataSource);
  await engine.ensureIndex(INDEX);
  ctx.log('loading through PostgresSearchEngine.upsert');
  const load = await timed(async () => {
    for (let i = 0; i < offers.length; i += LOAD_CHUNK) {
      await engine.upsert(INDEX.name, offers.slice(i, i + LOAD_CHUNK).map(toDocument));
    }
  });
  ctx.report('search.pg.load_s', load.ms / 1000, 1);
  ctx.report('search.pg.load_docs_per_s', (docs / load.ms) * 1000, 0);

  // --- the same rows in a plain table
  ctx.log('loading the plain table');
  await dataSource.query(`CREATE TABLE bench_offers_plain (
    id text PRIMARY KEY, title text NOT NULL, provider_name text NOT NULL, description text NOT NULL,
    status text NOT NULL, category text NOT NULL, region_code text NOT NULL, capacity_remaining int NOT NULL)`);
  const plainLoad = await timed(async () => {
    for (let i = 0; i < offers.length; i += LOAD_CHUNK) {
      const chunk = offers.slice(i, i + LOAD_CHUNK);
      await dataSource.query(
        `INSERT INTO bench_offers_plain
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])`,
        [
          chunk.map((o) => o.id),
          chunk.map((o) => o.title),
          chunk.map((o) => o.providerName),
          chunk.map((o) => o.description),
          chunk.map((o) => o.status),
          chunk.map((o) => o.category),
          chunk.map((o) => o.district.code),
          chunk.map((o) => o.capacityRemaining),
        ],
      );
    }
  });
  ctx.report('search.ilike.load_s', plainLoad.ms / 1000, 1);
  ctx.log('vacuum analyze');
  await dataSource.query('VACUUM ANALYZE search_documents');
  await dataSource.query('VACUUM ANALYZE bench_offers_plain');
  const [size] = await dataSource.query(
    `SELECT pg_total_relation_size('search_documents') AS adapter, pg_total_relation_size('bench_offers_plain') AS plain`,
  );
  ctx.report('search.pg.size_mb', Number(size.adapter) / 1024 / 1024, 1);
  ctx.report('search.ilike.size_mb', Number(size.plain) / 1024 / 1024, 1);

  // --- queries
  const queries = makeQueries(random, queryCount);
  ctx.report('search.queries', queries.length);
  let adapterTotal = 0;
  ctx.log(`running ${queries.length} queries through the adapter`);
  const adapter = await latencies(queries, async (query) => {
    const result = await engine.search(INDEX.name, { q: query.q, filter: adapterFilter(query), limit: PAGE });
    adapterTotal += result.total;
  });
  let ilikeTotal = 0;
  ctx.log(`running ${queries.length} ILIKE queries`);
  const ilike = await latencies(queries, async (query) => {
    const { sql, params } = ilikeQuery(query);
    const rows: { total: string }[] = await dataSource.query(sql, params);
    ilikeTotal += rows.length ? Number(rows[0].total) : 0;
  });
  // totals were summed over warm-up + timed runs alike: report per query over all runs
  const runs = queries.length + Math.min(20, queries.length);

  ctx.report('search.pg.p50_ms', adapter.p50, 1);
  ctx.report('search.pg.p95_ms', adapter.p95, 1);
  ctx.report('search.ilike.p50_ms', ilike.p50, 1);
  ctx.report('search.ilike.p95_ms', ilike.p95, 1);
  ctx.report('search.ratio.p50', `${(ilike.p50 / adapter.p50).toFixed(1)}x`);
  ctx.report('search.ratio.p95', `${(ilike.p95 / adapter.p95).toFixed(1)}x`);
  ctx.report('search.pg.mean_total', adapterTotal / runs, 0);
  ctx.report('search.ilike.mean_total', ilikeTotal / runs, 0);

  // --- reindex throughput (a fresh copy swapped in), on each engine that is configured
  const batches = async function* () {
    for (let i = 0; i < offers.length; i += LOAD_CHUNK) yield offers.slice(i, i + LOAD_CHUNK).map(toDocument);
  };
  ctx.log('reindexing on PostgreSQL (replaceAll)');
  const pgReindex = await timed(() => engine.replaceAll(INDEX.name, batches));
  ctx.report('search.pg.reindex_docs_per_s', (docs / pgReindex.ms) * 1000, 0);
  await meiliReindex(ctx, docs, batches);
}

/** Meilisearch reindex throughput, only where MEILI_URL is set (on a throw-away index prefix). */
async function meiliReindex(
  ctx: BenchContext,
  docs: number,
  batches: () => AsyncIterable<SearchDocument[]>,
): Promise<void> {
  const meili = ctx.config.search.meili;
  if (!meili.url) {
    ctx.log('MEILI_URL not set: no Meilisearch reindex figure');
    return;
  }
  const indexPrefix = `${meili.indexPrefix}bench_${randomBytes(3).toString('hex')}_`;
  const engine = MeilisearchEngine.fromConfig({ ...meili, indexPrefix });
  try {
    await engine.ensureIndex(INDEX);
    ctx.log('reindexing on Meilisearch (batches sent without waiting, then swapped)');
    const reindex = await timed(() => engine.replaceAll(INDEX.name, batches));
    ctx.report('search.meili.reindex_s', reindex.ms / 1000, 1);
    ctx.report('search.meili.reindex_docs_per_s', (docs / reindex.ms) * 1000, 0);
  } finally {
    await new Meilisearch({ host: meili.url, apiKey: meili.apiKey }).deleteIndexIfExists(
      engine.uid(INDEX.name),
    );
  }
}

export const searchBenchmark: Benchmark = {
  name: 'search',
  description: 'PostgreSQL full-text adapter (jieba + tsvector/GIN + jsonb filters) vs ILIKE',
  run,
};
