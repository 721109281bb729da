/**
 * Meilisearch with PostgreSQL behind it.
 * - Outages: only an outage (`SearchEngineUnavailableError`: unreachable, timeout, 5xx, key refused)
 *   or a failed health check marks the primary down. A bad filter is the caller's error and is
 *   rethrown; a task still running or failed is not an outage either.
 * - Writes go to both. The fallback is always written, so it is current whenever it has to serve.
 *   A primary failure (or the primary being down) makes the write throw after the fallback was
 *   written: the caller (the outbox relay) retries until the primary has it too.
 * - Searches of an index go to the primary only while it "serves" that index. After start and after
 *   every outage an index is taken back only when (1) the primary answers a keyed health check,
 *   (2) the index is reconciled on it (settings applied, none pending), (3) the outbox holds no
 *   pending row for the index created before the primary came back (the backlog is replayed), and
 *   (4) both engines hold as many documents — otherwise the primary's copy is rebuilt from
 *   PostgreSQL first (it may have come back empty). Until then the fallback serves that index, and
 *   the probe runs every `healthCheckIntervalMs`.
 */
import { Logger } from '@nestjs/common';
import { errorMessage, isOutage, isSearchUsageError, SearchPrimaryUnavailableError } from './search-errors';
import {
  EngineHealth,
  IndexDefinition,
  SearchDocument,
  SearchEngine,
  SearchEngineName,
  SearchQuery,
  SearchResult,
} from './search-engine';

/** What the health endpoint shows about search. */
export interface SearchEngineStatus {
  /** The primary engine's state; `none` when only PostgreSQL is configured. */
  primary: 'up' | 'down' | 'none';
  /** The engine that answers searches now (the fallback while any index is served by it). */
  active: SearchEngineName;
  /** True while some index is served by the fallback (primary down, or an index not caught up). */
  fallbackActive: boolean;
  /** Indexes whose searches the fallback serves now. */
  fallbackIndexes?: string[];
  detail?: string;
  /** ISO time the primary was marked down. */
  downSince?: string;
}

/** What the outbox module tells the fallback engine, so it can decide when the primary is current. */
export interface SearchRecovery {
  /** Pending outbox rows of `index` created before `before` (the backlog the primary has not seen). */
  backlog(index: string, before: Date): Promise<number>;
  /** Rebuilds `index` on `engine` from PostgreSQL (into a fresh copy, swapped in). */
  rebuild(index: string, engine: SearchEngine): Promise<void>;
}

export interface FallbackSearchEngineOptions {
  healthCheckIntervalMs: number;
  logger?: Pick<Logger, 'warn' | 'log' | 'error'>;
}

export class FallbackSearchEngine implements SearchEngine {
  readonly name: SearchEngineName;
  private readonly definitions = new Map<string, IndexDefinition>();
  /** Indexes whose searches the primary answers. */
  private readonly serving = new Set<string>();
  private readonly logger: Pick<Logger, 'warn' | 'log' | 'error'>;
  private recovery?: SearchRecovery;
  private primaryUp = true;
  /** When the primary was last seen healthy after being down (or this engine was created). */
  private upSince = new Date();
  private downSince?: Date;
  private lastError?: string;
  private probeTimer?: NodeJS.Timeout;
  private probing?: Promise<void>;
  private closed = false;

  constructor(
    private readonly primary: SearchEngine,
    private readonly fallback: SearchEngine,
    private readonly options: FallbackSearchEngineOptions,
  ) {
    this.name = primary.name;
    this.logger = options.logger ?? new Logger('Search');
  }

  /** Set once by the outbox module; without it an index is taken back only when the counts agree. */
  setRecovery(recovery: SearchRecovery): void {
    this.recovery = recovery;
  }

  status(): SearchEngineStatus {
    const fallbackIndexes = [...this.definitions.keys()].filter((name) => !this.serves(name)).sort();
    const fallbackActive = fallbackIndexes.length > 0;
    return {
      primary: this.primaryUp ? 'up' : 'down',
      active: fallbackActive ? this.fallback.name : this.primary.name,
      fallbackActive,
      ...(fallbackActive ? { fallbackIndexes } : {}),
      ...(this.lastError && fallbackActive ? { detail: this.lastError } : {}),
      ...(this.downSince ? { downSince: this.downSince.toISOString() } : {}),
    };
  }

