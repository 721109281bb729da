/**
 * FilterExpr → a parameterised SQL condition over `search_documents`.
 *
 * Storage: every filterable value is stored twice — in `filters` (jsonb: each field a JSON array of typed
 * values, `{"status": ["published"], "capacityRemaining": [5]}`, so single- and multi-valued fields behave
 * alike, as in Meilisearch) and in `facets` (text[]: one `field=<JSON value>` key per value,
 * `status="published"`, `capacityRemaining=5`, `online=true`; the JSON form keeps the string "5" apart
 * from the number 5).
 * - eq → `facets @> ARRAY[key]`; in, and an OR whose every branch is an eq or an in (of any fields) →
 *   ONE overlap `facets && ARRAY[keys]`: both served by the GIN index on (tsv, facets), so an OR of
 *   equalities narrows the index scan instead of being checked row by row;
 * - range → `jsonb_path_exists(filters, '$."f"[*] ? (@ >= $gte && @ <= $lte)', '{"gte": …}')`: ONE of
 *   the field's values within both bounds (the port has turned gt/lt into closed bounds).
 * Every value, the keys and even the jsonpath text travel as bound parameters; field names are validated
 * identifiers (FIELD_NAME_PATTERN) before they are used in a key or a path.
 */
import { FilterExpr, IndexDefinition, Scalar } from '../search-engine';
import { NormalizedFilter, normalizeFilter } from '../search-validation';

export type SqlFilter = { kind: 'all' } | { kind: 'none' } | { kind: 'sql'; sql: string };

/** The SQL expressions of the two stored forms (e.g. `d.facets`, `d.filters`), never user input. */
export interface FilterColumns {
  facets: string;
  filters: string;
}

/** A value's facet key, as stored and as queried. */
export function facetKey(field: string, value: Scalar): string {
  return `${field}=${JSON.stringify(value)}`;
}

/** Translates `expr`; values are appended to `params` and referenced as `$n`. */
export function toSqlFilter(
  expr: FilterExpr | undefined,
  definition: IndexDefinition,
  params: unknown[],
  columns: FilterColumns = { facets: 'facets', filters: 'filters' },
): SqlFilter {
  const normalized = normalizeFilter(expr, definition);
  if (normalized.op === 'true') return { kind: 'all' };
  if (normalized.op === 'false') return { kind: 'none' };
  return { kind: 'sql', sql: render(normalized, params, columns) };
}

const RANGE_OPERATORS = [
  ['gte', '>='],
  ['lte', '<='],
] as const;

function param(params: unknown[], value: unknown, cast: string): string {
  params.push(value);
  return `$${params.length}::${cast}`;
}

/** The keys an eq or in matches (any one of them); null for any other filter. */
function equalityKeys(filter: NormalizedFilter): string[] | null {
  if (filter.op === 'eq') return [facetKey(filter.field, filter.value)];
  if (filter.op === 'in') return filter.values.map((v) => facetKey(filter.field, v));
  if (filter.op === 'or') {
    const keys: string[] = [];
    for (const branch of filter.filters) {
      const branchKeys = equalityKeys(branch);
      if (!branchKeys) return null;
      keys.push(...branchKeys);
    }
    return keys;
  }
  return null;
}

function render(filter: NormalizedFilter, params: unknown[], columns: FilterColumns): string {
  if (filter.op === 'eq') return `${columns.facets} @> ${param(params, equalityKeys(filter), 'text[]')}`;
  const keys = equalityKeys(filter);
  if (keys) return `${columns.facets} && ${param(params, [...new Set(keys)], 'text[]')}`;
  switch (filter.op) {
    case 'range': {
      const conditions: string[] = [];
      const vars: Record<string, number> = {};
      for (const [key, operator] of RANGE_OPERATORS) {
        const bound = filter[key];
        if (bound === undefined) continue;
        conditions.push(`@ ${operator} $${key}`);
        vars[key] = bound;
      }
      const path = `$."${filter.field}"[*] ? (${conditions.join(' && ')})`;
      return `jsonb_path_exists(${columns.filters}, ${param(params, path, 'jsonpath')}, ${param(params, JSON.stringify(vars), 'jsonb')})`;
    }
    case 'and':
    case 'or':
      return `(${filter.filters.map((f) => render(f, params, columns)).join(filter.op === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT (${render(filter.filter, params, columns)})`;
    case 'in':
    case 'true':
    case 'false':
      throw new Error('unreachable: handled above, or a constant inside a normalized filter');
  }
}
