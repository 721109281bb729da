/**
 * Checks shared by every adapter, so both engines accept and reject exactly the same things:
 * index definitions, filter expressions (validated against the index's filterable fields and
 * simplified), document values, and paging.
 */
import {
  InvalidIndexDefinitionError,
  InvalidSearchDocumentError,
  InvalidSearchFilterError,
  InvalidSearchQueryError,
} from './search-errors';
import { FieldType, FilterExpr, IndexDefinition, Scalar, SearchDocument, SearchQuery } from './search-engine';

export const INDEX_NAME_PATTERN = /^[a-z0-9_]{1,48}$/;
/** Plain identifiers only: they are written unquoted into Meilisearch filters and jsonpath. */
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Words of the Meilisearch filter grammar; a field with one of these names could not be filtered. */
const RESERVED_FIELD_NAMES = new Set([
  'AND',
  'OR',
  'NOT',
  'TO',
  'IN',
  'EXISTS',
  'IS',
  'NULL',
  'EMPTY',
  'CONTAINS',
  'STARTS',
  'WITH',
]);
const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'boolean'];

/** Document ids: what Meilisearch accepts as a primary key, and what fits search_documents.id. */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export const DEFAULT_LIMIT = 20;
/** Meilisearch's default pagination.maxTotalHits is 1000: deeper pages would silently be empty there. */
export const MAX_WINDOW = 1000;

