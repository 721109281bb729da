import { Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, startConsumersIfInProcess } from '../../src/bootstrap';
import { Clock } from '../../src/common/clock/clock';
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
    /**
     * The app's time source (e.g. a FakeClock): the app's one Clock instance reads its time from it, so
     * lockouts, idle timeouts and expiries can be tested by moving this clock.
     */
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  await options.beforeStart?.(db.dataSource);
  const config = testConfig({
    ...options.overrides,
    database: { ...(options.overrides?.database as object), url: db.url, migrationsRun: true },
    // Each test file gets its own key space on a shared Redis.
    redis: { prefix: `bangfu-test-${db.name}` },
    // The test app is API and worker in one, whichever queue driver is configured.
    worker: { inProcess: 'always', concurrency: 2 },
  });
  const app = await createHttpApp(config, options.extraModules);
  if (options.clock) {
    const source = options.clock;
    // Providers hold the single Clock instance; redirecting it is simpler than a module override, which
    // NestFactory does not offer.
    app.get(Clock).now = () => source.now();
  }
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
