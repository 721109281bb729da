import { S } from '../search-engine';
import { idOrder, toSqlOrder } from './pg-sort';

describe('toSqlOrder', () => {
  it('orders by each key as a jsonb number, missing values last in both directions, then the id', () => {
    expect(toSqlOrder([S.asc('urgencyRank'), S.desc('waitingSince')], 'd.filters', 'd.id')).toBe(
      `(d.filters -> 'urgencyRank' -> 0) ASC NULLS LAST, (d.filters -> 'waitingSince' -> 0) DESC NULLS LAST, ` +
        `lower(d.id) COLLATE "C", d.id COLLATE "C"`,
    );
  });

  it('breaks ties by the lower-cased id in byte order (as Meilisearch compares strings), whatever the collation', () => {
    expect(idOrder('d.id')).toBe('lower(d.id) COLLATE "C", d.id COLLATE "C"');
    expect(toSqlOrder([])).toBe('lower(id) COLLATE "C", id COLLATE "C"');
  });

  it('never writes a field name that is not a plain identifier into the SQL', () => {
    expect(() => toSqlOrder([S.asc("x' || pg_sleep(1) || '")])).toThrow(/unvalidated/);
  });
});