export function assertValidDefinition(definition: IndexDefinition): void {
  const problems: string[] = [];
  if (!INDEX_NAME_PATTERN.test(definition.name ?? '')) {
    problems.push(`索引名 "${definition.name}" 只能包含小写字母、数字和下划线 (1–48 个字符)`);
  }
  const seen = new Set<string>();
  const checkName = (field: string, where: string) => {
    if (!FIELD_NAME_PATTERN.test(field))
      problems.push(`${where} 字段名 "${field}" 无效 (letters, digits, _)`);
    else if (RESERVED_FIELD_NAMES.has(field.toUpperCase()))
      problems.push(`${where} 字段名 "${field}" 是保留字`);
  };
  for (const field of definition.searchableFields ?? []) {
    checkName(field, 'searchableFields');
    if (seen.has(field)) problems.push(`searchableFields 字段 "${field}" 重复`);
    seen.add(field);
  }
  for (const [field, type] of Object.entries(definition.filterableFields ?? {})) {
    checkName(field, 'filterableFields');
    if (!FIELD_TYPES.includes(type)) problems.push(`filterableFields.${field} 类型 "${String(type)}" 无效`);
  }
  for (const field of definition.sortableFields ?? []) checkName(field, 'sortableFields');
  if (problems.length > 0) {
    throw new InvalidIndexDefinitionError(
      `索引定义无效 (invalid index definition "${definition.name}"): ${problems.join('; ')}`,
      {
        index: definition.name,
        problems,
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Filters

/** A validated filter with constants folded: `true`/`false` only ever appear at the top level. */
export type NormalizedFilter =
  | { op: 'true' }
  | { op: 'false' }
  | { op: 'eq'; field: string; type: FieldType; value: Scalar }
  | { op: 'in'; field: string; type: FieldType; values: Scalar[] }
  | { op: 'range'; field: string; gt?: number; gte?: number; lt?: number; lte?: number }
  | { op: 'and'; filters: NormalizedFilter[] }
  | { op: 'or'; filters: NormalizedFilter[] }
  | { op: 'not'; filter: NormalizedFilter };

const TRUE: NormalizedFilter = { op: 'true' };
const FALSE: NormalizedFilter = { op: 'false' };

/**
 * Validates `expr` against the index's filterable fields and simplifies it. Semantics (the same on
 * every engine): `in` with no values matches nothing; `and` of nothing matches everything, `or` of
 * nothing matches nothing; a multi-valued field matches `eq`/`in` when any of its values does;
 * `not` also matches documents that lack the field.
 */
export function normalizeFilter(expr: FilterExpr | undefined, definition: IndexDefinition): NormalizedFilter {
  if (expr === undefined || expr === null) return TRUE;
  return normalize(expr, definition, 'filter');
}

function normalize(expr: FilterExpr, definition: IndexDefinition, path: string): NormalizedFilter {
  if (typeof expr !== 'object' || expr === null) fail(path, '不是过滤表达式对象');
  switch (expr.op) {
    case 'eq': {
      const type = fieldType(expr.field, definition, path);
      return { op: 'eq', field: expr.field, type, value: checkValue(expr.value, type, expr.field, path) };
    }
    case 'in': {
      const type = fieldType(expr.field, definition, path);
      if (!Array.isArray(expr.values)) fail(path, `in 需要 values 数组 (field "${expr.field}")`);
      if (expr.values.length === 0) return FALSE;
      const values = [
        ...new Set(expr.values.map((v, i) => checkValue(v, type, expr.field, `${path}.values[${i}]`))),
      ];
      return { op: 'in', field: expr.field, type, values };
    }
    case 'range': {
      const type = fieldType(expr.field, definition, path);
      if (type !== 'number') fail(path, `range 只能用于数值字段, "${expr.field}" 是 ${type}`);
      const bounds: { gt?: number; gte?: number; lt?: number; lte?: number } = {};
      for (const key of ['gt', 'gte', 'lt', 'lte'] as const) {
        const value = expr[key];
        if (value === undefined) continue;
        if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `range.${key} 必须是有限数值`);
        bounds[key] = value;
      }
      if (Object.keys(bounds).length === 0) fail(path, `range 至少需要一个边界 (field "${expr.field}")`);
      if (bounds.gt !== undefined && bounds.gte !== undefined) fail(path, 'range 不能同时有 gt 和 gte');
      if (bounds.lt !== undefined && bounds.lte !== undefined) fail(path, 'range 不能同时有 lt 和 lte');
      return { op: 'range', field: expr.field, ...bounds };
    }
    case 'and':
    case 'or': {
      if (!Array.isArray(expr.filters)) fail(path, `${expr.op} 需要 filters 数组`);
      const absorbing = expr.op === 'and' ? 'false' : 'true';
      const neutral = expr.op === 'and' ? 'true' : 'false';
      const children: NormalizedFilter[] = [];
      for (const [i, child] of expr.filters.entries()) {
        const n = normalize(child, definition, `${path}.${expr.op}[${i}]`);
        if (n.op === absorbing) return n;
        if (n.op === neutral) continue;
        if (n.op === expr.op) children.push(...n.filters);
        else children.push(n);
      }
      if (children.length === 0) return expr.op === 'and' ? TRUE : FALSE;
      if (children.length === 1) return children[0];
      return { op: expr.op, filters: children };
    }
    case 'not': {
      const inner = normalize(expr.filter, definition, `${path}.not`);
      if (inner.op === 'true') return FALSE;
      if (inner.op === 'false') return TRUE;
      if (inner.op === 'not') return inner.filter;
      return { op: 'not', filter: inner };
    }
    default:
      fail(path, `未知的过滤操作 "${String((expr as { op?: unknown }).op)}"`);
  }
}

function fieldType(field: unknown, definition: IndexDefinition, path: string): FieldType {
  if (typeof field !== 'string' || !FIELD_NAME_PATTERN.test(field))
    fail(path, `字段名 "${String(field)}" 无效`);
  const type = Object.prototype.hasOwnProperty.call(definition.filterableFields, field)
    ? definition.filterableFields[field]
    : undefined;
  if (!type) {
    const allowed = Object.keys(definition.filterableFields).join(', ') || '(none)';
    fail(
      path,
      `字段 "${field}" 不可过滤 (not a filterable field of index "${definition.name}"; allowed: ${allowed})`,
    );
  }
  return type;
}

function checkValue(value: unknown, type: FieldType, field: string, path: string): Scalar {
  if (!matchesType(value, type)) {
    fail(path, `字段 "${field}" 需要 ${type} 值, 收到 ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function matchesType(value: unknown, type: FieldType): value is Scalar {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function fail(path: string, message: string): never {
  throw new InvalidSearchFilterError(`过滤条件无效 (invalid filter) at ${path}: ${message}`, { path });
}

// ---------------------------------------------------------------------------------------------
// Documents

/**
 * The values of one filterable field, as an array (a single value becomes a one-element array,
 * null/undefined an empty one). Throws when a value does not match the declared type.
 */
export function filterValues(document: SearchDocument, field: string, type: FieldType): Scalar[] {
  const raw = document[field];
  if (raw === undefined || raw === null) return [];
  const values = Array.isArray(raw) ? raw.filter((v) => v !== null && v !== undefined) : [raw];
  for (const value of values) {
    if (!matchesType(value, type)) {
      throw new InvalidSearchDocumentError(
        `文档 ${document.id} 的字段 "${field}" 需要 ${type} 值, 收到 ${JSON.stringify(value)}`,
        { id: document.id, field },
      );
    }
  }
  return values as Scalar[];
}

/** The text of one searchable field: strings and numbers, arrays joined with spaces. */
export function textValue(document: SearchDocument, field: string): string {
  const raw = document[field];
  if (raw === undefined || raw === null) return '';
  const parts = Array.isArray(raw) ? raw : [raw];
  return parts
    .filter((p) => p !== null && p !== undefined)
    .map((p) => {
      if (typeof p === 'string') return p;
      if (typeof p === 'number' && Number.isFinite(p)) return String(p);
      throw new InvalidSearchDocumentError(`文档 ${document.id} 的可搜索字段 "${field}" 只能是文本或数值`, {
        id: document.id,
        field,
      });
    })
    .join(' ');
}

export function assertDocumentId(document: SearchDocument): string {
  const id = document?.id;
  if (typeof id !== 'string' || !DOCUMENT_ID_PATTERN.test(id)) {
    throw new InvalidSearchDocumentError(`文档 id ${JSON.stringify(id)} 无效 (1–128 个字母、数字、- 或 _)`, {
      id,
    });
  }
  return id;
}

/** Validates ids and keeps the last occurrence of each id (a batch may not touch a row twice). */
export function dedupeDocuments(documents: SearchDocument[]): SearchDocument[] {
  const byId = new Map<string, SearchDocument>();
  for (const document of documents) {
    const id = assertDocumentId(document);
    byId.delete(id);
    byId.set(id, document);
  }
  return [...byId.values()];
}

/** The document as an engine should store it: id, searchable text, filterable and sortable values. */
export function projectDocument(definition: IndexDefinition, document: SearchDocument): SearchDocument {
  const out: SearchDocument = { id: assertDocumentId(document) };
  for (const field of definition.searchableFields) {
    const text = textValue(document, field);
    if (text !== '') out[field] = text;
  }
  for (const [field, type] of Object.entries(definition.filterableFields)) {
    const values = filterValues(document, field, type);
    if (Array.isArray(document[field])) out[field] = values;
    else if (values.length === 1) out[field] = values[0];
  }
  for (const field of definition.sortableFields ?? []) {
    if (!(field in out) && document[field] !== undefined) out[field] = document[field];
  }
  return out;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paging

export function normalizePaging(query: SearchQuery): { limit: number; offset: number } {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1)
    throw new InvalidSearchQueryError(`limit 必须是正整数, 收到 ${limit}`);
  if (!Number.isInteger(offset) || offset < 0)
    throw new InvalidSearchQueryError(`offset 必须是非负整数, 收到 ${offset}`);
  if (offset + limit > MAX_WINDOW) {
    throw new InvalidSearchQueryError(`offset + limit 不能超过 ${MAX_WINDOW} (收到 ${offset} + ${limit})`);
  }
  return { limit, offset };
}

/** The text query, trimmed; undefined when there is none. */
export function queryText(query: SearchQuery): string | undefined {
  if (query.q === undefined || query.q === null) return undefined;
  if (typeof query.q !== 'string') throw new InvalidSearchQueryError('q 必须是字符串');
  const q = query.q.trim();
  if (q.length > 500) throw new InvalidSearchQueryError('q 过长 (最多 500 个字符)');
  return q === '' ? undefined : q;
}
