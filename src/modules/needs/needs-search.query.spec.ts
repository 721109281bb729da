import { normalizeFilter, normalizeSort } from '../../infra/search/search-validation';
import { F, S } from '../../infra/search/search-engine';
import { NEED_LIST_SORTS } from './needs.enums';
import { NEEDS_LIST_SORT, needsScopeFilter, needsSearchFilter } from './needs-search.query';
import { NEEDS_INDEX_DEFINITION } from './needs-search.source';

describe('the staff need list as a query of the needs index', () => {
  it('translates every list filter to a field of the document', () => {
    const filter = needsSearchFilter({
      states: ['open', 'screening'],
      itemCode: 'training_welder',
      category: 'training',
      urgency: 'urgent',
      createdFrom: new Date('2026-03-01T16:00:00Z'),
      createdBefore: new Date('2026-03-02T16:00:00Z'),
    });
    expect(filter).toEqual(
      F.and(
        F.in('state', ['open', 'screening']),
        F.eq('item', 'training_welder'),
        F.eq('category', 'training'),
        F.eq('urgency', 'urgent'),
        F.range('waitingSince', {
          gte: Date.parse('2026-03-01T16:00:00Z'),
          lt: Date.parse('2026-03-02T16:00:00Z'),
        }),
      ),
    );
    // The index accepts it (every field declared, every value a code).
    expect(() => normalizeFilter(filter, NEEDS_INDEX_DEFINITION)).not.toThrow();
  });

  it('no filters is the empty and (everything in scope)', () => {
    expect(needsSearchFilter({})).toEqual(F.and());
    expect(needsSearchFilter({ states: [] })).toEqual(F.and());
    expect(needsSearchFilter({ createdBefore: new Date(5) })).toEqual(
      F.and(F.range('waitingSince', { lt: 5 })),
    );
  });

  it('scopes to the subtree by its root unit among the document units', () => {
    expect(needsScopeFilter('/a1/b2/c3/')).toEqual(F.eq('units', 'c3'));
    expect(needsScopeFilter('/a1/')).toEqual(F.eq('units', 'a1'));
    expect(() => needsScopeFilter('/')).toThrow(/unit path/);
  });

  it('each list order is declared sortable on the index', () => {
    expect(NEEDS_LIST_SORT.urgency).toEqual([S.asc('urgencyRank'), S.asc('waitingSince')]);
    for (const sort of NEED_LIST_SORTS)
      expect(normalizeSort(NEEDS_LIST_SORT[sort], NEEDS_INDEX_DEFINITION)).toEqual(NEEDS_LIST_SORT[sort]);
  });
});
