import { F, FilterExpr, S, SortSpec } from '../../infra/search/search-engine';
import type { NeedListSort } from './needs.enums';
import type { NeedListCriteria } from './needs.repository';

/**
 * A staff need list as a query of the `needs` index (fields of needSearchDocument): the filters the
 * list DTO has, the scope (the subtree's root unit among the document's `units`), and the sort keys of
 * each list order — the same orders as the SQL list (needs.repository.ts LIST_ORDER), ties by id.
 */
export const NEEDS_LIST_SORT: Record<NeedListSort, SortSpec[]> = {
  urgency: [S.asc('urgencyRank'), S.asc('waitingSince')],
  oldest: [S.asc('waitingSince')],
  newest: [S.desc('waitingSince')],
};

/** The list's filters (everything but the scope and the text) as an engine filter. */
export function needsSearchFilter(
  criteria: Omit<NeedListCriteria, 'scopePath' | 'ownerUserId' | 'q'>,
): FilterExpr {
  const filters: FilterExpr[] = [];
  if (criteria.states?.length) filters.push(F.in('state', [...criteria.states]));
  if (criteria.itemCode !== undefined) filters.push(F.eq('item', criteria.itemCode));
  if (criteria.category !== undefined) filters.push(F.eq('category', criteria.category));
  if (criteria.urgency !== undefined) filters.push(F.eq('urgency', criteria.urgency));
  if (criteria.createdFrom !== undefined || criteria.createdBefore !== undefined)
    filters.push(
      F.range('waitingSince', {
        ...(criteria.createdFrom !== undefined ? { gte: criteria.createdFrom.getTime() } : {}),
        ...(criteria.createdBefore !== undefined ? { lt: criteria.createdBefore.getTime() } : {}),
      }),
    );
  return F.and(...filters);
}

/**
 * The subtree under `scopePath` (`/a1/b2/c3/`): documents whose `units` (the archive's unit and every
 * unit above it) hold its root unit `c3`.
 */
export function needsScopeFilter(scopePath: string): FilterExpr {
  const root = scopePath.split('/').filter(Boolean).at(-1);
  if (!root) throw new Error(`not a unit path: ${JSON.stringify(scopePath)}`);
  return F.eq('units', root);
}
