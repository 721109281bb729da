import 'reflect-metadata';
import { createHttpApp, exitOnSignals, startConsumersIfInProcess } from './bootstrap';
import { ConfigError, loadConfig } from './config';

/** HTTP API. With the in-process queue (no REDIS_URL) it also runs the job consumers. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(config);
  const log = app.getHttpAdapter().getInstance().log;
  exitOnSignals(app, log);
  const withWorkers = await startConsumersIfInProcess(app, config);
  await app.listen({ port: config.http.port, host: config.http.host });
  app
    .getHttpAdapter()
    .getInstance()
    .log.info(
      { url: await app.getUrl(), workers: withWorkers ? 'in-process' : 'separate' },
      `帮扶服务已启动 ${await app.getUrl()} (API 文档 /api/docs)`,
    );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
