import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifyMultipart from '@fastify/multipart';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { requestContext } from './common/context/request-context';
import { HttpExceptionFilter } from './common/errors';
import { applyBodyDepthLimit } from './common/http/body-depth';
import { applyHttpHardening } from './common/http/http-hardening';
import { createValidationPipe } from './common/http/validation.pipe';
import { createRootLogger, PinoNestLogger } from './common/logging/logger';
import { OneLinePerRequest } from './common/logging/request-log';
import { AppConfig } from './config';
import { JobWorkerService } from './infra/queue/job-worker.service';
import { buildOpenApiDocument } from './openapi-document';
import { QUEUE_DRIVER, QueueDriver } from './infra/queue/queue.port';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Builds the HTTP application exactly as it runs in production; tests use the same function. */
export async function createHttpApp(
  config: AppConfig,
  extraModules: Type[] = [],
): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config.log);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.http.bodyLimit,
    ...(config.http.trustProxy ? { trustProxy: config.http.trustProxy } : {}),
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    // Honour a well-formed X-Request-Id from a proxy so one id follows the request; otherwise mint one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, extraModules),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
    },
  );
  configureHttpApp(app, config);
  return app;
}

export function configureHttpApp(app: NestFastifyApplication, config: AppConfig): void {
  app.setGlobalPrefix(config.http.apiPrefix, { exclude: ['health', 'health/live', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  applyHttpHardening(app, config);
  applyBodyDepthLimit(app, config.http.maxBodyDepth);
  // Multipart bodies (evidence uploads) are streamed by the endpoints that read them, which set tighter
  // per-request limits; these are the ceiling for any such endpoint.
  void app.register(fastifyMultipart, {
    limits: {
      fileSize: config.storage.maxFileBytes,
      files: 1,
      fields: 10,
      fieldSize: 1024,
      parts: 11,
      headerPairs: 100,
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Everything below this hook (guards, services, the audit log) sees the request's id, IP and principal.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const userAgent = request.headers['user-agent'];
    requestContext.run(
      {
        requestId: String(request.id),
        ip: request.ip ?? null,
        userAgent: userAgent ? userAgent.slice(0, 256) : null,
      },
      done,
    );
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });

  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
}

/** Builds the job-consumer process (no HTTP). */
export async function createWorkerApp(config: AppConfig) {
  const logger: Logger = createRootLogger(config.log);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  return app;
}

const SHUTDOWN_GRACE_MS = 30_000;

/**
 * SIGINT/SIGTERM: close the application (HTTP server, job consumers, database pool, then the embedded
 * PostgreSQL) and exit 0; exit 1 if that takes longer than the grace period or fails.
 */
export function exitOnSignals(app: { close(): Promise<void> }, logger: { info(msg: string): void }): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info(`收到 ${signal}，正在停止服务`);
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Whether the HTTP process also consumes jobs (the embedded single-process default). */
export function runsWorkersInProcess(config: AppConfig, driver: QueueDriver): boolean {
  if (config.worker.inProcess === 'always') return true;
  if (config.worker.inProcess === 'never') return false;
  return driver.name === 'in-process';
}

export async function startConsumersIfInProcess(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<boolean> {
  const driver = app.get<QueueDriver>(QUEUE_DRIVER);
  if (!runsWorkersInProcess(config, driver)) return false;
  await app.get(JobWorkerService).startConsumers();
  return true;
}
