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
import {
  FieldType,
  FilterExpr,
  IndexDefinition,
  Scalar,
  SearchDocument,
  SearchQuery,
  SortSpec,
} from './search-engine';
import { limitWords } from './postgres/chinese-tokenizer';

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
/** offset + limit never exceeds this (Meilisearch's pagination.maxTotalHits is set above it). */
export const MAX_WINDOW = 1000;
/** `total` is exact up to this many matches, and reported as this (with totalCapped) beyond. */
export const MAX_TOTAL = 1000;
/** Meilisearch ignores query words after the tenth; the port drops them for every engine. */
export const MAX_QUERY_WORDS = 10;
/** Longest string filter value (UTF-8 bytes); Meilisearch cuts facet values at 468 bytes. */
export const MAX_CODE_BYTES = 256;
/** Sort keys one query may give (the id, always added last, not counted). */
export const MAX_SORT_FIELDS = 4;
/** Largest magnitude of a number in a filter or a filterable field (exact integers in a double). */
export const MAX_FILTER_NUMBER = Number.MAX_SAFE_INTEGER;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why a string cannot be a filter value (a code), or undefined when it can: non-empty, bounded, no
 * surrounding whitespace or control characters, lower case and NFKD — i.e. unchanged by the
 * normalisation Meilisearch applies to both sides of `=`, so exact comparison agrees with it.
 */
export function codeProblem(value: string): string | undefined {
  if (value === '') return '不能为空字符串';
  if (Buffer.byteLength(value, 'utf8') > MAX_CODE_BYTES) return `超过 ${MAX_CODE_BYTES} 字节`;
  if (value.trim() !== value) return '首尾不能有空白';
  if (CONTROL_CHARACTERS.test(value)) return '不能包含控制字符';
  if (value.toLowerCase() !== value) return '必须是小写';
  if (value.normalize('NFKD') !== value) return '必须是 Unicode NFKD 规范形式 (如全角字符须转为半角)';
  return undefined;
}

/** Why a number cannot be used in a filter or a filterable field, or undefined when it can. */
export function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return '必须是有限数值';
  if (Math.abs(value) > MAX_FILTER_NUMBER) return `绝对值不能超过 ${MAX_FILTER_NUMBER}`;
  return undefined;
}

/**
 * A number as a plain decimal literal (`0.0000001`, never `1e-7`): the Meilisearch filter grammar
 * refuses exponents. The digits are those of `String(value)`, so the value parses back exactly.
 */
