/**
 * Errors raised by the search adapters. Three families matter to callers:
 * - `SearchUsageError`: the caller asked for something invalid (unknown filter field, wrong value
 *   type, a value that breaks the port's rules, index never ensured). Retrying or failing over to
 *   another engine would not help.
 * - `SearchEngineUnavailableError`: an outage — the engine cannot be reached, timed out, answered
 *   5xx, or refuses our key. Only this marks the primary engine down.
 * - the rest: the engine is up but did not do it (`SearchTaskFailedError`: a task failed;
 *   `SearchTaskPendingError`: a task is still running after the wait — not a failure, never re-sent;
 *   `SearchRequestRejectedError`: a 4xx that is not the caller's).
 */

export type SearchErrorCode =
  | 'SEARCH_INVALID_DEFINITION'
  | 'SEARCH_INVALID_FILTER'
  | 'SEARCH_INVALID_QUERY'
  | 'SEARCH_INVALID_DOCUMENT'
  | 'SEARCH_INDEX_NOT_ENSURED'
  | 'SEARCH_TASK_FAILED'
  | 'SEARCH_TASK_PENDING'
  | 'SEARCH_ENGINE_UNAVAILABLE'
  | 'SEARCH_REQUEST_REJECTED'
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

/** The engine's task is still enqueued or processing after the wait: wait on it, do not send again. */
export class SearchTaskPendingError extends SearchError {
  readonly code = 'SEARCH_TASK_PENDING';
}

/** Connection failure, timeout, 5xx or a refused key: the engine cannot serve now (an outage). */
export class SearchEngineUnavailableError extends SearchError {
  readonly code = 'SEARCH_ENGINE_UNAVAILABLE';
}

/** The engine answered with a 4xx that no port rule explains (e.g. a payload too large). */
export class SearchRequestRejectedError extends SearchError {
  readonly code = 'SEARCH_REQUEST_REJECTED';
}

export function isOutage(error: unknown): error is SearchEngineUnavailableError {
  return error instanceof SearchEngineUnavailableError;
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
