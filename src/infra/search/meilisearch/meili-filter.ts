/**
 * FilterExpr → Meilisearch filter string.
 * https://www.meilisearch.com/docs/learn/filtering_and_sorting/filter_expression_reference
 *
 * - String values are always double-quoted; inside the quotes a backslash becomes `\\` and a double
 *   quote `\"` (since Meilisearch v1.4 the filter parser unescapes `\\`; the JSON layer is the
 *   client's business, it serialises the whole string).
 * - Numbers are written as plain decimals (formatNumber: the grammar refuses `1e+21`), booleans as
 *   literals.
 * - A range with both bounds is `f lo TO hi`, which one value must satisfy (as on PostgreSQL);
 *   `(f >= lo AND f <= hi)` would be satisfied by two different values of a multi-valued field.
 * - Field names are validated identifiers (see FIELD_NAME_PATTERN) and written unquoted.
 * - Every compound sub-expression is parenthesised, so precedence never depends on the grammar.
 */
import { FilterExpr, IndexDefinition, Scalar } from '../search-engine';
import { formatNumber, NormalizedFilter, normalizeFilter } from '../search-validation';

export type MeiliFilter =
  /** No restriction: send no `filter`. */
  | { kind: 'all' }
  /** Nothing can match: do not ask the engine at all. */
  | { kind: 'none' }
  | { kind: 'expr'; filter: string };

export function toMeiliFilter(expr: FilterExpr | undefined, definition: IndexDefinition): MeiliFilter {
  const normalized = normalizeFilter(expr, definition);
  if (normalized.op === 'true') return { kind: 'all' };
  if (normalized.op === 'false') return { kind: 'none' };
  return { kind: 'expr', filter: render(normalized) };
}

export function meiliValue(value: Scalar): string {
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (typeof value === 'number') return formatNumber(value);
  return value ? 'true' : 'false';
}

function render(filter: NormalizedFilter): string {
  switch (filter.op) {
    case 'eq':
      return `${filter.field} = ${meiliValue(filter.value)}`;
    case 'in':
      return `${filter.field} IN [${filter.values.map(meiliValue).join(', ')}]`;
    case 'range':
      if (filter.gte !== undefined && filter.lte !== undefined)
        return `${filter.field} ${meiliValue(filter.gte)} TO ${meiliValue(filter.lte)}`;
      if (filter.gte !== undefined) return `${filter.field} >= ${meiliValue(filter.gte)}`;
      return `${filter.field} <= ${meiliValue(filter.lte!)}`;
    case 'and':
    case 'or':
      return filter.filters.map((f) => group(f)).join(filter.op === 'and' ? ' AND ' : ' OR ');
    case 'not':
      return `NOT ${group(filter.filter)}`;
    case 'true':
    case 'false':
      // normalizeFilter folds constants away below the top level.
      throw new Error('unreachable: constant inside a normalized filter');
  }
}

/** Parenthesises compound expressions so they can be combined safely. */
function group(filter: NormalizedFilter): string {
  const text = render(filter);
  return filter.op === 'and' || filter.op === 'or' || filter.op === 'not' ? `(${text})` : text;
}
