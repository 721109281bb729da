/**
 * Meilisearch with PostgreSQL behind it.
 * - Searches go to the primary while it is up. An error from it (other than a usage error, which
 *   no engine would accept) or a failed health check marks it down; from then on searches are
 *   served by the fallback, and the primary's health is probed every `healthCheckIntervalMs`.
 *   When a probe succeeds, every known index definition is reconciled on the primary again (it
 *   may have restarted empty) before it takes searches back.
 * - Writes go to both. The fallback is always written, so it is current whenever it has to serve.
 *   A primary failure (or the primary being down) makes the write throw after the fallback was
 *   written: the caller (the outbox relay) retries until the primary has it too.
 */
import { Logger } from '@nestjs/common';
import {
  errorMessage,
  isSearchUsageError,
  SearchPrimaryUnavailableError,
  SearchTaskFailedError,
} from './search-errors';
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
  /** The engine that answers searches now. */
  active: SearchEngineName;
  /** True while searches are served by the fallback because the primary is down. */
  fallbackActive: boolean;
  detail?: string;
  /** ISO time the primary was marked down. */
  downSince?: string;
}

export interface FallbackSearchEngineOptions {
  healthCheckIntervalMs: number;
  logger?: Pick<Logger, 'warn' | 'log' | 'error'>;
}

export class FallbackSearchEngine implements SearchEngine {
  readonly name: SearchEngineName;
  private readonly definitions = new Map<string, IndexDefinition>();
  private readonly logger: Pick<Logger, 'warn' | 'log' | 'error'>;
  private primaryUp = true;
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

  status(): SearchEngineStatus {
    if (this.primaryUp) return { primary: 'up', active: this.primary.name, fallbackActive: false };
    return {
      primary: 'down',
      active: this.fallback.name,
      fallbackActive: true,
      detail: this.lastError,
      downSince: this.downSince?.toISOString(),
    };
  }

  async ensureIndex(definition: IndexDefinition): Promise<void> {
    this.definitions.set(definition.name, definition);
    await this.fallback.ensureIndex(definition);
    if (!this.primaryUp) return; // reconciled by the probe that brings the primary back
    try {
      await this.primary.ensureIndex(definition);
    } catch (error) {
      if (isSearchUsageError(error)) throw error;
      this.markDown(error);
    }
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

  async search(index: string, query: SearchQuery): Promise<SearchResult> {
    if (this.primaryUp) {
      try {
        return await this.primary.search(index, query);
      } catch (error) {
        if (isSearchUsageError(error)) throw error;
        this.markDown(error);
      }
    }
    return this.fallback.search(index, query);
  }

  /** Both engines; a failed primary is marked down. Healthy overall while the fallback is. */
  async health(): Promise<EngineHealth> {
    const [primary, fallback] = await Promise.all([safeHealth(this.primary), safeHealth(this.fallback)]);
    if (!primary.ok && this.primaryUp) this.markDown(primary.detail ?? 'health check failed');
    else if (primary.ok && !this.primaryUp) void this.probe(); // recover without waiting for the timer
    const parts = [
      `${this.primary.name}: ${primary.ok ? 'ok' : `down (${primary.detail ?? 'unhealthy'})`}`,
      `${this.fallback.name}: ${fallback.ok ? 'ok' : `down (${fallback.detail ?? 'unhealthy'})`}`,
    ];
    if (!this.primaryUp) parts.push(`searches served by ${this.fallback.name}`);
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
    if (this.primaryUp || this.closed) return Promise.resolve();
    this.probing ??= this.runProbe().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  private async write(what: string, op: (engine: SearchEngine) => Promise<void>): Promise<void> {
    const primaryWasUp = this.primaryUp;
    const [fallback, primary] = await Promise.allSettled([
      op(this.fallback),
      primaryWasUp ? op(this.primary) : Promise.resolve(),
    ]);
    if (
      primary.status === 'rejected' &&
      !isSearchUsageError(primary.reason) &&
      !isTaskFailure(primary.reason)
    ) {
      this.markDown(primary.reason);
    }
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

  private markDown(error: unknown): void {
    this.lastError = errorMessage(error);
    if (!this.primaryUp) return;
    this.primaryUp = false;
    this.downSince = new Date();
    this.logger.warn(`${this.primary.name} 不可用, 改用 ${this.fallback.name} 检索: ${this.lastError}`);
    if (this.closed) return;
    this.probeTimer = setInterval(() => void this.probe(), this.options.healthCheckIntervalMs);
    this.probeTimer.unref?.();
  }

  private async runProbe(): Promise<void> {
    try {
      const health = await safeHealth(this.primary);
      if (!health.ok) {
        this.lastError = health.detail ?? 'health check failed';
        return;
      }
      for (const definition of this.definitions.values()) await this.primary.ensureIndex(definition);
      if (this.closed) return;
      this.primaryUp = true;
      this.downSince = undefined;
      this.lastError = undefined;
      this.stopProbing();
      this.logger.log(`${this.primary.name} 已恢复, 检索切回 ${this.primary.name}`);
    } catch (error) {
      this.lastError = errorMessage(error);
    }
  }

  private stopProbing(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }
}

async function safeHealth(engine: SearchEngine): Promise<EngineHealth> {
  try {
    return await engine.health();
  } catch (error) {
    return { ok: false, detail: errorMessage(error) };
  }
}

/** A task the primary ran and rejected (e.g. a bad document): the engine is up, the data is wrong. */
function isTaskFailure(error: unknown): boolean {
  return error instanceof SearchTaskFailedError;
}
