/**
 * Sort keys → an SQL ORDER BY over `search_documents` with the port's rules (search-engine.ts):
 * - a sortable value is stored like a filterable one, as a one-element JSON array under its field
 *   in `filters` (`{"waitingSince": [1767225600000]}`); `filters -> 'f' -> 0` compares as a jsonb
 *   number, i.e. numerically;
 * - documents lacking the field come last in both directions (`NULLS LAST`), as in Meilisearch;
 * - ties are broken by the id, ascending, in the byte order of its lower-cased form (Meilisearch
 *   compares strings by bytes, upper case as lower case), whatever the database's collation.
 * Field names are validated identifiers (FIELD_NAME_PATTERN, checked again here), so they are
 * written as string literals; nothing else reaches the SQL text.
 */
import { SortSpec } from '../search-engine';
import { FIELD_NAME_PATTERN } from '../search-validation';

/** The id as every engine breaks ties: lower-cased, byte order; then the exact id. */
export function idOrder(idColumn: string): string {
  return `lower(${idColumn}) COLLATE "C", ${idColumn} COLLATE "C"`;
}

/**
 * `ORDER BY` terms (without the keywords) for validated sort keys, the id last. `column` is the SQL
 * expression of the jsonb column and `idColumn` that of the id, never user input.
 */
export function toSqlOrder(sort: SortSpec[], column = 'filters', idColumn = 'id'): string {
  const keys = sort.map(({ field, direction }) => {
    if (!FIELD_NAME_PATTERN.test(field)) throw new Error(`unreachable: unvalidated sort field ${field}`);
    return `(${column} -> '${field}' -> 0) ${direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`;
  });
  return [...keys, idOrder(idColumn)].join(', ');
}
