import { regionPrefixes } from '../../common/regions/region-prefixes';
import { F, FilterExpr, S, SortSpec } from '../../infra/search/search-engine';
import { SHOWN_BY_SCOPE_STATES } from './offers.enums';
import type { OfferListCriteria } from './offers.repository';

/**
 * A staff offer list as a query of the `offers` index (fields of offerSearchDocument), the same list
 * as offers.repository.ts `staffListWhere` answers in SQL: newest change first, ties by id.
 */
export const OFFERS_LIST_SORT: SortSpec[] = [S.desc('updatedAt')];

/** The list's filters (everything but the scope and the text) as an engine filter. */
export function offersSearchFilter(
  criteria: Pick<OfferListCriteria, 'states' | 'kind' | 'itemCode' | 'category'>,
): FilterExpr {
  const filters: FilterExpr[] = [];
  if (criteria.states?.length) filters.push(F.in('state', [...criteria.states]));
  if (criteria.kind !== undefined) filters.push(F.eq('kind', criteria.kind));
  if (criteria.itemCode !== undefined) filters.push(F.eq('items', criteria.itemCode));
  if (criteria.category !== undefined) filters.push(F.eq('categories', criteria.category));
  return F.and(...filters);
}

/**
 * What a staff member at `unit` sees: offers whose partner is vetted in the unit's subtree (any state),
 * and published, paused or closed offers whose scope covers the unit — the scope unit is the unit or
 * above it, or lies in its subtree, or the scope's region prefix is one of the unit's region's.
 */
export function offersStaffScopeFilter(unit: { path: string; regionCode: string }): FilterExpr {
  const path = unit.path.split('/').filter(Boolean);
  const id = path.at(-1);
  if (!id) throw new Error(`not a unit path: ${JSON.stringify(unit.path)}`);
  return F.or(
    F.eq('partnerUnits', id),
    F.and(
      F.in('state', [...SHOWN_BY_SCOPE_STATES]),
      F.or(F.in('scopeUnit', path), F.eq('units', id), F.in('scopeRegion', regionPrefixes(unit.regionCode))),
    ),
  );
}
