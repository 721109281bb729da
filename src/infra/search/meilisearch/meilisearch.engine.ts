/**
 * The Meilisearch adapter: a thin layer over the official client (`meilisearch` npm package).
 * - Every write waits for its task and throws with the task's error when it did not succeed.
 * - Errors are classified (classifyMeiliError): only connection failures, timeouts, 5xx and a refused
 *   key are an outage; a task still running after the wait is "pending" and is waited on, never sent
 *   again; the engine's 4xx answers to a search are the caller's errors.
 * - Before a write, tasks of the same kind still enqueued or processing on the index are waited on,
 *   so a slow engine never gets the same settings (or documents) queued again and again.
 */
import {
  Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from 'meilisearch';
import type { EnqueuedTask, Index, IndexSwap, Task, TasksOrBatchesQuery, TaskType } from 'meilisearch';
import { MeiliConfig } from '../../../config';
import {
  errorMessage,
  InvalidSearchFilterError,
  InvalidSearchQueryError,
  SearchEngineUnavailableError,
  SearchError,
  SearchIndexNotEnsuredError,
  SearchRequestRejectedError,
  SearchTaskFailedError,
  SearchTaskPendingError,
} from '../search-errors';
import {
  EngineHealth,
  IndexDefinition,
  SearchDocument,
  SearchEngine,
  SearchQuery,
  SearchResult,
  SortSpec,
} from '../search-engine';
import {
  assertValidDefinition,
  cappedTotal,
  chunk,
  dedupeDocuments,
  normalizePaging,
  normalizeSort,
  projectDocument,
  queryText,
} from '../search-validation';
import { toMeiliFilter } from './meili-filter';
import { MEILI_ID_FIELD, MEILI_LOCALES, meiliSettings, settingsUpdate } from './meili-settings';

/** The parts of the official client this adapter uses (a `Meilisearch` instance satisfies it). */
export interface MeiliClient {
  index(uid: string): MeiliIndex;
  getRawIndex(uid: string): Promise<{ uid: string; primaryKey?: string }>;
  createIndex(uid: string, options?: { primaryKey?: string }): Promise<EnqueuedTask>;
  deleteIndex(uid: string): Promise<EnqueuedTask>;
  swapIndexes(params: IndexSwap[]): Promise<EnqueuedTask>;
  tasks: {
    waitForTask(taskUid: number, options?: { timeout?: number; interval?: number }): Promise<Task>;
    waitForTasks(taskUids: number[], options?: { timeout?: number; interval?: number }): Promise<Task[]>;
    getTasks(params?: TasksOrBatchesQuery): Promise<{ results: Task[] }>;
  };
}

export type MeiliIndex = Pick<
  Index,
  | 'getSettings'
  | 'updateSettings'
  | 'addDocuments'
  | 'deleteDocuments'
  | 'deleteAllDocuments'
  | 'search'
  | 'getStats'
>;

export interface MeilisearchEngineOptions {
  indexPrefix: string;
  /** How long to wait for one task (index creation, settings, a batch of documents). */
  taskTimeoutMs: number;
  /** Upper bound for the health probe. */
  requestTimeoutMs: number;
  /** Documents (or ids) per task. */
  batchSize?: number;
}

export const MEILI_BATCH_SIZE = 1000;
/** Suffix of the fresh copy a rebuild writes before swapping it in. */
export const REBUILD_SUFFIX = '__rebuild';

const DOCUMENT_TASKS: TaskType[] = ['documentAdditionOrUpdate', 'documentDeletion'];
const SETTINGS_TASKS: TaskType[] = ['settingsUpdate'];

export class MeilisearchEngine implements SearchEngine {
  readonly name = 'meilisearch' as const;
  private readonly definitions = new Map<string, IndexDefinition>();
  private readonly batchSize: number;

  constructor(
    private readonly client: MeiliClient,
    private readonly options: MeilisearchEngineOptions,
  ) {
    this.batchSize = options.batchSize ?? MEILI_BATCH_SIZE;
  }

  /** The adapter on a real client built from configuration. */
  static fromConfig(config: MeiliConfig): MeilisearchEngine {
    if (!config.url) throw new Error('search.meili.url 未设置');
    const client = new Meilisearch({
      host: config.url,
      apiKey: config.apiKey,
      timeout: config.requestTimeoutMs,
      defaultWaitOptions: { timeout: config.taskTimeoutMs },
    });
    return new MeilisearchEngine(client, {
      indexPrefix: config.indexPrefix,
      taskTimeoutMs: config.taskTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
    });
  }

  uid(index: string): string {
    return `${this.options.indexPrefix}${index}`;
  }

  async ensureIndex(definition: IndexDefinition): Promise<void> {
    assertValidDefinition(definition);
    // Remembered first: filters and document projection need it even if the server is down now.
    this.definitions.set(definition.name, definition);
    const uid = this.uid(definition.name);

    const existing = await this.rawIndex(uid);
    if (!existing) {
      await this.run(`create index ${uid}`, () => this.client.createIndex(uid, { primaryKey: 'id' }), [
        'index_already_exists',
      ]);
    } else if (existing.primaryKey && existing.primaryKey !== 'id') {
      throw new SearchTaskFailedError(
        `Meilisearch 索引 ${uid} 的主键是 "${existing.primaryKey}", 应为 "id"`,
        { uid },
      );
    }

    // A settings update still running (e.g. after a timeout) is waited on, never queued again.
    await this.settlePending(uid, SETTINGS_TASKS);
    const index = this.client.index(uid);
    const update = settingsUpdate(await this.call(() => index.getSettings()), meiliSettings(definition));
    if (update) await this.run(`update settings of ${uid}`, () => index.updateSettings(update));
  }

  async upsert(index: string, documents: SearchDocument[]): Promise<void> {
    const definition = this.definition(index);
    const projected = dedupeDocuments(documents).map((d) => projectDocument(definition, d));
    const uid = this.uid(index);
    const target = this.client.index(uid);
    await this.settlePending(uid, DOCUMENT_TASKS);
    for (const batch of chunk(projected, this.batchSize)) {
      await this.run(`add ${batch.length} documents to ${uid}`, () =>
        target.addDocuments(batch, { primaryKey: 'id' }),
      );
    }
  }

  async delete(index: string, ids: string[]): Promise<void> {
    this.definition(index);
    const uid = this.uid(index);
    const target = this.client.index(uid);
    await this.settlePending(uid, DOCUMENT_TASKS);
    for (const batch of chunk([...new Set(ids)], this.batchSize)) {
      await this.run(`delete ${batch.length} documents from ${uid}`, () => target.deleteDocuments(batch));
    }
  }

  async clear(index: string): Promise<void> {
    this.definition(index);
    const uid = this.uid(index);
    await this.run(`clear ${uid}`, () => this.client.index(uid).deleteAllDocuments());
  }

  /**
   * Builds `<uid>__rebuild` (settings first, then every batch sent without waiting per batch; the
   * task ids are awaited together), swaps it with the live index (`swapIndexes`, atomic) and deletes
   * the copy, which then holds the old documents. Any failure before the swap leaves the live index
   * untouched; the copy is deleted.
   */
  async replaceAll(index: string, batches: () => AsyncIterable<SearchDocument[]>): Promise<number> {
    const definition = this.definition(index);
    const uid = this.uid(index);
    const copy = `${uid}${REBUILD_SUFFIX}`;
    await this.run(`delete ${copy}`, () => this.client.deleteIndex(copy), ['index_not_found']);
    try {
      await this.run(`create ${copy}`, () => this.client.createIndex(copy, { primaryKey: 'id' }));
      const target = this.client.index(copy);
      await this.run(`settings of ${copy}`, () => target.updateSettings(meiliSettings(definition)));
      const taskUids: number[] = [];
      let written = 0;
      for await (const documents of batches()) {
        const projected = dedupeDocuments(documents).map((d) => projectDocument(definition, d));
        for (const batch of chunk(projected, this.batchSize)) {
          const { taskUid } = await this.call(() => target.addDocuments(batch, { primaryKey: 'id' }));
          taskUids.push(taskUid);
        }
        written += projected.length;
      }
      await this.awaitTasks(`add ${written} documents to ${copy}`, taskUids);
      await this.run(`swap ${uid} with ${copy}`, () =>
        this.client.swapIndexes([{ indexes: [uid, copy], rename: false }]),
      );
      return written;
    } finally {
      // After the swap the copy holds the old documents; before it, a half-built index. Either way it
      // goes; a failure to delete it is left for the next rebuild, which deletes it first.
      await this.run(`delete ${copy}`, () => this.client.deleteIndex(copy), ['index_not_found']).catch(
        () => undefined,
      );
    }
  }

  async count(index: string): Promise<number> {
    this.definition(index);
    try {
      return (await this.call(() => this.client.index(this.uid(index)).getStats())).numberOfDocuments;
    } catch (error) {
      if (engineErrorCode(error) === 'index_not_found') return 0;
      throw error;
    }
  }

  async search(index: string, query: SearchQuery): Promise<SearchResult> {
    const definition = this.definition(index);
    const filter = toMeiliFilter(query.filter, definition);
    const { limit, offset } = normalizePaging(query);
    const sort = normalizeSort(query.sort, definition);
    const q = queryText(query);
    if (filter.kind === 'none') return { hits: [], total: 0, totalCapped: false, engine: this.name };

    // Page mode gives an exhaustive totalHits (bounded by pagination.maxTotalHits, see meili-settings);
    // an offset that is not a multiple of the limit reads the window from the first page.
    const aligned = offset % limit === 0;
    const response = await this.call(() =>
      this.client.index(this.uid(index)).search(q ?? null, {
        filter: filter.kind === 'expr' ? filter.filter : undefined,
        page: aligned ? offset / limit + 1 : 1,
        hitsPerPage: aligned ? limit : offset + limit,
        showRankingScore: true,
        attributesToRetrieve: ['id'],
        locales: q ? MEILI_LOCALES : undefined,
        ...(sort.length > 0 ? meiliSort(sort) : {}),
      }),
    );
    const hits = aligned ? response.hits : response.hits.slice(offset);
    return {
      hits: hits.map((hit) => ({
        id: String(hit.id),
        score: q ? clamp01(hit._rankingScore ?? 0) : 1,
      })),
      ...cappedTotal(response.totalHits),
      engine: this.name,
    };
  }

  /**
   * A keyed call (the last task), not `/health`: `/health` needs no key, so a wrong or revoked key
   * would look healthy there. Needs the `tasks.get` action.
   */
  async health(): Promise<EngineHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`health check timed out after ${this.options.requestTimeoutMs}ms`)),
        this.options.requestTimeoutMs,
      );
    });
    try {
      await Promise.race([this.client.tasks.getTasks({ limit: 1 }), timeout]);
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: errorMessage(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    // The client holds no sockets of its own (fetch); nothing to release.
  }

  private definition(index: string): IndexDefinition {
    const definition = this.definitions.get(index);
    if (!definition) throw new SearchIndexNotEnsuredError(index);
    return definition;
  }

  private async rawIndex(uid: string): Promise<{ primaryKey?: string } | undefined> {
    try {
      return await this.call(() => this.client.getRawIndex(uid));
    } catch (error) {
      if (engineErrorCode(error) === 'index_not_found') return undefined;
      throw error;
    }
  }

  /** One client call, its errors classified. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw classifyMeiliError(error);
    }
  }

  /** Waits for the tasks of these types still enqueued or processing on `uid`, whatever their outcome. */
  private async settlePending(uid: string, types: TaskType[]): Promise<void> {
    const { results } = await this.call(() =>
      this.client.tasks.getTasks({ indexUids: [uid], types, statuses: ['enqueued', 'processing'] }),
    );
    if (results.length === 0) return;
    await this.call(() =>
      this.client.tasks.waitForTasks(
        results.map((t) => t.uid),
        { timeout: this.options.taskTimeoutMs },
      ),
    );
  }

  /** Enqueues one task and waits for it; anything but `succeeded` (or a tolerated error) throws. */
  private async run(what: string, enqueue: () => Promise<EnqueuedTask>, tolerated: string[] = []) {
    const { taskUid } = await this.call(enqueue);
    await this.awaitTasks(what, [taskUid], tolerated);
  }

  private async awaitTasks(what: string, taskUids: number[], tolerated: string[] = []): Promise<void> {
    if (taskUids.length === 0) return;
    const tasks = await this.call(() =>
      this.client.tasks.waitForTasks(taskUids, { timeout: this.options.taskTimeoutMs }),
    );
    for (const task of tasks) {
      if (task.status === 'succeeded') continue;
      if (task.status === 'failed' && task.error && tolerated.includes(task.error.code)) continue;
      const reason = task.error ? `${task.error.code}: ${task.error.message}` : task.status;
      throw new SearchTaskFailedError(`Meilisearch 任务 ${task.uid} 失败 (${what}): ${reason}`, {
        taskUid: task.uid,
        status: task.status,
        error: task.error ?? undefined,
      });
    }
  }
}