export function formatNumber(value: number): string {
  const problem = numberProblem(value);
  if (problem) throw new InvalidSearchFilterError(`数值 ${value} 不能用于过滤: ${problem}`);
  if (Object.is(value, -0)) return '0';
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = '', exponentText] = match;
  const exponent = Number(exponentText);
  const digits = whole + fraction;
  const point = whole.length + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`.replace(/0+$/, '');
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The next double above / below `x` (x finite): `gt a` is exactly `gte nextUp(a)` on doubles. */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

export function nextDown(x: number): number {
  return -nextUp(-x);
}

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
  const sortable = new Set<string>();
  for (const field of definition.sortableFields ?? []) {
    checkName(field, 'sortableFields');
    if (field === 'id') problems.push('sortableFields 不能包含 id (id 总是最后的排序键)');
    if (sortable.has(field)) problems.push(`sortableFields 字段 "${field}" 重复`);
    sortable.add(field);
    const filterType = Object.prototype.hasOwnProperty.call(definition.filterableFields ?? {}, field)
      ? definition.filterableFields[field]
      : undefined;
    if (filterType !== undefined && filterType !== 'number')
      problems.push(`sortableFields 字段 "${field}" 只能是数值, 但在 filterableFields 中是 ${filterType}`);
  }
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
  /** Closed bounds only (`gt`/`lt` become the next double); at least one is present. */
  | { op: 'range'; field: string; gte?: number; lte?: number }
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
        if (typeof value !== 'number') fail(path, `range.${key} 必须是有限数值`);
        const problem = numberProblem(value);
        if (problem) fail(path, `range.${key} ${problem}`);
        bounds[key] = value;
      }
      if (Object.keys(bounds).length === 0) fail(path, `range 至少需要一个边界 (field "${expr.field}")`);
      if (bounds.gt !== undefined && bounds.gte !== undefined) fail(path, 'range 不能同时有 gt 和 gte');
      if (bounds.lt !== undefined && bounds.lte !== undefined) fail(path, 'range 不能同时有 lt 和 lte');
      // One rule for every engine: a range is a closed interval that ONE value must fall in.
      const gte = bounds.gt !== undefined ? nextUp(bounds.gt) : bounds.gte;
      const lte = bounds.lt !== undefined ? nextDown(bounds.lt) : bounds.lte;
      if (gte !== undefined && lte !== undefined && gte > lte) return FALSE;
      return {
        op: 'range',
        field: expr.field,
        ...(gte !== undefined ? { gte } : {}),
        ...(lte !== undefined ? { lte } : {}),
      };
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
  const problem = valueProblem(value);
  if (problem) fail(path, `字段 "${field}" 的值 ${JSON.stringify(value)} ${problem}`);
  return value;
}

/** The port's rule for one filter value or filterable document value (see search-engine.ts). */
function valueProblem(value: Scalar): string | undefined {
  if (typeof value === 'string') return codeProblem(value);
  if (typeof value === 'number') return numberProblem(value);
  return undefined;
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
    const problem = valueProblem(value);
    if (problem) {
      throw new InvalidSearchDocumentError(
        `文档 ${document.id} 的过滤字段 "${field}" 的值 ${JSON.stringify(value)} ${problem}`,
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
    const value = sortValue(document, field);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * The value of one sortable field: a single finite number, or undefined when absent (null counts as
 * absent). Anything else — a string, an array, a number beyond MAX_FILTER_NUMBER — is refused, so
 * every engine orders the same values the same way.
 */
export function sortValue(document: SearchDocument, field: string): number | undefined {
  const raw = document[field];
  if (raw === undefined || raw === null) return undefined;
  const problem = typeof raw === 'number' ? numberProblem(raw) : '必须是单个数值';
  if (problem) {
    throw new InvalidSearchDocumentError(
      `文档 ${document.id} 的排序字段 "${field}" 的值 ${JSON.stringify(raw) ?? String(raw)} ${problem}`,
      { id: document.id, field },
    );
  }
  return raw as number;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sorting

/**
 * Validates `sort` against the index's sortable fields: an array of at most MAX_SORT_FIELDS keys,
 * each a declared sortable field given once with direction `asc` or `desc`. Returns the keys (empty
 * when there is no sort); the adapters append the id as the last key.
 */
export function normalizeSort(sort: SortSpec[] | undefined, definition: IndexDefinition): SortSpec[] {
  if (sort === undefined || sort === null) return [];
  if (!Array.isArray(sort)) throw new InvalidSearchQueryError('sort 必须是数组');
  if (sort.length > MAX_SORT_FIELDS)
    throw new InvalidSearchQueryError(`sort 最多 ${MAX_SORT_FIELDS} 个字段, 收到 ${sort.length}`);
  const sortable = definition.sortableFields ?? [];
  const seen = new Set<string>();
  return sort.map((key, i) => {
    const field = (key as { field?: unknown } | null)?.field;
    const direction = (key as { direction?: unknown } | null)?.direction;
    if (typeof field !== 'string' || !sortable.includes(field)) {
      throw new InvalidSearchQueryError(
        `sort[${i}]: 字段 "${String(field)}" 不可排序 (not a sortable field of index "${definition.name}"; allowed: ${sortable.join(', ') || '(none)'})`,
        { path: `sort[${i}]` },
      );
    }
    if (direction !== 'asc' && direction !== 'desc')
      throw new InvalidSearchQueryError(`sort[${i}]: 方向只能是 asc 或 desc, 收到 ${String(direction)}`, {
        path: `sort[${i}]`,
      });
    if (seen.has(field)) throw new InvalidSearchQueryError(`sort[${i}]: 字段 "${field}" 重复`);
    seen.add(field);
    return { field, direction };
  });
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

/**
 * The text query, trimmed and cut after its MAX_QUERY_WORDS-th word (jieba segmentation), so every
 * engine searches the same words; undefined when there is none.
 */
export function queryText(query: SearchQuery): string | undefined {
  if (query.q === undefined || query.q === null) return undefined;
  if (typeof query.q !== 'string') throw new InvalidSearchQueryError('q 必须是字符串');
  const q = query.q.trim();
  if (q.length > 500) throw new InvalidSearchQueryError('q 过长 (最多 500 个字符)');
  return q === '' ? undefined : limitWords(q, MAX_QUERY_WORDS);
}

/** `total` as the port reports it: exact up to MAX_TOTAL, capped beyond. */
export function cappedTotal(matches: number): { total: number; totalCapped: boolean } {
  return { total: Math.min(matches, MAX_TOTAL), totalCapped: matches > MAX_TOTAL };
}
