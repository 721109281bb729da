import { Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, startConsumersIfInProcess } from '../../src/bootstrap';
import { buildOpenApiDocument } from '../../src/openapi-document';
import { Clock } from '../../src/common/clock/clock';
import { AppConfig } from '../../src/config';
import type { OpenApiDocument } from './openapi/document-lint';
import { ResponseValidator } from './openapi/response-validator';
import { createTestDatabase, TestDatabase } from './test-database';
import { testConfig } from './test-env';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  db: TestDatabase;
  /** Responses of documented routes checked against the OpenAPI document, and what did not match. */
  openApi: { validated: number; mismatches: string[] };
  /** Closes the app and drops its database; then fails if any response did not match the document. */
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
    /** Runs on the fresh database, as its owner, before the app starts (e.g. a table a probe module needs). */
    beforeStart?: (dataSource: DataSource) => Promise<unknown>;
    /**
     * The app's time source (e.g. a FakeClock): the app's one Clock instance reads its time from it, so
     * lockouts, idle timeouts and expiries can be tested by moving this clock.
     */
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  await options.beforeStart?.(db.owner);
  const config = testConfig({
    ...options.overrides,
    database: { ...(options.overrides?.database as object), url: db.url, migrationsRun: true },
    // Each test file gets its own key space on a shared Redis.
    redis: { prefix: `bangfu-test-${db.name}` },
    // The test app is API and worker in one, whichever queue driver is configured.
    worker: { inProcess: 'always', concurrency: 2 },
  });
  const app = await createHttpApp(config, options.extraModules);
  const openApi = checkResponsesAgainstDocument(app);
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
    openApi,
    async close() {
      await app.close();
      await db.drop();
      if (openApi.mismatches.length)
        throw new Error(
          `${openApi.mismatches.length} 个响应与 OpenAPI 文档不符 (responses that do not match /api/docs/openapi.json; ` +
            `fix the route's decorators/@ApiErrors or the response):\n${openApi.mismatches.join('\n')}`,
        );
    },
  };
}

/**
 * Every response of a route the OpenAPI document lists is checked against it (status documented, content
 * type, body valid against the schema with no undocumented fields), so the document the web clients are
 * generated from cannot drift from what the API sends. Mismatches fail the test file at close().
 */
function checkResponsesAgainstDocument(app: NestFastifyApplication): TestApp['openApi'] {
  const validator = new ResponseValidator(buildOpenApiDocument(app) as unknown as OpenApiDocument);
  const result = { validated: 0, mismatches: [] as string[] };
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply, payload) => {
      const route = request.routeOptions.url;
      if (!route || !validator.operationPath(request.method, route)) return payload;
      const contentType = reply.getHeader('content-type');
      const mismatch = validator.check({
        method: request.method,
        route,
        status: reply.statusCode,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        body:
          typeof payload === 'string'
            ? payload
            : Buffer.isBuffer(payload)
              ? payload.toString('utf8')
              : undefined,
      });
      result.validated++;
      if (mismatch) result.mismatches.push(mismatch);
      return payload;
    });
  return result;
}
