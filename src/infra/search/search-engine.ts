/**
 * The search port. Indexes hold no raw personal data: documents carry ids, public text and the
 * facts needed for hard filters. Callers reload rows from PostgreSQL with authorisation applied.
 *
 * One behaviour on every engine (Meilisearch, PostgreSQL). The rules below are checked by the port
 * (search-validation.ts) before an adapter sees a request, so both engines accept, refuse and answer
 * alike; test/medium/search/search-engine.contract.medium-spec.ts holds each of them.
 *
 * - Filter values are codes. A string compared by `eq`/`in` — and every string stored in a filterable
 *   field of a document — is non-empty, at most MAX_CODE_BYTES UTF-8 bytes, has no surrounding
 *   whitespace or control characters, and is already in the form Meilisearch compares (lower case,
 *   Unicode NFKD). Anything else is refused (`InvalidSearchFilterError`, `InvalidSearchDocumentError`):
 *   Meilisearch would fold `Published` into `published`, never index `''` and cut long values, while
 *   PostgreSQL compares exactly. Comparison is then exact on both.
 * - Numbers (filter values, range bounds, numeric filterable values) are finite with |x| ≤
 *   MAX_FILTER_NUMBER (2^53 − 1) and are written without exponents.
 * - Multi-valued fields: `eq`/`in` match when any value matches; a `range` matches when ONE value lies
 *   within all of its bounds (never one value above the lower bound and another below the upper).
 *   `not` also matches documents that lack the field.
 * - Text queries: only the first MAX_QUERY_WORDS words (jieba segmentation) count; the rest is dropped
 *   by the port on every engine.
 * - `total` counts every match up to MAX_TOTAL; when more match it is MAX_TOTAL and `totalCapped` is
 *   true. Pages never reach beyond MAX_WINDOW (offset + limit).
 * - Sorting (`sort`): only fields declared in `sortableFields`, at most MAX_SORT_FIELDS, each once.
 *   A sortable value is one finite number (|x| ≤ MAX_FILTER_NUMBER) or absent; anything else in a
 *   document is refused (`InvalidSearchDocumentError`). Documents lacking a sort field come after
 *   those that have it, in either direction (Meilisearch's rule). Ties are broken by id, ascending
 *   (byte order of the lower-cased id, as Meilisearch compares strings: ids of one index must not
 *   differ only by letter case), so pages are stable on every engine. With `sort`, a text query only
 *   selects — every query word must match (no partial matches) — and relevance does not order the
 *   hits (Meilisearch has `sort` as its first ranking rule and gets `matchingStrategy: all`).
 *   Without `sort` the order is relevance (with a text query) or unspecified (without one).
 * - Scores are in [0, 1] and order the hits of ONE result, but mean different things per engine
 *   (Meilisearch `_rankingScore` vs the PostgreSQL formula). `SearchResult.engine` says which engine
 *   answered; a caller combining several results into one ranking must check they come from the same
 *   engine (`sameEngine`) and search again otherwise, never mix the two scales.
 */

export type Scalar = string | number | boolean;

/** A neutral filter expression; each adapter translates it (Meilisearch filter string, SQL over jsonb). */
export type FilterExpr =
  | { op: 'eq'; field: string; value: Scalar }
  | { op: 'in'; field: string; values: Scalar[] }
  | { op: 'range'; field: string; gt?: number; gte?: number; lt?: number; lte?: number }
  | { op: 'and'; filters: FilterExpr[] }
  | { op: 'or'; filters: FilterExpr[] }
  | { op: 'not'; filter: FilterExpr };

