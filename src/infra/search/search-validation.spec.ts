import {
  InvalidIndexDefinitionError,
  InvalidSearchDocumentError,
  InvalidSearchQueryError,
} from './search-errors';
import { IndexDefinition, S, sameEngine, SortSpec } from './search-engine';
import {
  assertValidDefinition,
  cappedTotal,
  codeProblem,
  dedupeDocuments,
  formatNumber,
  MAX_QUERY_WORDS,
  MAX_TOTAL,
  nextDown,
  nextUp,
  MAX_SORT_FIELDS,
  normalizePaging,
  normalizeSort,
  numberProblem,
  projectDocument,
  queryText,
  sortValue,
} from './search-validation';

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title', 'tags'],
  filterableFields: { status: 'string', regionCodes: 'string', capacityRemaining: 'number' },
  sortableFields: ['publishedAt'],
};

describe('projectDocument', () => {
  it('keeps id, searchable text, filterable and sortable values, and nothing else', () => {
    expect(
      projectDocument(offers, {
        id: 'o1',
        title: '电工培训',
        tags: ['免费', '持证'],
        status: 'published',
        regionCodes: ['33', '3301'],
        capacityRemaining: 3,
        publishedAt: 1700000000,
        contactPhone: '13800000000',
      }),
    ).toEqual({
      id: 'o1',
      title: '电工培训',
      tags: '免费 持证',
      status: 'published',
      regionCodes: ['33', '3301'],
      capacityRemaining: 3,
      publishedAt: 1700000000,
    });
  });

  it('leaves out absent values', () => {
    expect(projectDocument(offers, { id: 'o1', title: null, status: undefined })).toEqual({ id: 'o1' });
  });

  it.each([
    { name: 'a number where a string is declared', doc: { id: 'o1', status: 1 } },
    { name: 'a string inside a number array', doc: { id: 'o1', capacityRemaining: [1, '2'] } },
    { name: 'an object as searchable text', doc: { id: 'o1', title: { zh: '电工' } } },
    { name: 'an id with a space', doc: { id: 'o 1' } },
    { name: 'a numeric id', doc: { id: 1 as unknown as string } },
    { name: 'a string as a sortable value', doc: { id: 'o1', publishedAt: '2026-01-01' } },
    { name: 'an array as a sortable value', doc: { id: 'o1', publishedAt: [1, 2] } },
  ])('rejects $name', ({ doc }) => {
    expect(() => projectDocument(offers, doc)).toThrow(InvalidSearchDocumentError);
  });
});

describe('sorting (the port rule for every engine)', () => {
  const needs: IndexDefinition = {
    name: 'needs',
    searchableFields: ['itemName'],
    filterableFields: { state: 'string', waitingSince: 'number' },
    sortableFields: ['urgencyRank', 'waitingSince'],
  };

  it('accepts declared fields in either direction, most significant first', () => {
    expect(normalizeSort([S.asc('urgencyRank'), S.desc('waitingSince')], needs)).toEqual([
      { field: 'urgencyRank', direction: 'asc' },
      { field: 'waitingSince', direction: 'desc' },
    ]);
    expect(normalizeSort(undefined, needs)).toEqual([]);
    expect(normalizeSort([], needs)).toEqual([]);
  });

  it.each([
    { name: 'a field not declared sortable', sort: [S.asc('state')], problem: /不可排序/ },
    { name: 'a searchable text field', sort: [S.asc('itemName')], problem: /不可排序/ },
    { name: 'the id (always the implicit last key)', sort: [S.asc('id')], problem: /不可排序/ },
    {
      name: 'an unknown direction',
      sort: [{ field: 'urgencyRank', direction: 'up' } as unknown as SortSpec],
      problem: /asc 或 desc/,
    },
    { name: 'a field given twice', sort: [S.asc('urgencyRank'), S.desc('urgencyRank')], problem: /重复/ },
    { name: 'not an array', sort: S.asc('urgencyRank') as unknown as SortSpec[], problem: /数组/ },
    { name: 'a null key', sort: [null as unknown as SortSpec], problem: /不可排序/ },
    {
      name: `more than ${MAX_SORT_FIELDS} keys`,
      sort: Array.from({ length: MAX_SORT_FIELDS + 1 }, () => S.asc('urgencyRank')),
      problem: /最多/,
    },
  ])('refuses $name', ({ sort, problem }) => {
    expect(() => normalizeSort(sort, needs)).toThrow(InvalidSearchQueryError);
    expect(() => normalizeSort(sort, needs)).toThrow(problem);
  });

  it.each([
    { name: 'absent', value: undefined, expected: undefined },
    { name: 'null', value: null, expected: undefined },
    { name: 'an integer', value: 1767225600000, expected: 1767225600000 },
    { name: 'a negative fraction', value: -0.5, expected: -0.5 },
  ])('a sortable value that is $name is kept', ({ value, expected }) => {
    expect(sortValue({ id: 'n1', urgencyRank: value }, 'urgencyRank')).toBe(expected);
  });

  it.each([
    { name: 'a string', value: '1' },
    { name: 'an array', value: [1] },
    { name: 'a boolean', value: true },
    { name: 'NaN', value: Number.NaN },
    { name: 'beyond 2^53', value: 2 ** 60 },
  ])('a sortable value that is $name is refused', ({ value }) => {
    expect(() => sortValue({ id: 'n1', urgencyRank: value }, 'urgencyRank')).toThrow(
      InvalidSearchDocumentError,
    );
  });

  it.each([
    { name: 'a field filterable as a string', change: { sortableFields: ['state'] }, problem: /只能是数值/ },
    { name: 'the id', change: { sortableFields: ['id'] }, problem: /不能包含 id/ },
    { name: 'a field twice', change: { sortableFields: ['urgencyRank', 'urgencyRank'] }, problem: /重复/ },
    { name: 'a reserved word', change: { sortableFields: ['AND'] }, problem: /保留字/ },
  ])('an index definition with $name as sortable is refused', ({ change, problem }) => {
    expect(() => assertValidDefinition({ ...needs, ...change })).toThrow(InvalidIndexDefinitionError);
    expect(() => assertValidDefinition({ ...needs, ...change })).toThrow(problem);
  });

  it('a sortable field may be a filterable number too', () => {
    expect(() => assertValidDefinition(needs)).not.toThrow();
  });
});

