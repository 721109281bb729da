import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { FallbackSearchEngine } from '../search/fallback.engine';
import { SEARCH_ENGINE, SearchDocument, SearchEngine } from '../search/search-engine';
import { SearchIndexRegistry, SearchIndexSource } from '../search/search-index.registry';
import { OutboxRepository } from './outbox.repository';

const REINDEX_BATCH = 1_000;

export interface ReindexReport {
  index: string;
  documents: number;
  ms: number;
}

/**
 * Rebuilds a search index from PostgreSQL (the source of truth), into a fresh copy that is swapped in
 * only when complete (SearchEngine.replaceAll): searches keep the old index meanwhile, and a rebuild
 * that fails (e.g. during an outage) changes nothing. Also tells the fallback engine how to check the
 * outbox backlog and rebuild a primary that came back with missing documents.
 */
@Injectable()
export class ReindexService implements OnModuleInit {
  private readonly logger = new Logger(ReindexService.name);

  constructor(
    private readonly registry: SearchIndexRegistry,
    private readonly outbox: OutboxRepository,
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
  ) {}

  onModuleInit(): void {
    if (this.engine instanceof FallbackSearchEngine) {
      this.engine.setRecovery({
        backlog: (index, before) => this.outbox.pendingCreatedBefore(index, before),
        rebuild: async (index, target) => {
          // An index without a source cannot be rebuilt: it stays on the fallback (logged there).
          if (!this.registry.sources().some((s) => s.definition.name === index)) {
            throw new Error(`搜索索引 ${index} 没有注册数据源, 无法重建`);
          }
          await this.rebuild(index, target);
        },
      });
    }
  }

  indexNames(): string[] {
    return this.registry.sources().map((s) => s.definition.name);
  }

  /**
   * Reconciles the settings, builds a fresh copy from every row and swaps it in; then re-sends the
   * documents changed since the rebuild started (their outbox rows may have been relayed to the old
   * copy meanwhile), re-read from PostgreSQL, so no concurrent change is lost by the swap.
   */
  async rebuild(indexName: string, target: SearchEngine = this.engine): Promise<ReindexReport> {
    const started = Date.now();
    const since = new Date(started - 1_000); // rows recorded just before: their transactions may still commit
    const source = this.registry.source(indexName);
    await target.ensureIndex(source.definition);
    const documents = await target.replaceAll(indexName, () => batches(source));
    const changed = await this.outbox.documentIdsChangedSince(indexName, since);
    for (let i = 0; i < changed.length; i += REINDEX_BATCH) {
      const ids = changed.slice(i, i + REINDEX_BATCH);
      const loaded = await source.load(ids);
      const present = new Set(loaded.map((d) => d.id));
      if (loaded.length) await target.upsert(indexName, loaded);
      const gone = ids.filter((id) => !present.has(id));
      if (gone.length) await target.delete(indexName, gone);
    }
    const report = { index: indexName, documents, ms: Date.now() - started };
    this.logger.log(report, `索引 ${indexName} 已重建 (${target.name})`);
    return report;
  }
}

async function* batches(source: SearchIndexSource): AsyncIterable<SearchDocument[]> {
  for await (const ids of source.allIds(REINDEX_BATCH)) {
    const batch = await source.load(ids);
    if (batch.length) yield batch;
  }
}
