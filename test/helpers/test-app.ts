import { Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, startConsumersIfInProcess } from '../../src/bootstrap';
import { AppConfig } from '../../src/config';
import { createTestDatabase, TestDatabase } from './test-database';
import { testConfig } from './test-env';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The whole application as `npm start` builds it, on a fresh database; supertest talks to
 * `app.getHttpServer()`. Redis/Meilisearch follow the environment (REDIS_URL, MEILI_URL), like production.
 */
export async function createTestApp(
  options: {
    overrides?: Record<string, unknown>;
    extraModules?: Type[];
    /** Runs on the fresh database before the app starts (e.g. a table a probe module needs). */
    beforeStart?: (dataSource: DataSource) => Promise<unknown>;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  await options.beforeStart?.(db.dataSource);
  const config = testConfig({
    ...options.overrides,
    database: { ...(options.overrides?.database as object), url: db.url, migrationsRun: true },
    // Each test file gets its own key space on a shared Redis.
    redis: { prefix: `bangfu-test-${db.name}` },
  });
  const app = await createHttpApp(config, options.extraModules);
  await startConsumersIfInProcess(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
