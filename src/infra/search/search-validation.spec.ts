import { InvalidSearchDocumentError, InvalidSearchQueryError } from './search-errors';
import { IndexDefinition } from './search-engine';
import { dedupeDocuments, normalizePaging, projectDocument, queryText } from './search-validation';

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
  ])('rejects $name', ({ doc }) => {
    expect(() => projectDocument(offers, doc)).toThrow(InvalidSearchDocumentError);
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
