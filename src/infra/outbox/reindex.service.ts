import { Inject, Injectable, Logger } from '@nestjs/common';
import { SEARCH_ENGINE, SearchEngine } from '../search/search-engine';
import { SearchIndexRegistry } from '../search/search-index.registry';

const REINDEX_BATCH = 1_000;

export interface ReindexReport {
  index: string;
  documents: number;
  ms: number;
}

/** Rebuilds a search index from PostgreSQL (the source of truth). */
@Injectable()
export class ReindexService {
  private readonly logger = new Logger(ReindexService.name);

  constructor(
    private readonly registry: SearchIndexRegistry,
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
  ) {}

  indexNames(): string[] {
    return this.registry.sources().map((s) => s.definition.name);
  }

  /**
   * Reconciles the settings, empties the index and writes every document again. Searches during the
   * rebuild see a partial index; the outbox keeps relaying concurrent changes, which are re-read from
   * PostgreSQL, so nothing is lost either way.
   */
  async rebuild(indexName: string): Promise<ReindexReport> {
    const started = Date.now();
    const source = this.registry.source(indexName);
    await this.engine.ensureIndex(source.definition);
    await this.engine.clear(indexName);
    let documents = 0;
    for await (const ids of source.allIds(REINDEX_BATCH)) {
      const batch = await source.load(ids);
      if (batch.length) await this.engine.upsert(indexName, batch);
      documents += batch.length;
    }
    const report = { index: indexName, documents, ms: Date.now() - started };
    this.logger.log(report, `索引 ${indexName} 已重建`);
    return report;
  }
}