/**
 * What a client error means for the port:
 * - unreachable, request timeout, 5xx, 401/403 (our key is refused) → SearchEngineUnavailableError
 *   (an outage; the fallback takes over);
 * - the wait for a task ran out → SearchTaskPendingError (it is still running: wait, do not resend);
 * - `index_not_found` → SearchEngineUnavailableError (the engine lost the index: rebuild on recovery);
 * - `invalid_search_filter…` → InvalidSearchFilterError, other `invalid_search_…` →
 *   InvalidSearchQueryError (the caller's error, never an outage);
 * - any other 4xx → SearchRequestRejectedError.
 * Errors that are already the port's, and unknown errors, are returned unchanged.
 */
export function classifyMeiliError(error: unknown): unknown {
  if (error instanceof SearchError) return error;
  const message = errorMessage(error);
  if (error instanceof MeilisearchTaskTimeOutError) {
    return new SearchTaskPendingError(`Meilisearch 任务 ${error.cause.taskUid} 仍在执行: ${message}`, {
      taskUid: error.cause.taskUid,
    });
  }
  if (error instanceof MeilisearchRequestTimeOutError || error instanceof MeilisearchRequestError) {
    return new SearchEngineUnavailableError(`Meilisearch 不可达: ${message}`);
  }
  if (error instanceof MeilisearchApiError) {
    const status = error.response.status;
    const code = meiliErrorCode(error.cause);
    const details = { status, code };
    if (status >= 500 || status === 401 || status === 403 || code === 'index_not_found') {
      return new SearchEngineUnavailableError(`Meilisearch 不可用 (${status}): ${message}`, details);
    }
    if (code?.startsWith('invalid_search_filter')) {
      return new InvalidSearchFilterError(`过滤条件无效 (Meilisearch ${code}): ${message}`, details);
    }
    if (code?.startsWith('invalid_search_')) {
      return new InvalidSearchQueryError(`查询无效 (Meilisearch ${code}): ${message}`, details);
    }
    return new SearchRequestRejectedError(
      `Meilisearch 拒绝请求 (${status} ${code ?? ''}): ${message}`,
      details,
    );
  }
  return error;
}

/** The Meilisearch error code behind a classified error. */
function engineErrorCode(error: unknown): string | undefined {
  return error instanceof SearchError ? meiliErrorCode(error.details) : undefined;
}

/** The Meilisearch error code of an API error body (`error.cause`), if any. */
export function meiliErrorCode(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The sort of a search: the keys, then the id (ties), with `sort` the first ranking rule (see
 * meili-settings.ts) so the keys order every hit; a text query then needs every word
 * (`matchingStrategy: all`), as on PostgreSQL.
 */
export function meiliSort(sort: SortSpec[]): { sort: string[]; matchingStrategy: 'all' } {
  return {
    sort: [...sort.map((s) => `${s.field}:${s.direction}`), `${MEILI_ID_FIELD}:asc`],
    matchingStrategy: 'all',
  };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
