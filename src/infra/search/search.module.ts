import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config';
import { FallbackSearchEngine, SearchEngineStatus } from './fallback.engine';
import { MeilisearchEngine } from './meilisearch/meilisearch.engine';
import { PostgresSearchEngine } from './postgres/postgres-search.engine';
import { SearchIndexRegistry } from './search-index.registry';
import { SEARCH_ENGINE, SearchEngine } from './search-engine';
import { SearchListService } from './search-list';

/**
 * `search.meili.url` unset → PostgreSQL full-text search alone; set → Meilisearch with PostgreSQL
 * as the fallback while it is unhealthy.
 */
export function createSearchEngine(config: AppConfig, dataSource: DataSource): SearchEngine {
  const postgres = new PostgresSearchEngine(dataSource);
  if (!config.search.meili.url) return postgres;
  return new FallbackSearchEngine(MeilisearchEngine.fromConfig(config.search.meili), postgres, {
    healthCheckIntervalMs: config.search.healthCheckIntervalMs,
  });
}

/** The engine's state for the health endpoint, whichever engine is configured. */
export function searchStatus(engine: SearchEngine): SearchEngineStatus {
  if (engine instanceof FallbackSearchEngine) return engine.status();
  return { primary: 'none', active: engine.name, fallbackActive: false };
}

/** Reconciles every registered index with the engine at start; closes the engine at shutdown. */
@Injectable()
export class SearchLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Search');

  constructor(
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
    private readonly registry: SearchIndexRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.registry.seal();
    const definitions = this.registry.definitions();
    for (const definition of definitions) await this.engine.ensureIndex(definition);
    if (definitions.length > 0) {
      const status = searchStatus(this.engine);
      this.logger.log(
        `搜索索引已就绪: ${definitions.map((d) => d.name).join(', ')} (${status.active}` +
          `${status.fallbackActive ? `, ${status.primary} primary down` : ''})`,
      );
    }
  }

  /** Before, not on, shutdown: the PostgreSQL engine needs the DataSource closed on shutdown. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.close();
  }
}

/**
 * Search, for every feature module (global):
 * - inject `SEARCH_ENGINE` (`@Inject(SEARCH_ENGINE) engine: SearchEngine`) to search and write;
 * - inject `SearchIndexRegistry` and, in `onModuleInit`, `register(source)` (or
 *   `registerDefinition(definition)`) — definitions are reconciled with the engine on bootstrap;
 * - inject `SearchListService` for a staff list answered by the engine and re-read from PostgreSQL.
 * Needs AppConfig (ConfigModule) and the TypeORM DataSource (DatabaseModule).
 */
@Global()
@Module({
  providers: [
    SearchIndexRegistry,
    {
      provide: SEARCH_ENGINE,
      inject: [AppConfig, DataSource],
      useFactory: createSearchEngine,
    },
    SearchLifecycle,
    SearchListService,
  ],
  exports: [SEARCH_ENGINE, SearchIndexRegistry, SearchListService],
})
export class SearchModule {
  /** Same as importing SearchModule itself; for symmetry with DatabaseModule.forRoot(). */
  static forRoot(): DynamicModule {
    return { module: SearchModule };
  }
}
