/**
 * The SearchEngine contract, run against every configured adapter: PostgreSQL always (on a fresh
 * test database), Meilisearch when `search.meili.url` is set (MEILI_URL), otherwise reported as
 * skipped. Adapters must agree on everything asserted here.
 */
import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { MeilisearchEngine } from '../../../src/infra/search/meilisearch/meilisearch.engine';
import { PostgresSearchEngine } from '../../../src/infra/search/postgres/postgres-search.engine';
import { InvalidSearchFilterError } from '../../../src/infra/search/search-errors';
import {
  F,
  IndexDefinition,
  SearchDocument,
  SearchEngine,
  SearchResult,
} from '../../../src/infra/search/search-engine';
import { createTestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

interface Target {
  name: string;
  /** Why this adapter is not run here, if it is not. */
  skip?: string;
  start(): Promise<{ engine: SearchEngine; stop(): Promise<void> }>;
}

const config = testConfig();

const targets: Target[] = [
  {
    name: 'postgres',
    async start() {
      const db = await createTestDatabase();
      const engine = new PostgresSearchEngine(db.dataSource, { batchSize: 2 });
      return { engine, stop: () => db.drop() };
    },
  },
  {
    name: 'meilisearch',
    skip: config.search.meili.url ? undefined : 'MEILI_URL not set',
    async start() {
      const meili = config.search.meili;
      const indexPrefix = `${meili.indexPrefix}test_${randomBytes(3).toString('hex')}_`;
      const engine = MeilisearchEngine.fromConfig({ ...meili, indexPrefix });
      return {
        engine,
        async stop() {
          const client = new Meilisearch({ host: meili.url!, apiKey: meili.apiKey });
          await client.deleteIndexIfExists(engine.uid(offers.name));
        },
      };
    },
  },
];

const offers: IndexDefinition = {
  name: 'contract_offers',
  searchableFields: ['title', 'providerName', 'description'],
  filterableFields: {
    status: 'string',
    category: 'string',
    regionCodes: 'string',
    providerName: 'string',
    capacityRemaining: 'number',
    online: 'boolean',
  },
};

/** Provider names that differ only by quotes and backslashes: a filter must pick exactly one. */
const TRICKY = {
  quoted: '工会"帮扶"中心',
  backslashed: '工会\\帮扶\\中心',
  both: '工会\\"帮扶\\"中心',
  trailing: '工会帮扶中心\\',
};

function documents(): SearchDocument[] {
  return [
    {
      id: 'o1',
      title: '电工技能培训班（免费）',
      providerName: TRICKY.quoted,
      description: '面向困难职工的低压电工上岗证培训，结业后推荐就业',
      status: 'published',
      category: 'training',
      regionCodes: ['33', '3301', '330106'],
      capacityRemaining: 12,
      online: false,
    },
    {
      id: 'o2',
      title: '家政服务岗位招聘',
      providerName: TRICKY.backslashed,
      description: '社区家政公司招聘保洁员和养老护理员',
      status: 'published',
      category: 'employment',
      regionCodes: ['33', '3301', '330102'],
      capacityRemaining: 5,
      online: false,
    },
    {
      id: 'o3',
      title: '金秋助学 大学新生资助',
      providerName: TRICKY.both,
      description: '困难职工子女当年考入大学的一次性资助',
      status: 'published',
      category: 'tuition',
      regionCodes: ['33', '3302'],
      capacityRemaining: 0,
      online: true,
    },
    {
      id: 'o4',
      title: '焊工培训',
      providerName: TRICKY.trailing,
      description: '电焊工技能提升课程',
      status: 'paused',
      category: 'training',
      regionCodes: ['33', '3302', '330205'],
      capacityRemaining: 3,
      online: false,
    },
    {
      id: 'o5',
      title: '法律援助咨询',
      providerName: '律师志愿团',
      description: '劳动争议、工伤认定免费咨询',
      status: 'closed',
      category: 'legal',
      regionCodes: ['33'],
      capacityRemaining: 1,
      online: true,
    },
  ];
}

const ALL = ['o1', 'o2', 'o3', 'o4', 'o5'];

function ids(result: SearchResult): string[] {
  return result.hits.map((h) => h.id).sort();
}

function contract(target: Target): void {
  let engine: SearchEngine;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ engine, stop } = await target.start());
    await engine.ensureIndex(offers);
  });

  afterAll(async () => {
    await engine?.close();
    await stop?.();
  });

  beforeEach(async () => {
    await engine.clear(offers.name);
    await engine.upsert(offers.name, documents());
  });

  const search = (query: Parameters<SearchEngine['search']>[1]) => engine.search(offers.name, query);

  it('ensureIndex is idempotent and keeps the documents', async () => {
    await engine.ensureIndex(offers);
    await engine.ensureIndex({ ...offers });
    const result = await search({ limit: 50 });
    expect(ids(result)).toEqual(ALL);
    expect(result.total).toBe(5);
    expect(result.engine).toBe(target.name);
  });

  it('finds a document by Chinese text, best match first', async () => {
    const result = await search({ q: '电工培训' });
    expect(result.hits[0]?.id).toBe('o1');
    expect((await search({ q: '家政' })).hits[0]?.id).toBe('o2');
    expect((await search({ q: '金秋助学' })).hits[0]?.id).toBe('o3');
    expect((await search({ q: '大学新生' })).hits[0]?.id).toBe('o3');
  });

  it('still finds a document when the query words never occur together', async () => {
    // No offer mentions both; every engine returns the one with the first word.
    expect((await search({ q: '电工 咨询' })).hits.map((h) => h.id)).toContain('o1');
  });

  it('combines text and filters', async () => {
    const result = await search({ q: '培训', filter: F.eq('status', 'published') });
    expect(ids(result)).toEqual(['o1']);
    expect(result.total).toBe(1);
  });

  it('scores are within [0, 1] and in descending order', async () => {
    for (const q of ['培训', '电工培训', '职工 资助 咨询']) {
      const result = await search({ q });
      expect(result.hits.length).toBeGreaterThan(0);
      const scores = result.hits.map((h) => h.score);
      for (const score of scores) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });

  it('scores 1 without a text query', async () => {
    const result = await search({ filter: F.eq('category', 'training') });
    expect(result.hits.map((h) => h.score)).toEqual([1, 1]);
  });

  describe('filters', () => {
    it.each([
      { name: 'eq string', filter: F.eq('status', 'published'), expected: ['o1', 'o2', 'o3'] },
      { name: 'eq number', filter: F.eq('capacityRemaining', 3), expected: ['o4'] },
      { name: 'eq boolean', filter: F.eq('online', true), expected: ['o3', 'o5'] },
      { name: 'eq on a multi-valued field', filter: F.eq('regionCodes', '3301'), expected: ['o1', 'o2'] },
      { name: 'in', filter: F.in('category', ['training', 'tuition']), expected: ['o1', 'o3', 'o4'] },
      {
        name: 'in on a multi-valued field',
        filter: F.in('regionCodes', ['330106', '330205']),
        expected: ['o1', 'o4'],
      },
      { name: 'empty in matches nothing', filter: F.in('category', []), expected: [] },
      {
        name: 'range gt',
        filter: F.range('capacityRemaining', { gt: 0 }),
        expected: ['o1', 'o2', 'o4', 'o5'],
      },
      {
        name: 'range gte + lt',
        filter: F.range('capacityRemaining', { gte: 3, lt: 12 }),
        expected: ['o2', 'o4'],
      },
      { name: 'range lte', filter: F.range('capacityRemaining', { lte: 1 }), expected: ['o3', 'o5'] },
      {
        name: 'and',
        filter: F.and(F.eq('status', 'published'), F.eq('regionCodes', '3301')),
        expected: ['o1', 'o2'],
      },
      { name: 'or', filter: F.or(F.eq('category', 'legal'), F.eq('online', true)), expected: ['o3', 'o5'] },
      { name: 'not', filter: F.not(F.eq('status', 'published')), expected: ['o4', 'o5'] },
      {
        name: 'nested and / or / not',
        filter: F.and(
          F.or(F.eq('category', 'training'), F.eq('category', 'employment')),
          F.not(F.range('capacityRemaining', { lt: 4 })),
        ),
        expected: ['o1', 'o2'],
      },
      { name: 'empty and matches everything', filter: F.and(), expected: ALL },
    ])('$name', async ({ filter, expected }) => {
      const result = await search({ filter, limit: 50 });
      expect(ids(result)).toEqual(expected);
      expect(result.total).toBe(expected.length);
    });

    it.each([
      { value: TRICKY.quoted, expected: ['o1'] },
      { value: TRICKY.backslashed, expected: ['o2'] },
      { value: TRICKY.both, expected: ['o3'] },
      { value: TRICKY.trailing, expected: ['o4'] },
      { value: '工会帮扶中心', expected: [] },
      { value: '" OR status = "published', expected: [] },
    ])('string values with quotes and backslashes match exactly: $value', async ({ value, expected }) => {
      expect(ids(await search({ filter: F.eq('providerName', value) }))).toEqual(expected);
      expect(ids(await search({ filter: F.in('providerName', [value, '不存在']) }))).toEqual(expected);
    });

    it('rejects an unknown filter field', async () => {
      await expect(search({ filter: F.eq('contactPhone', '13800000000') })).rejects.toThrow(
        InvalidSearchFilterError,
      );
      await expect(
        search({ filter: F.and(F.eq('status', 'published'), F.in('owner', ['x'])) }),
      ).rejects.toThrow(/不可过滤/);
    });

    it('rejects a value of the wrong type', async () => {
      await expect(search({ filter: F.eq('capacityRemaining', '3') })).rejects.toThrow(
        InvalidSearchFilterError,
      );
    });
  });

  it('delete removes documents and ignores absent ids', async () => {
    await engine.delete(offers.name, ['o1', 'does-not-exist']);
    expect(ids(await search({ limit: 50 }))).toEqual(['o2', 'o3', 'o4', 'o5']);
    expect((await search({ q: '电工技能' })).hits.map((h) => h.id)).not.toContain('o1');
  });

  it('upsert replaces a document (no duplicates)', async () => {
    await engine.upsert(offers.name, [{ ...documents()[0], title: '钳工实训班', status: 'closed' }]);
    await engine.upsert(offers.name, [{ ...documents()[0], title: '钳工实训班', status: 'closed' }]);
    const all = await search({ limit: 50 });
    expect(ids(all)).toEqual(ALL);
    expect(all.total).toBe(5);
    expect((await search({ q: '钳工' })).hits[0]?.id).toBe('o1');
    expect(ids(await search({ filter: F.eq('status', 'published') }))).toEqual(['o2', 'o3']);
  });

  it('clear empties the index', async () => {
    await engine.clear(offers.name);
    const result = await search({});
    expect(result.hits).toEqual([]);
    expect(result.total).toBe(0);
  });

  it('pages with limit and offset', async () => {
    const pages = [];
    for (const offset of [0, 2, 4]) pages.push(await search({ limit: 2, offset }));
    expect(pages.map((p) => p.hits.length)).toEqual([2, 2, 1]);
    for (const page of pages) expect(page.total).toBe(5);
    expect(pages.flatMap((p) => p.hits.map((h) => h.id)).sort()).toEqual(ALL);
    const beyond = await search({ limit: 2, offset: 10 });
    expect(beyond.hits).toEqual([]);
    expect(beyond.total).toBe(5);
  });

  it('pages through text results in score order', async () => {
    const all = await search({ q: '培训', limit: 10 });
    const first = await search({ q: '培训', limit: 1 });
    const second = await search({ q: '培训', limit: 1, offset: 1 });
    expect(all.hits.length).toBeGreaterThanOrEqual(2);
    expect([first.hits[0].id, second.hits[0].id]).toEqual(all.hits.slice(0, 2).map((h) => h.id));
  });
}

describe('SearchEngine contract', () => {
  for (const target of targets) {
    if (target.skip) describe.skip(`${target.name} (skipped: ${target.skip})`, () => contract(target));
    else describe(target.name, () => contract(target));
  }
});
