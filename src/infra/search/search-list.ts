/**
 * Staff lists answered by the search engine, with PostgreSQL as the source of truth for the page
 * (issue 11 §5): "search, then re-read".
 *
 * 1. The engine is asked for one page of ids: the list's text query and filters AND the caller's
 *    scope (e.g. `F.eq('units', unitId)`), in a stable order (`sort` keys, then the id).
 * 2. The feature re-reads those ids from PostgreSQL through its repository, with the scope checked
 *    again in SQL (and whatever filters SQL can check). The index may be stale — a record deleted,
 *    moved to another unit or changed since its document was written — or plainly wrong: an id the
 *    re-read does not return is dropped, so a record outside the caller's scope never reaches it.
 * 3. The rows come back in the engine's order.
 *
 * Totals and short pages: `total` is the engine's count (exact up to MAX_TOTAL, capped beyond, see
 * `totalCapped`) minus the ids dropped from THIS page. Stale documents on other pages are still
 * counted until the outbox relay catches up, so `total` may exceed the rows one can page through by
 * at most the number of stale documents. A page that lost ids is shorter than `limit`; it is never
 * refilled from the next page, so page boundaries stay the engine's and pages never overlap.
 * Windows beyond MAX_WINDOW (offset + limit) are refused with 422 SEARCH_LIST_WINDOW_EXCEEDED.
 *
 * Engine failures: SEARCH_ENGINE is the FallbackSearchEngine when Meilisearch is configured, which
 * answers from the PostgreSQL adapter whenever Meilisearch fails with anything but a caller error
 * (and serves an index from PostgreSQL until Meilisearch has caught up), so a list keeps working
 * through a Meilisearch outage. Errors of the PostgreSQL adapter itself (the database is down) and
 * caller errors (a filter on an undeclared field: a programming error) propagate.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { defineErrors, DomainError } from '../../common/errors';
import { F, FilterExpr, SEARCH_ENGINE, SearchEngine, SearchEngineName, SortSpec } from './search-engine';
import { MAX_WINDOW } from './search-validation';

export const SearchListErrorCode = defineErrors({
  /** details: `{ maxWindow }`: page × pageSize beyond what the search engine pages through. */
  SEARCH_LIST_WINDOW_EXCEEDED: {
    status: 422,
    message: `检索列表最多翻阅前 ${MAX_WINDOW} 条，请增加筛选条件或搜索词`,
  },
});

export interface SearchListRequest<Row> {
  /** The index, e.g. `needs`. */
  index: string;
  /** The text query (`q`); absent or blank = filters only. Every word must match (sorted search). */
  q?: string;
  /** The list's own filters (state, item …). */
  filter?: FilterExpr;
  /**
   * The caller's scope as an engine filter, AND-ed with `filter` (e.g. `F.eq('units', unitId)`).
   * Required so no list forgets it; it is re-checked by `reload`.
   */
  scope: FilterExpr;
  /** Sort keys (sortable fields of the index); the engine adds the id as the last key. */
  sort: SortSpec[];
  /** Rows to skip and rows per page (e.g. from `pageWindow(query)`: `skip`, `take`). */
  offset: number;
  limit: number;
  /**
   * Re-reads the rows of `ids` from PostgreSQL with the scope re-checked in SQL (and the filters SQL
   * can check). Returns the rows it confirms, in any order; ids it leaves out are dropped.
   */
  reload(ids: string[]): Promise<Row[]>;
}

export interface SearchListPage<Row> {
  /** The confirmed rows, in the engine's order. */
  rows: Row[];
  /** The engine's count minus the ids dropped from this page (see the file comment). */
  total: number;
  /** More than MAX_TOTAL documents matched: `total` is a lower bound. */
  totalCapped: boolean;
  /** Ids the engine listed on this page that PostgreSQL did not confirm (stale or out of scope). */
  dropped: string[];
  /** The engine that answered (`postgres` while the fallback serves the index). */
  engine: SearchEngineName;
}

/** The steps of a search-then-re-read list, on any engine (SearchListService binds SEARCH_ENGINE). */
export async function searchList<Row extends { id: string }>(
  engine: SearchEngine,
  request: SearchListRequest<Row>,
): Promise<SearchListPage<Row>> {
  if (request.offset + request.limit > MAX_WINDOW)
    throw new DomainError(SearchListErrorCode.SEARCH_LIST_WINDOW_EXCEEDED, { maxWindow: MAX_WINDOW });
  const result = await engine.search(request.index, {
    q: request.q,
    filter: request.filter ? F.and(request.scope, request.filter) : request.scope,
    sort: request.sort,
    offset: request.offset,
    limit: request.limit,
  });
  const ids = [...new Set(result.hits.map((h) => h.id))];
  const byId = new Map<string, Row>();
  if (ids.length > 0) for (const row of await request.reload(ids)) byId.set(row.id, row);
  const rows: Row[] = [];
  const dropped: string[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row) rows.push(row);
    else dropped.push(id);
  }
  return {
    rows,
    // Never fewer than the rows up to this page (a page past the end keeps the engine's count).
    total: Math.max(result.total - dropped.length, rows.length > 0 ? request.offset + rows.length : 0),
    totalCapped: result.totalCapped,
    dropped,
    engine: result.engine,
  };
}

/**
 * `searchList` on the application's engine, for feature services:
 *
 *   const page = await this.searchLists.page({
 *     index: OFFERS_INDEX, q: query.q, filter, scope: F.eq('units', unitId),
 *     sort: [S.desc('publishedAt')], offset: skip, limit: take,
 *     reload: (ids) => this.repository.rowsInScope(ids, scopePath),
 *   });
 */
@Injectable()
export class SearchListService {
  private readonly logger = new Logger('SearchList');

  constructor(@Inject(SEARCH_ENGINE) private readonly engine: SearchEngine) {}

  async page<Row extends { id: string }>(request: SearchListRequest<Row>): Promise<SearchListPage<Row>> {
    const page = await searchList(this.engine, request);
    if (page.dropped.length > 0)
      this.logger.warn(
        { index: request.index, dropped: page.dropped.length, engine: page.engine },
        '搜索结果中有 PostgreSQL 未确认的记录（索引滞后或越权），已剔除',
      );
    return page;
  }
}
