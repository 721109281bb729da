/**
 * The search port. Indexes hold no raw personal data: documents carry ids, public text and the
 * facts needed for hard filters. Callers reload rows from PostgreSQL with authorisation applied.
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
  sortableFields?: string[];
}

export interface SearchDocument {
  id: string;
  [field: string]: unknown;
}

export interface SearchQuery {
  /** Free text; empty or absent = filter only. */
  q?: string;
  filter?: FilterExpr;
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
  /** Matches in all (may be an estimate on engines that estimate). */
  total: number;
  /** Which engine answered (tells the caller whether the fallback served it). */
  engine: SearchEngineName;
}

export type SearchEngineName = 'meilisearch' | 'postgres';

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
  search(index: string, query: SearchQuery): Promise<SearchResult>;
  health(): Promise<EngineHealth>;
  close(): Promise<void>;
}

export const SEARCH_ENGINE = Symbol('SEARCH_ENGINE');
