/**
 * FilterExpr → a parameterised SQL condition over `search_documents.filters` (jsonb).
 *
 * Storage: every filterable field is stored as a JSON array of typed values (`{"status":
 * ["published"], "regionCodes": ["33", "3301"], "capacityRemaining": [5]}`), so single- and
 * multi-valued fields behave alike, as in Meilisearch.
 * - eq / in → jsonb containment `filters @> '{"f": [v]}'` (served by the jsonb_path_ops GIN index);
 *   containment compares JSON types, so the string "5" never equals the number 5.
 * - range → `jsonb_path_exists(filters, '$."f"[*] ? (@ >= $gte && @ <= $lte)', '{"gte": …}')`: ONE
 *   of the field's values within both bounds (the port has turned gt/lt into closed bounds).
 * Every value, the JSON documents and even the jsonpath text travel as bound parameters; field
 * names are validated identifiers (FIELD_NAME_PATTERN) before they are used in a path.
 */
import { FilterExpr, IndexDefinition, Scalar } from '../search-engine';
import { NormalizedFilter, normalizeFilter } from '../search-validation';

export type SqlFilter = { kind: 'all' } | { kind: 'none' } | { kind: 'sql'; sql: string };

/**
 * Translates `expr`; values are appended to `params` and referenced as `$n`.
 * `column` is the SQL expression of the jsonb column (e.g. `d.filters`), never user input.
 */
export function toSqlFilter(
  expr: FilterExpr | undefined,
  definition: IndexDefinition,
  params: unknown[],
  column = 'filters',
): SqlFilter {
  const normalized = normalizeFilter(expr, definition);
  if (normalized.op === 'true') return { kind: 'all' };
  if (normalized.op === 'false') return { kind: 'none' };
  return { kind: 'sql', sql: render(normalized, params, column) };
}

const RANGE_OPERATORS = [
  ['gte', '>='],
  ['lte', '<='],
] as const;

function param(params: unknown[], value: unknown, cast: string): string {
  params.push(value);
  return `$${params.length}::${cast}`;
}

function contains(params: unknown[], column: string, field: string, value: Scalar): string {
  return `${column} @> ${param(params, JSON.stringify({ [field]: [value] }), 'jsonb')}`;
}

function render(filter: NormalizedFilter, params: unknown[], column: string): string {
  switch (filter.op) {
    case 'eq':
      return contains(params, column, filter.field, filter.value);
    case 'in':
      if (filter.values.length === 1) return contains(params, column, filter.field, filter.values[0]);
      return `(${filter.values.map((v) => contains(params, column, filter.field, v)).join(' OR ')})`;
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
      return `jsonb_path_exists(${column}, ${param(params, path, 'jsonpath')}, ${param(params, JSON.stringify(vars), 'jsonb')})`;
    }
    case 'and':
    case 'or':
      return `(${filter.filters.map((f) => render(f, params, column)).join(filter.op === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT (${render(filter.filter, params, column)})`;
    case 'true':
    case 'false':
      throw new Error('unreachable: constant inside a normalized filter');
  }
}
