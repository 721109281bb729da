import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { DatabaseServer } from '../../src/database/database-server';
import { runMigrations } from '../../src/database/migrate';
import { TEST_DB_PREFIX, TEST_SERVER_URL_VAR, TEST_TEMPLATE_DB, testConfig, withDatabase } from './test-env';

/**
 * Once per jest run: start (or reach) PostgreSQL, build a migrated template database, and hand its
 * address to the workers. Each medium/e2e file clones the template (createTestDatabase), which takes
 * a fraction of a second however many migrations there are.
 */
export default async function globalSetup(): Promise<void> {
  const config = testConfig();
  const server = await DatabaseServer.start(config.database);
  (globalThis as { __bangfuDbServer?: DatabaseServer }).__bangfuDbServer = server;
  const adminUrl = server.url;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`${TEST_DB_PREFIX}%`, TEST_TEMPLATE_DB],
    );
    for (const { datname } of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEST_TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }

  const template = new DataSource(dataSourceOptions(withDatabase(adminUrl, TEST_TEMPLATE_DB), 2));
  await template.initialize();
  try {
    await runMigrations(template, config.crypto);
  } finally {
    await template.destroy();
  }
  process.env[TEST_SERVER_URL_VAR] = adminUrl;
}