/** Builders, so call sites read `F.and(F.eq('status', 'published'), F.in('region', ['3301']))`. */
export const F = {
  eq: (field: string, value: Scalar): FilterExpr => ({ op: 'eq', field, value }),
  in: (field: string, values: Scalar[]): FilterExpr => ({ op: 'in', field, values }),
  range: (field: string, bounds: { gt?: number; gte?: number; lt?: number; lte?: number }): FilterExpr => ({
    op: 'range',
    field,
    ...bounds,
  }),
  and: (...filters: FilterExpr[]): FilterExpr => ({ op: 'and', filters }),
  or: (...filters: FilterExpr[]): FilterExpr => ({ op: 'or', filters }),
  not: (filter: FilterExpr): FilterExpr => ({ op: 'not', filter }),
};

export type FieldType = 'string' | 'number' | 'boolean';

/** An index's settings, declared in code and reconciled with the engine at start. */
export interface IndexDefinition {
  /** Logical name, e.g. `offers`; adapters may prefix it. Lowercase letters, digits, `_`. */
  name: string;
  /** Text fields, most important first (ranking weight follows the order). */
  searchableFields: string[];
  /** Fields usable in filters, with their type. */
  filterableFields: Record<string, FieldType>;
  /**
   * Fields usable in `SearchQuery.sort`: numbers only (a field also declared filterable must be a
   * `number` there). The id is always the last sort key; it is not declared here.
   */
  sortableFields?: string[];
}

export interface SearchDocument {
  id: string;
  [field: string]: unknown;
}

export type SortDirection = 'asc' | 'desc';

/** One sort key: a sortable field and its direction. */
export interface SortSpec {
  field: string;
  direction: SortDirection;
}

/** Builders, so call sites read `sort: [S.asc('urgencyRank'), S.desc('waitingSince')]`. */
export const S = {
  asc: (field: string): SortSpec => ({ field, direction: 'asc' }),
  desc: (field: string): SortSpec => ({ field, direction: 'desc' }),
};

export interface SearchQuery {
  /** Free text; empty or absent = filter only. With `sort`, every word must match. */
  q?: string;
  filter?: FilterExpr;
  /** Sort keys, most significant first; the id breaks ties. Absent or empty = relevance order. */
  sort?: SortSpec[];
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  id: string;
  /** Relevance in [0, 1]; 1 when there is no text query. */
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Matches in all, exact up to MAX_TOTAL; when more match, MAX_TOTAL (and `totalCapped` is true). */
  total: number;
  /** True when more than MAX_TOTAL documents match (`total` is then a lower bound). */
  totalCapped: boolean;
  /** Which engine answered (tells the caller whether the fallback served it). */
  engine: SearchEngineName;
}

export type SearchEngineName = 'meilisearch' | 'postgres';

/** Whether results may be ranked together: scores of different engines are not comparable. */
export function sameEngine(results: SearchResult[]): boolean {
  return results.every((r) => r.engine === results[0]?.engine);
}

export interface EngineHealth {
  ok: boolean;
  detail?: string;
}

export interface SearchEngine {
  readonly name: SearchEngineName;
  /** Creates the index if needed and makes its settings equal to the definition; waits until applied. */
  ensureIndex(definition: IndexDefinition): Promise<void>;
  /** Inserts or replaces documents, in batches; resolves only once the engine has applied them. */
  upsert(index: string, documents: SearchDocument[]): Promise<void>;
  /** Removes documents by id (absent ids are ignored); resolves once applied. */
  delete(index: string, ids: string[]): Promise<void>;
  /** Removes every document of the index, keeping its settings. */
  clear(index: string): Promise<void>;
  /**
   * Rebuilds the index from `batches` into a fresh copy and swaps it in at the end: searches see the
   * old documents until the swap, and a rebuild that fails anywhere leaves the index as it was.
   * Returns the number of documents written.
   */
  replaceAll(index: string, batches: () => AsyncIterable<SearchDocument[]>): Promise<number>;
  /** How many documents the index holds (for comparing engines). */
  count(index: string): Promise<number>;
  search(index: string, query: SearchQuery): Promise<SearchResult>;
  health(): Promise<EngineHealth>;
  close(): Promise<void>;
}

export const SEARCH_ENGINE = Symbol('SEARCH_ENGINE');