describe('dedupeDocuments', () => {
  it('keeps the last version of each id', () => {
    expect(dedupeDocuments([{ id: 'a', v: 1 }, { id: 'b' }, { id: 'a', v: 2 }])).toEqual([
      { id: 'b' },
      { id: 'a', v: 2 },
    ]);
  });
});

describe('normalizePaging', () => {
  it.each([
    { query: {}, expected: { limit: 20, offset: 0 } },
    { query: { limit: 5, offset: 10 }, expected: { limit: 5, offset: 10 } },
    { query: { limit: 1000 }, expected: { limit: 1000, offset: 0 } },
  ])('$query → $expected', ({ query, expected }) => {
    expect(normalizePaging(query)).toEqual(expected);
  });

  it.each([{ limit: 0 }, { limit: 1.5 }, { offset: -1 }, { limit: 10, offset: 995 }])(
    'rejects %o',
    (query) => {
      expect(() => normalizePaging(query)).toThrow(InvalidSearchQueryError);
    },
  );
});

describe('queryText', () => {
  it.each([
    { q: undefined, expected: undefined },
    { q: '   ', expected: undefined },
    { q: ' 电工 培训 ', expected: '电工 培训' },
  ])('$q → $expected', ({ q, expected }) => {
    expect(queryText({ q })).toBe(expected);
  });
});

describe('the port rules shared by every engine', () => {
  it.each([
    ['published', undefined],
    ['3301', undefined],
    ['工会"帮扶"中心', undefined],
    ['', /空字符串/],
    ['Published', /小写/],
    [' published', /空白/],
    ['ｐｕｂ', /NFKD/],
    ['a\tb', /控制字符/],
    ['职'.repeat(85), undefined], // 255 bytes
    ['职'.repeat(86), /256 字节/],
  ])('code %j → %p', (value, problem) => {
    const found = codeProblem(value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  it.each([
    [0, '0'],
    [-0, '0'],
    [12, '12'],
    [-2.5, '-2.5'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [5e-324, `0.${'0'.repeat(323)}5`],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('formats %p as %s, never with an exponent', (value, text) => {
    expect(formatNumber(value)).toBe(text);
    expect(Number(text)).toBe(value === 0 ? 0 : value);
  });

  it('refuses numbers the port does not accept', () => {
    expect(() => formatNumber(1e21)).toThrow(/绝对值不能超过/);
    expect(numberProblem(Number.NaN)).toMatch(/有限/);
  });

  it('gt/lt are the next doubles up/down', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextUp(-1)).toBe(-1 + Number.EPSILON / 2);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
  });

  it(`keeps the first ${MAX_QUERY_WORDS} words of a query`, () => {
    expect(queryText({ q: 'aa bb cc dd ee ff gg hh ii jj kk ll' })).toBe('aa bb cc dd ee ff gg hh ii jj');
    expect(queryText({ q: '困难职工子女考入大学的一次性资助，电工 培训 焊工 家政' })).toBe(
      '困难职工子女考入大学的一次性资助，电工 培训 焊工',
    );
    expect(queryText({ q: '  电工培训  ' })).toBe('电工培训');
  });

  it('caps total at MAX_TOTAL and says so', () => {
    expect(cappedTotal(MAX_TOTAL)).toEqual({ total: MAX_TOTAL, totalCapped: false });
    expect(cappedTotal(MAX_TOTAL + 1)).toEqual({ total: MAX_TOTAL, totalCapped: true });
  });

  it('refuses a document whose filterable value breaks the code rule', () => {
    const definition = { name: 'x', searchableFields: [], filterableFields: { status: 'string' as const } };
    expect(() => projectDocument(definition, { id: 'a', status: 'Published' })).toThrow(
      InvalidSearchDocumentError,
    );
    expect(() => projectDocument(definition, { id: 'a', status: '' })).toThrow(/空字符串/);
    expect(projectDocument(definition, { id: 'a', status: 'published' })).toEqual({
      id: 'a',
      status: 'published',
    });
  });

  it('tells whether results may be ranked together', () => {
    const result = (engine: 'meilisearch' | 'postgres') => ({
      hits: [],
      total: 0,
      totalCapped: false,
      engine,
    });
    expect(sameEngine([result('meilisearch'), result('meilisearch')])).toBe(true);
    expect(sameEngine([result('meilisearch'), result('postgres')])).toBe(false);
  });
});
