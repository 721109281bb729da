import { randomBytes } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { APP_ROLE } from '../../src/database/app-role';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { TEST_DB_PREFIX, TEST_TEMPLATE_DB, testServerUrl, withDatabase } from './test-env';

export interface TestDatabase {
  name: string;
  url: string;
  /**
   * An initialised DataSource on the fresh database (the schema is already migrated), working as the
   * application role like the app's own: it cannot change what the app may not.
   */
  dataSource: DataSource;
  /** The owner's DataSource, for what only a migration or an attacker with the owner's login does. */
  owner: DataSource;
  /** Closes the DataSource and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, fully migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${TEST_TEMPLATE_DB}"`);
  const url = withDatabase(serverUrl, name);
  const dataSource = new DataSource(dataSourceOptions(url, 5, APP_ROLE));
  const owner = new DataSource(dataSourceOptions(url, 2));
  await Promise.all([dataSource.initialize(), owner.initialize()]);
  return {
    name,
    url,
    dataSource,
    owner,
    async drop() {
      await Promise.all([dataSource, owner].map((ds) => (ds.isInitialized ? ds.destroy() : undefined)));
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/**
 * `Repository<Entity>` providers on `dataSource`, under @nestjs/typeorm's tokens, for a testing module
 * that lists repository classes itself instead of importing their feature module.
 */
export function repositoryProviders(
  dataSource: DataSource,
  entities: Array<EntityTarget<ObjectLiteral> & (new () => ObjectLiteral)>,
): Provider[] {
  return entities.map((entity) => ({
    provide: getRepositoryToken(entity),
    useValue: dataSource.getRepository(entity),
  }));
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