  async ensureIndex(definition: IndexDefinition): Promise<void> {
    this.definitions.set(definition.name, definition);
    await this.fallback.ensureIndex(definition);
    if (this.primaryUp) {
      try {
        await this.primary.ensureIndex(definition);
      } catch (error) {
        if (isSearchUsageError(error)) throw error;
        this.noteFailure(error);
      }
    }
    // The index is taken by the primary once it is caught up (see the class comment).
    this.startProbing();
    void this.probe();
  }

  upsert(index: string, documents: SearchDocument[]): Promise<void> {
    return this.write(`upsert ${index}`, (engine) => engine.upsert(index, documents));
  }

  delete(index: string, ids: string[]): Promise<void> {
    return this.write(`delete ${index}`, (engine) => engine.delete(index, ids));
  }

  clear(index: string): Promise<void> {
    return this.write(`clear ${index}`, (engine) => engine.clear(index));
  }

  /**
   * The fallback first (it is the engine that serves during an outage), then the primary. Each swaps
   * only a complete copy, so a failure on either leaves that engine's index as it was. With the
   * primary down, the fallback is rebuilt and the call throws SearchPrimaryUnavailableError.
   */
  async replaceAll(index: string, batches: () => AsyncIterable<SearchDocument[]>): Promise<number> {
    const written = await this.fallback.replaceAll(index, batches);
    if (this.primaryUp) {
      try {
        return await this.primary.replaceAll(index, batches);
      } catch (error) {
        this.noteFailure(error);
        throw error;
      }
    }
    throw new SearchPrimaryUnavailableError(
      `${this.primary.name} 不可用, 仅重建了 ${this.fallback.name} 的索引 ${index} (${written} 条); 恢复后将比对并重建`,
      { lastError: this.lastError },
    );
  }

  /** The document count of the engine that serves the index's searches now. */
  count(index: string): Promise<number> {
    return this.serves(index) ? this.primary.count(index) : this.fallback.count(index);
  }

  async search(index: string, query: SearchQuery): Promise<SearchResult> {
    if (this.serves(index)) {
      try {
        return await this.primary.search(index, query);
      } catch (error) {
        if (isSearchUsageError(error)) throw error;
        // Not the caller's error: answer from the fallback; only an outage marks the primary down.
        this.noteFailure(error);
      }
    }
    return this.fallback.search(index, query);
  }

  /** Both engines; a failed primary is marked down. Healthy overall while the fallback is. */
  async health(): Promise<EngineHealth> {
    const [primary, fallback] = await Promise.all([safeHealth(this.primary), safeHealth(this.fallback)]);
    if (!primary.ok && this.primaryUp) this.markDown(primary.detail ?? 'health check failed');
    else if (primary.ok && !this.allServed()) void this.probe(); // catch up without waiting for the timer
    const parts = [
      `${this.primary.name}: ${primary.ok ? 'ok' : `down (${primary.detail ?? 'unhealthy'})`}`,
      `${this.fallback.name}: ${fallback.ok ? 'ok' : `down (${fallback.detail ?? 'unhealthy'})`}`,
    ];
    const status = this.status();
    if (status.fallbackActive)
      parts.push(`searches of ${status.fallbackIndexes?.join(', ')} served by ${this.fallback.name}`);
    return { ok: fallback.ok && (this.primaryUp ? primary.ok : true), detail: parts.join('; ') };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopProbing();
    await this.probing?.catch(() => undefined);
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }

