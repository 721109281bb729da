/**
 * Errors raised by the search adapters. Two families matter to callers:
 * - `SearchUsageError`: the caller asked for something invalid (unknown filter field, wrong value
 *   type, index never ensured). Retrying or failing over to another engine would not help.
 * - everything else (`SearchTaskFailedError`, client/network errors): the engine could not do it.
 */

export type SearchErrorCode =
  | 'SEARCH_INVALID_DEFINITION'
  | 'SEARCH_INVALID_FILTER'
  | 'SEARCH_INVALID_QUERY'
  | 'SEARCH_INVALID_DOCUMENT'
  | 'SEARCH_INDEX_NOT_ENSURED'
  | 'SEARCH_TASK_FAILED'
  | 'SEARCH_PRIMARY_UNAVAILABLE';

export abstract class SearchError extends Error {
  abstract readonly code: SearchErrorCode;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request itself is wrong; no engine would accept it. */
export abstract class SearchUsageError extends SearchError {}

export class InvalidIndexDefinitionError extends SearchUsageError {
  readonly code = 'SEARCH_INVALID_DEFINITION';
}

export class InvalidSearchFilterError extends SearchUsageError {
  readonly code = 'SEARCH_INVALID_FILTER';
}

export class InvalidSearchQueryError extends SearchUsageError {
  readonly code = 'SEARCH_INVALID_QUERY';
}

export class InvalidSearchDocumentError extends SearchUsageError {
  readonly code = 'SEARCH_INVALID_DOCUMENT';
}

/** ensureIndex(definition) has not been called for this index in this process. */
export class SearchIndexNotEnsuredError extends SearchUsageError {
  readonly code = 'SEARCH_INDEX_NOT_ENSURED';
  constructor(index: string) {
    super(`搜索索引 ${index} 未初始化 (ensureIndex was not called for index "${index}")`, { index });
  }
}

/** The engine accepted a task and then reported it failed (or it timed out / was canceled). */
export class SearchTaskFailedError extends SearchError {
  readonly code = 'SEARCH_TASK_FAILED';
}

/** The primary engine is marked down: the write reached the fallback only and must be retried. */
export class SearchPrimaryUnavailableError extends SearchError {
  readonly code = 'SEARCH_PRIMARY_UNAVAILABLE';
}

export function isSearchUsageError(error: unknown): error is SearchUsageError {
  return error instanceof SearchUsageError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
