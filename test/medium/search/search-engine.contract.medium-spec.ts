/**
 * The SearchEngine contract, run against every configured adapter: PostgreSQL always (on a fresh
 * test database), Meilisearch when `search.meili.url` is set (MEILI_URL), otherwise reported as
 * skipped. Adapters must agree on everything asserted here.
 */
import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { MeilisearchEngine } from '../../../src/infra/search/meilisearch/meilisearch.engine';
import { PostgresSearchEngine } from '../../../src/infra/search/postgres/postgres-search.engine';
import {
  InvalidSearchDocumentError,
  InvalidSearchFilterError,
  InvalidSearchQueryError,
} from '../../../src/infra/search/search-errors';
import { MAX_QUERY_WORDS, MAX_TOTAL } from '../../../src/infra/search/search-validation';
import {
  F,
  IndexDefinition,
  S,
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
    memberAges: 'number',
    online: 'boolean',
  },
  /** `capacityRemaining` is filterable too; `rank` only sortable (o4 has none). */
  sortableFields: ['capacityRemaining', 'rank'],
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
      rank: 2,
      title: '电工技能培训班（免费）',
      providerName: TRICKY.quoted,
      description: '面向困难职工的低压电工上岗证培训，结业后推荐就业',
      status: 'published',
      category: 'training',
      regionCodes: ['33', '3301', '330106'],
      capacityRemaining: 12,
      memberAges: [8, 70],
      online: false,
    },
    {
      id: 'o2',
      rank: 1,
      title: '家政服务岗位招聘',
      providerName: TRICKY.backslashed,
      description: '社区家政公司招聘保洁员和养老护理员',
      status: 'published',
      category: 'employment',
      regionCodes: ['33', '3301', '330102'],
      capacityRemaining: 5,
      memberAges: [35],
      online: false,
    },
    {
      id: 'o3',
      rank: 2,
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
      rank: 1,
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
      { value: '" or status = "published', expected: [] },
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

  describe('filter values are codes (one rule, checked by the port)', () => {
    it.each([
      { name: 'upper case', value: 'Published', problem: /小写/ },
      { name: 'the empty string', value: '', problem: /空字符串/ },
      { name: 'surrounding whitespace', value: 'published ', problem: /空白/ },
      { name: 'full-width characters', value: 'ｐｕｂｌｉｓｈｅｄ', problem: /NFKD/ },
      { name: 'more than 256 bytes', value: '帮'.repeat(157), problem: /256 字节/ },
    ])('refuses $name in eq, in and not', async ({ value, problem }) => {
      await expect(search({ filter: F.eq('status', value) })).rejects.toThrow(problem);
      await expect(search({ filter: F.in('status', ['published', value]) })).rejects.toThrow(
        InvalidSearchFilterError,
      );
      await expect(search({ filter: F.not(F.eq('status', value)) })).rejects.toThrow(
        InvalidSearchFilterError,
      );
    });

    it('refuses a document whose filterable value is not a code, and writes none of its batch', async () => {
      await expect(
        engine.upsert(offers.name, [
          { id: 'o6', title: '新文档', status: 'published' },
          { id: 'o7', title: '新文档', status: 'Published' },
        ]),
      ).rejects.toThrow(InvalidSearchDocumentError);
      await expect(engine.upsert(offers.name, [{ id: 'o8', status: '' }])).rejects.toThrow(/空字符串/);
      expect(ids(await search({ limit: 50 }))).toEqual(ALL);
    });

    it('compares codes exactly, long Chinese values included', async () => {
      const long = '帮'.repeat(85); // 255 bytes: accepted, and never cut
      await engine.upsert(offers.name, [{ id: 'o6', title: '长名称', providerName: long }]);
      expect(ids(await search({ filter: F.eq('providerName', long) }))).toEqual(['o6']);
      expect(ids(await search({ filter: F.eq('providerName', '帮'.repeat(84)) }))).toEqual([]);
    });
  });

  describe('ranges on multi-valued fields: one value must lie within every bound', () => {
    it.each([
      { name: 'closed', bounds: { gte: 18, lte: 60 }, expected: ['o2'] },
      { name: 'open', bounds: { gt: 8, lt: 70 }, expected: ['o2'] },
      { name: 'half-open', bounds: { gte: 8, lt: 35 }, expected: ['o1'] },
      { name: 'touching a value', bounds: { gte: 70, lte: 70 }, expected: ['o1'] },
      { name: 'bounds that cross', bounds: { gt: 35, lt: 35 }, expected: [] },
    ])('$name', async ({ bounds, expected }) => {
      const result = await search({ filter: F.range('memberAges', bounds), limit: 50 });
      expect(ids(result)).toEqual(expected);
      expect(result.total).toBe(expected.length);
    });

    it('not of a range matches documents with no value inside it (and those without the field)', async () => {
      expect(
        ids(await search({ filter: F.not(F.range('memberAges', { gte: 18, lte: 60 })), limit: 50 })),
      ).toEqual(['o1', 'o3', 'o4', 'o5']);
    });
  });

  describe('numbers', () => {
    it('filters with tiny and large numbers the grammar would refuse in exponent form', async () => {
      expect(ids(await search({ filter: F.range('capacityRemaining', { gt: 1e-7 }), limit: 50 }))).toEqual([
        'o1',
        'o2',
        'o4',
        'o5',
      ]);
      expect(
        ids(
          await search({ filter: F.range('capacityRemaining', { lte: Number.MAX_SAFE_INTEGER }), limit: 50 }),
        ),
      ).toEqual(ALL);
      expect(ids(await search({ filter: F.eq('capacityRemaining', 0.5) }))).toEqual([]);
    });

    it('refuses numbers beyond 2^53 in filters and in documents', async () => {
      await expect(search({ filter: F.eq('capacityRemaining', 1e21) })).rejects.toThrow(
        InvalidSearchFilterError,
      );
      await expect(search({ filter: F.range('capacityRemaining', { lt: -1e300 }) })).rejects.toThrow(
        InvalidSearchFilterError,
      );
      await expect(engine.upsert(offers.name, [{ id: 'o6', capacityRemaining: 1e21 }])).rejects.toThrow(
        InvalidSearchDocumentError,
      );
    });
  });

  it(`uses the first ${MAX_QUERY_WORDS} query words only`, async () => {
    const filler = ['aa', 'bb', 'cc', 'dd', 'ee', 'ff', 'gg', 'hh', 'ii', 'jj'];
    expect(filler).toHaveLength(MAX_QUERY_WORDS);
    // The only matching word is the eleventh: no engine sees it.
    expect((await search({ q: [...filler, '焊工'].join(' ') })).hits).toEqual([]);
    // As the first word it counts.
    expect((await search({ q: ['焊工', ...filler.slice(1)].join(' ') })).hits.map((h) => h.id)).toContain(
      'o4',
    );
  });

  it(`reports total exactly up to ${MAX_TOTAL} and capped beyond`, async () => {
    const many = Array.from({ length: MAX_TOTAL - 3 }, (_, i) => ({
      id: `m${i}`,
      title: '批量',
      status: 'published',
    }));
    await engine.upsert(offers.name, many);
    const exact = await search({ filter: F.eq('status', 'published'), limit: 10 });
    expect(exact).toMatchObject({ total: MAX_TOTAL, totalCapped: false });
    await engine.upsert(offers.name, [{ id: 'extra', title: '批量', status: 'published' }]);
    const capped = await search({ filter: F.eq('status', 'published'), limit: 10, offset: 990 });
    expect(capped).toMatchObject({ total: MAX_TOTAL, totalCapped: true });
    expect(capped.hits).toHaveLength(10);
    expect((await search({ filter: F.eq('status', 'paused') })).totalCapped).toBe(false);
  });

  describe('replaceAll (reindex into a fresh copy, then swap)', () => {
    it('replaces every document with the new set', async () => {
      const written = await engine.replaceAll(offers.name, async function* () {
        yield [documents()[1], { ...documents()[0], id: 'n1' }];
        yield [documents()[2]];
      });
      expect(written).toBe(3);
      expect(ids(await search({ limit: 50 }))).toEqual(['n1', 'o2', 'o3']);
      expect(await engine.count(offers.name)).toBe(3);
    });

    it('changes nothing when the rebuild fails half-way', async () => {
      await expect(
        engine.replaceAll(offers.name, async function* () {
          yield [documents()[0]];
          throw new Error('PostgreSQL went away');
        }),
      ).rejects.toThrow('PostgreSQL went away');
      expect(ids(await search({ limit: 50 }))).toEqual(ALL);
      expect((await search({ q: '家政' })).hits[0]?.id).toBe('o2');
    });

    it('changes nothing when a document of the rebuild is refused', async () => {
      await expect(
        engine.replaceAll(offers.name, async function* () {
          yield [{ id: 'n1', status: 'Bad' }];
        }),
      ).rejects.toThrow(InvalidSearchDocumentError);
      expect(ids(await search({ limit: 50 }))).toEqual(ALL);
    });
  });

  it('counts documents', async () => {
    expect(await engine.count(offers.name)).toBe(5);
    await engine.delete(offers.name, ['o1']);
    expect(await engine.count(offers.name)).toBe(4);
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

  describe('sort (keys, then the id; missing values last)', () => {
    const order = (result: SearchResult) => result.hits.map((h) => h.id);

    it.each([
      {
        name: 'a number ascending',
        sort: [S.asc('capacityRemaining')],
        expected: ['o3', 'o5', 'o4', 'o2', 'o1'],
      },
      {
        name: 'a number descending',
        sort: [S.desc('capacityRemaining')],
        expected: ['o1', 'o2', 'o4', 'o5', 'o3'],
      },
      // rank: o2 1, o5 1, o1 2, o3 2, o4 none — ties by id, the document without a rank last either way.
      {
        name: 'ties by id, missing last (asc)',
        sort: [S.asc('rank')],
        expected: ['o2', 'o5', 'o1', 'o3', 'o4'],
      },
      {
        name: 'ties by id, missing last (desc)',
        sort: [S.desc('rank')],
        expected: ['o1', 'o3', 'o2', 'o5', 'o4'],
      },
      {
        name: 'two keys',
        sort: [S.asc('rank'), S.desc('capacityRemaining')],
        expected: ['o2', 'o5', 'o1', 'o3', 'o4'],
      },
    ])('$name', async ({ sort, expected }) => {
      const result = await search({ sort, limit: 50 });
      expect(order(result)).toEqual(expected);
      expect(result.total).toBe(5);
    });

    it('sorts within the filter', async () => {
      expect(
        order(await search({ filter: F.eq('status', 'published'), sort: [S.desc('capacityRemaining')] })),
      ).toEqual(['o1', 'o2', 'o3']);
    });

    it('with a text query: the matches in sort order, relevance aside', async () => {
      // o1 (电工技能培训班, 12 left) matches 培训 better than o4 (焊工培训, 3 left); the sort decides.
      expect(order(await search({ q: '培训', sort: [S.asc('capacityRemaining')] }))).toEqual(['o4', 'o1']);
      expect(order(await search({ q: '培训', sort: [S.desc('capacityRemaining')] }))).toEqual(['o1', 'o4']);
    });

    it('with a text query: every word must match (no partial matches)', async () => {
      // Without a sort both engines list o1 for its first word; a sorted list only has documents with both.
      const sorted = await search({ q: '电工 咨询', sort: [S.asc('capacityRemaining')] });
      expect(sorted.hits).toEqual([]);
      expect(sorted.total).toBe(0);
      expect(order(await search({ q: '电工 培训', sort: [S.asc('rank')] }))).toEqual(['o1']);
    });

    it('breaks ties by the lower-cased id in byte order, whatever the database collation', async () => {
      await engine.clear(offers.name);
      await engine.upsert(
        offers.name,
        ['tB', 't_1', 't1', 't-1', 'ta', 't10', 't9'].map((id) => ({ id, title: '同分', rank: 7 })),
      );
      expect(order(await search({ sort: [S.asc('rank')], limit: 50 }))).toEqual([
        't-1',
        't1',
        't10',
        't9',
        't_1',
        'ta',
        'tB', // upper case sorts as lower case (Meilisearch's rule)
      ]);
    });

    it('pages through equal keys without repeating or skipping a document', async () => {
      await engine.upsert(
        offers.name,
        Array.from({ length: 11 }, (_, i) => ({ id: `p${i}`, title: '同分', status: 'published', rank: 1 })),
      );
      const query = {
        filter: F.eq('status', 'published'),
        sort: [S.asc('rank'), S.desc('capacityRemaining')],
      };
      const whole = order(await search({ ...query, limit: 50 }));
      expect(whole).toHaveLength(14);
      const pages: string[] = [];
      for (let offset = 0; offset < whole.length; offset += 3)
        pages.push(...order(await search({ ...query, limit: 3, offset })));
      expect(pages).toEqual(whole);
      // Unaligned windows read the same order.
      expect(order(await search({ ...query, limit: 4, offset: 5 }))).toEqual(whole.slice(5, 9));
    });

    it('a document that loses its sort value moves behind those that have one', async () => {
      await engine.upsert(offers.name, [{ ...documents()[1], rank: undefined }]);
      expect(order(await search({ sort: [S.asc('rank')], limit: 50 }))).toEqual([
        'o5',
        'o1',
        'o3',
        'o2',
        'o4',
      ]);
    });

    it('refuses a field that is not sortable and a bad direction', async () => {
      await expect(search({ sort: [S.asc('status')] })).rejects.toThrow(InvalidSearchQueryError);
      await expect(search({ sort: [S.asc('memberAges')] })).rejects.toThrow(/不可排序/);
      await expect(search({ sort: [{ field: 'rank', direction: 'down' as 'asc' }] })).rejects.toThrow(
        InvalidSearchQueryError,
      );
    });

    it('refuses a document whose sort value is not one number, and writes none of its batch', async () => {
      await expect(
        engine.upsert(offers.name, [
          { id: 'o6', title: '新文档', rank: 3 },
          { id: 'o7', title: '新文档', rank: '3' },
        ]),
      ).rejects.toThrow(InvalidSearchDocumentError);
      await expect(engine.upsert(offers.name, [{ id: 'o8', rank: [1, 2] }])).rejects.toThrow(
        InvalidSearchDocumentError,
      );
      expect(ids(await search({ limit: 50 }))).toEqual(ALL);
    });
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