  /** Runs one probe now (also what the timer does); resolves when it is done. */
  probe(): Promise<void> {
    if (this.closed || this.allServed()) return Promise.resolve();
    this.probing ??= this.runProbe().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  private serves(index: string): boolean {
    return this.primaryUp && this.serving.has(index);
  }

  private allServed(): boolean {
    return this.primaryUp && [...this.definitions.keys()].every((name) => this.serving.has(name));
  }

  private async write(what: string, op: (engine: SearchEngine) => Promise<void>): Promise<void> {
    const primaryWasUp = this.primaryUp;
    const [fallback, primary] = await Promise.allSettled([
      op(this.fallback),
      primaryWasUp ? op(this.primary) : Promise.resolve(),
    ]);
    if (primary.status === 'rejected' && !isSearchUsageError(primary.reason))
      this.noteFailure(primary.reason);
    if (fallback.status === 'rejected') {
      if (primary.status === 'rejected') {
        this.logger.error(`${what}: ${this.primary.name} 写入也失败: ${errorMessage(primary.reason)}`);
      }
      throw fallback.reason;
    }
    if (primary.status === 'rejected') throw primary.reason;
    if (!primaryWasUp) {
      throw new SearchPrimaryUnavailableError(
        `${this.primary.name} 不可用, 仅写入了 ${this.fallback.name} (${what}); 稍后重试`,
        { lastError: this.lastError },
      );
    }
  }

  /** An outage marks the primary down; anything else is only remembered for the health detail. */
  private noteFailure(error: unknown): void {
    if (isOutage(error)) this.markDown(error);
    else this.lastError = errorMessage(error);
  }

  private markDown(error: unknown): void {
    this.lastError = errorMessage(error);
    if (!this.primaryUp) return;
    this.primaryUp = false;
    this.serving.clear();
    this.downSince = new Date();
    this.logger.warn(`${this.primary.name} 不可用, 改用 ${this.fallback.name} 检索: ${this.lastError}`);
    this.startProbing();
  }

  private startProbing(): void {
    if (this.closed || this.probeTimer) return;
    this.probeTimer = setInterval(() => void this.probe(), this.options.healthCheckIntervalMs);
    this.probeTimer.unref?.();
  }

  private stopProbing(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }

  private async runProbe(): Promise<void> {
    if (!this.primaryUp) {
      const health = await safeHealth(this.primary);
      if (!health.ok) {
        this.lastError = health.detail ?? 'health check failed';
        return;
      }
      if (this.closed) return;
      this.primaryUp = true;
      this.upSince = new Date();
      this.logger.log(`${this.primary.name} 已恢复, 同步积压后切回检索`);
    }
    for (const definition of this.definitions.values()) {
      if (this.closed || !this.primaryUp) return;
      if (!this.serving.has(definition.name)) await this.catchUp(definition);
    }
    if (this.allServed()) {
      this.stopProbing();
      this.downSince = undefined;
      this.lastError = undefined;
    }
  }

  /** Takes one index back on the primary once it is current (see the class comment). */
  private async catchUp(definition: IndexDefinition): Promise<void> {
    const index = definition.name;
    try {
      await this.primary.ensureIndex(definition);
      const backlog = (await this.recovery?.backlog(index, this.upSince)) ?? 0;
      if (backlog > 0) {
        this.lastError = `索引 ${index} 还有 ${backlog} 条待同步的变更`;
        return;
      }
      const [primaryCount, fallbackCount] = await Promise.all([
        this.primary.count(index),
        this.fallback.count(index),
      ]);
      if (primaryCount !== fallbackCount) {
        if (!this.recovery) {
          this.lastError = `索引 ${index} 文档数不一致 (${this.primary.name} ${primaryCount}, ${this.fallback.name} ${fallbackCount}), 无法重建`;
          return;
        }
        this.logger.warn(
          `索引 ${index} 文档数不一致 (${this.primary.name} ${primaryCount}, ${this.fallback.name} ${fallbackCount}), 从 PostgreSQL 重建`,
        );
        await this.recovery.rebuild(index, this.primary);
      }
      if (!this.primaryUp || this.closed) return;
      this.serving.add(index);
      this.logger.log(`索引 ${index} 的检索由 ${this.primary.name} 提供`);
    } catch (error) {
      this.noteFailure(error);
    }
  }
}

async function safeHealth(engine: SearchEngine): Promise<EngineHealth> {
  try {
    return await engine.health();
  } catch (error) {
    return { ok: false, detail: errorMessage(error) };
  }
}
