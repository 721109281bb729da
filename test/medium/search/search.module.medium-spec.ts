/**
 * SearchModule wiring: a feature module registers its index source in onModuleInit, the index is
 * reconciled on bootstrap, SEARCH_ENGINE serves it, late registrations are refused, and the engine
 * is closed on shutdown.
 */
import { INestApplicationContext, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '../../../src/config';
import { DatabaseModule } from '../../../src/database/database.module';
import { SearchIndexRegistry, SearchIndexSource } from '../../../src/infra/search/search-index.registry';
import { F, IndexDefinition, SEARCH_ENGINE, SearchEngine } from '../../../src/infra/search/search-engine';
import { SearchModule, searchStatus } from '../../../src/infra/search/search.module';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

const definition: IndexDefinition = {
  name: 'module_offers',
  searchableFields: ['title'],
  filterableFields: { status: 'string' },
};

@Injectable()
class OfferSearchSource implements SearchIndexSource, OnModuleInit {
  readonly definition = definition;

  constructor(private readonly registry: SearchIndexRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async load(ids: string[]) {
    return ids.map((id) => ({ id, title: `电工培训 ${id}`, status: 'published' }));
  }

  async *allIds(batchSize: number) {
    yield ['a', 'b'].slice(0, batchSize);
  }
}

@Module({ providers: [OfferSearchSource] })
class OffersFeatureModule {}

describe('SearchModule', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig({ database: { url: db.url } });
    @Module({
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), SearchModule, OffersFeatureModule],
    })
    class TestModule {}
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('reconciles registered indexes at bootstrap, so the engine can serve them at once', async () => {
    const engine = app.get<SearchEngine>(SEARCH_ENGINE);
    const registry = app.get(SearchIndexRegistry);
    const source = registry.source('module_offers');
    await engine.upsert('module_offers', await source.load(['a', 'b']));
    const result = await engine.search('module_offers', { q: '电工', filter: F.eq('status', 'published') });
    expect(result.hits.map((h) => h.id).sort()).toEqual(['a', 'b']);
  });

  it('uses PostgreSQL alone without a Meilisearch URL, Meilisearch with PostgreSQL behind it with one', () => {
    const status = searchStatus(app.get<SearchEngine>(SEARCH_ENGINE));
    if (testConfig().search.meili.url) expect(status.primary).not.toBe('none');
    else expect(status).toEqual({ primary: 'none', active: 'postgres', fallbackActive: false });
  });

  it('refuses registrations after bootstrap', () => {
    expect(() => app.get(SearchIndexRegistry).registerDefinition({ ...definition, name: 'late' })).toThrow(
      /onModuleInit/,
    );
  });
});
