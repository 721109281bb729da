/**
 * The Meilisearch adapter: a thin layer over the official client (`meilisearch` npm package).
 * Every write waits for its task and throws with the task's error when it did not succeed.
 */
import { Meilisearch } from 'meilisearch';
import type { EnqueuedTask, Index, Task } from 'meilisearch';
import { MeiliConfig } from '../../../config';
import { errorMessage, SearchIndexNotEnsuredError, SearchTaskFailedError } from '../search-errors';
import {
  EngineHealth,
  IndexDefinition,
  SearchDocument,
  SearchEngine,
  SearchQuery,
  SearchResult,
} from '../search-engine';
import {
  assertValidDefinition,
  chunk,
  dedupeDocuments,
  normalizePaging,
  projectDocument,
  queryText,
} from '../search-validation';
import { toMeiliFilter } from './meili-filter';
import { MEILI_LOCALES, meiliSettings, settingsUpdate } from './meili-settings';

/** The parts of the official client this adapter uses (a `Meilisearch` instance satisfies it). */
export interface MeiliClient {
  index(uid: string): MeiliIndex;
  getRawIndex(uid: string): Promise<{ uid: string; primaryKey?: string }>;
  createIndex(uid: string, options?: { primaryKey?: string }): Promise<EnqueuedTask>;
  health(): Promise<{ status: string }>;
  tasks: { waitForTask(taskUid: number, options?: { timeout?: number; interval?: number }): Promise<Task> };
}

export type MeiliIndex = Pick<
  Index,
  'getSettings' | 'updateSettings' | 'addDocuments' | 'deleteDocuments' | 'deleteAllDocuments' | 'search'
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
      await this.run(`create index ${uid}`, this.client.createIndex(uid, { primaryKey: 'id' }), [
        'index_already_exists',
      ]);
    } else if (existing.primaryKey && existing.primaryKey !== 'id') {
      throw new SearchTaskFailedError(
        `Meilisearch 索引 ${uid} 的主键是 "${existing.primaryKey}", 应为 "id"`,
        { uid },
      );
    }

    const index = this.client.index(uid);
    const update = settingsUpdate(await index.getSettings(), meiliSettings(definition));
    if (update) await this.run(`update settings of ${uid}`, index.updateSettings(update));
  }

  async upsert(index: string, documents: SearchDocument[]): Promise<void> {
    const definition = this.definition(index);
    const projected = dedupeDocuments(documents).map((d) => projectDocument(definition, d));
    const target = this.client.index(this.uid(index));
    for (const batch of chunk(projected, this.batchSize)) {
      await this.run(
        `add ${batch.length} documents to ${this.uid(index)}`,
        target.addDocuments(batch, { primaryKey: 'id' }),
      );
    }
  }

  async delete(index: string, ids: string[]): Promise<void> {
    this.definition(index);
    const target = this.client.index(this.uid(index));
    for (const batch of chunk([...new Set(ids)], this.batchSize)) {
      await this.run(
        `delete ${batch.length} documents from ${this.uid(index)}`,
        target.deleteDocuments(batch),
      );
    }
  }

  async clear(index: string): Promise<void> {
    this.definition(index);
    await this.run(`clear ${this.uid(index)}`, this.client.index(this.uid(index)).deleteAllDocuments());
  }

  async search(index: string, query: SearchQuery): Promise<SearchResult> {
    const definition = this.definition(index);
    const filter = toMeiliFilter(query.filter, definition);
    const { limit, offset } = normalizePaging(query);
    const q = queryText(query);
    if (filter.kind === 'none') return { hits: [], total: 0, engine: this.name };

    const response = await this.client.index(this.uid(index)).search(q ?? null, {
      filter: filter.kind === 'expr' ? filter.filter : undefined,
      limit,
      offset,
      showRankingScore: true,
      attributesToRetrieve: ['id'],
      locales: q ? MEILI_LOCALES : undefined,
    });
    return {
      hits: response.hits.map((hit) => ({
        id: String(hit.id),
        score: q ? clamp01(hit._rankingScore ?? 0) : 1,
      })),
      total: response.estimatedTotalHits ?? response.hits.length,
      engine: this.name,
    };
  }

  async health(): Promise<EngineHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`health check timed out after ${this.options.requestTimeoutMs}ms`)),
        this.options.requestTimeoutMs,
      );
    });
    try {
      const health = await Promise.race([this.client.health(), timeout]);
      return health.status === 'available' ? { ok: true } : { ok: false, detail: `status ${health.status}` };
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
      return await this.client.getRawIndex(uid);
    } catch (error) {
      if (meiliErrorCode(error) === 'index_not_found') return undefined;
      throw error;
    }
  }

  /** Awaits the enqueued task, then polls it to completion; anything but `succeeded` throws. */
  private async run(what: string, enqueued: Promise<EnqueuedTask>, tolerated: string[] = []): Promise<Task> {
    const { taskUid } = await enqueued;
    const task = await this.client.tasks.waitForTask(taskUid, { timeout: this.options.taskTimeoutMs });
    if (task.status === 'succeeded') return task;
    if (task.status === 'failed' && task.error && tolerated.includes(task.error.code)) return task;
    const reason = task.error ? `${task.error.code}: ${task.error.message}` : task.status;
    throw new SearchTaskFailedError(`Meilisearch 任务 ${taskUid} 失败 (${what}): ${reason}`, {
      taskUid,
      status: task.status,
      error: task.error ?? undefined,
    });
  }
}

/** The Meilisearch error code of an API error (`cause.code`), if any. */
export function meiliErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
