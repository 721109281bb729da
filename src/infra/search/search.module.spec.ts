import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config';
import { FallbackSearchEngine } from './fallback.engine';
import { PostgresSearchEngine } from './postgres/postgres-search.engine';
import { createSearchEngine, searchStatus } from './search.module';

/** Nothing is contacted while engines are built; the DataSource is only used by later calls. */
const dataSource = {} as DataSource;

function config(meiliUrl?: string) {
  return loadConfig({ env: { NODE_ENV: 'test' }, overrides: { search: { meili: { url: meiliUrl } } } });
}

describe('createSearchEngine', () => {
  it('is PostgreSQL full-text search alone without a Meilisearch URL', () => {
    const engine = createSearchEngine(config(), dataSource);
    expect(engine).toBeInstanceOf(PostgresSearchEngine);
    expect(searchStatus(engine)).toEqual({ primary: 'none', active: 'postgres', fallbackActive: false });
  });

  it('is Meilisearch with PostgreSQL as fallback with a Meilisearch URL', async () => {
    const engine = createSearchEngine(config('http://meilisearch:7700'), dataSource);
    expect(engine).toBeInstanceOf(FallbackSearchEngine);
    expect(engine.name).toBe('meilisearch');
    expect(searchStatus(engine)).toEqual({ primary: 'up', active: 'meilisearch', fallbackActive: false });
    await engine.close();
  });
});
