import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue, RETRY } from '../queue';
import { SEARCH_ENGINE, SearchEngine } from '../search/search-engine';
import { SearchIndexRegistry } from '../search/search-index.registry';
import { OutboxRepository, PendingChange } from './outbox.repository';

const MAX_RETRY_DELAY_MS = 60_000;
const RELAY_SCHEDULE_KEY = 'outbox-relay';

export interface RelayReport {
  relayed: number;
  failed: number;
}

/** Backoff for rows whose relay failed: 1 s, 2 s, 4 s … capped at a minute, forever. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** Math.min(attempts, 16));
}

/**
 * Pushes outbox rows to the search engine, at least once: a row is marked done only after the engine
 * confirmed the write (the adapters wait for the engine's task). Documents are re-read from
 * PostgreSQL, so rows can be replayed in any order; a document that no longer exists is deleted.
 * While an engine is down, rows stay pending and are retried with backoff until it returns.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboxRelayService.name);

  constructor(
    private readonly repository: OutboxRepository,
    private readonly registry: SearchIndexRegistry,
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Both the API and the worker may run this; the key makes it one schedule.
    await this.jobs.schedule(
      JobName.OutboxRelay,
      {},
      { key: RELAY_SCHEDULE_KEY, everyMs: this.config.outbox.pollIntervalMs, retry: RETRY.none },
    );
  }

  @JobHandler(JobName.OutboxRelay)
  async handle(_payload: JobPayloads[JobName.OutboxRelay], _context: JobContext): Promise<void> {
    // Drain what is due; rows that fail wait for their backoff and the next run.
    for (;;) {
      const report = await this.relayBatch();
      if (report.relayed + report.failed < this.config.outbox.batchSize || report.failed > 0) return;
    }
  }

  /** Relays one batch of due rows. */
  async relayBatch(): Promise<RelayReport> {
    const { result } = await this.repository.withDueBatch(
      this.config.outbox.batchSize,
      async (rows, manager) => {
        const report: RelayReport = { relayed: 0, failed: 0 };
        for (const [indexName, changes] of groupByIndex(rows)) {
          const ids = changes.map((c) => c.id);
          try {
            await this.push(indexName, [...new Set(changes.map((c) => c.documentId))]);
            await this.repository.markProcessed(manager, ids);
            report.relayed += ids.length;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const attempts = Math.max(...changes.map((c) => c.attempts)) + 1;
            await this.repository.markFailed(manager, ids, message, retryDelayMs(attempts));
            report.failed += ids.length;
            this.logger.warn(
              { indexName, rows: ids.length, attempts, err: message },
              '搜索同步失败，稍后重试',
            );
          }
        }
        return report;
      },
    );
    return result ?? { relayed: 0, failed: 0 };
  }

  /**
   * Upserts what exists and deletes what is gone, both whatever happens to the other: during an outage
   * the fallback engine must still lose the deleted documents even though the upsert threw. The first
   * failure is rethrown, so the rows stay pending until every engine has both.
   */
  private async push(indexName: string, documentIds: string[]): Promise<void> {
    const documents = await this.registry.source(indexName).load(documentIds);
    const present = new Set(documents.map((d) => d.id));
    const gone = documentIds.filter((id) => !present.has(id));
    const outcomes = await Promise.allSettled([
      documents.length ? this.engine.upsert(indexName, documents) : Promise.resolve(),
      gone.length ? this.engine.delete(indexName, gone) : Promise.resolve(),
    ]);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

function groupByIndex(rows: PendingChange[]): Map<string, PendingChange[]> {
  const groups = new Map<string, PendingChange[]>();
  for (const row of rows) groups.set(row.indexName, [...(groups.get(row.indexName) ?? []), row]);
  return groups;
}
