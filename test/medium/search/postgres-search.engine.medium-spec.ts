/**
 * What the PostgreSQL adapter promises beyond the shared contract: field weights, the every-word /
 * some-words rule, and that no user text can break the SQL.
 */
import {
  PARTIAL_MATCH_THRESHOLD,
  PostgresSearchEngine,
} from '../../../src/infra/search/postgres/postgres-search.engine';
import { F, IndexDefinition, SearchResult } from '../../../src/infra/search/search-engine';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';

const needs: IndexDefinition = {
  name: 'pg_needs',
  searchableFields: ['title', 'description'],
  filterableFields: { status: 'string', urgency: 'string' },
};

const ids = (r: SearchResult) => r.hits.map((h) => h.id);

describe('PostgresSearchEngine', () => {
  let db: TestDatabase;
  let engine: PostgresSearchEngine;

  beforeAll(async () => {
    db = await createTestDatabase();
    engine = new PostgresSearchEngine(db.dataSource);
    await engine.ensureIndex(needs);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await engine.clear(needs.name);
  });

  it('ranks a title match above a description match (field weights)', async () => {
    await engine.upsert(needs.name, [
      { id: 'in-description', title: '求职', description: '希望参加电工培训' },
      { id: 'in-title', title: '电工培训', description: '希望尽快上岗' },
    ]);
    expect(ids(await engine.search(needs.name, { q: '电工培训' }))).toEqual(['in-title', 'in-description']);
  });

  it('lists documents with only some words after those with every word when the latter are few', async () => {
    await engine.upsert(needs.name, [
      { id: 'both', title: '电工培训班', description: '' },
      { id: 'training', title: '厨师培训', description: '' },
      { id: 'electrician', title: '电工岗位', description: '' },
      { id: 'neither', title: '法律援助', description: '' },
    ]);
    const result = await engine.search(needs.name, { q: '电工 培训' });
    expect(result.hits[0].id).toBe('both');
    expect(ids(result).slice(1).sort()).toEqual(['electrician', 'training']);
    expect(result.total).toBe(3);
    expect(result.hits[0].score).toBeGreaterThanOrEqual(0.5);
    for (const hit of result.hits.slice(1)) expect(hit.score).toBeLessThan(0.5);
  });

  it(`returns only every-word matches once there are ${PARTIAL_MATCH_THRESHOLD} or more`, async () => {
    const full = Array.from({ length: PARTIAL_MATCH_THRESHOLD }, (_, i) => ({
      id: `both-${i}`,
      title: '电工培训',
    }));
    await engine.upsert(needs.name, [...full, { id: 'training', title: '厨师培训' }]);
    const page1 = await engine.search(needs.name, { q: '电工 培训', limit: 4 });
    const last = await engine.search(needs.name, { q: '电工 培训', limit: 4, offset: 8 });
    expect(page1.total).toBe(PARTIAL_MATCH_THRESHOLD);
    expect(last.total).toBe(PARTIAL_MATCH_THRESHOLD);
    expect([...ids(page1), ...ids(last)]).not.toContain('training');
  });

  it('finds candidates for a long free-text query (a need description)', async () => {
    await engine.upsert(needs.name, [
      { id: 'offer-1', title: '低压电工上岗证培训', description: '' },
      { id: 'offer-2', title: '家政服务', description: '' },
    ]);
    const result = await engine.search(needs.name, { q: '我下岗了，想学一门电工手艺，最好离家近一点' });
    expect(result.hits[0]?.id).toBe('offer-1');
    expect(ids(result)).not.toContain('offer-2');
  });

  it('treats query syntax and SQL in user text as plain words', async () => {
    await engine.upsert(needs.name, [
      { id: 'n1', title: '电工 & | ! <-> ( ) \' " \\ :* 培训', description: '' },
    ]);
    for (const q of [
      '电工 & 培训',
      "'); DROP TABLE search_documents; --",
      '!!!',
      ':*',
      '\\',
      '电工 <-> 培训',
    ]) {
      await expect(engine.search(needs.name, { q })).resolves.toBeDefined();
    }
    expect(ids(await engine.search(needs.name, { q: "电工' | '培训" }))).toEqual(['n1']);
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM search_documents');
    expect(count).toBe(1);
  });

  it('a query of punctuation only is a filter-only search', async () => {
    await engine.upsert(needs.name, [
      { id: 'a', title: '电工', status: 'open' },
      { id: 'b', title: '焊工', status: 'closed' },
    ]);
    const result = await engine.search(needs.name, { q: '！？', filter: F.eq('status', 'open') });
    expect(result.hits).toEqual([{ id: 'a', score: 1 }]);
  });

  it('keeps indexes apart', async () => {
    const other: IndexDefinition = { name: 'pg_other', searchableFields: ['title'], filterableFields: {} };
    await engine.ensureIndex(other);
    await engine.upsert(needs.name, [{ id: 'same-id', title: '电工' }]);
    await engine.upsert(other.name, [{ id: 'same-id', title: '焊工' }]);
    expect(ids(await engine.search(needs.name, { q: '焊工' }))).toEqual([]);
    await engine.clear(other.name);
    expect(ids(await engine.search(needs.name, {}))).toEqual(['same-id']);
  });
});
