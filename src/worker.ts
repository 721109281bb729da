import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createWorkerApp, exitOnSignals } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { JobWorkerService } from './infra/queue/job-worker.service';

/** Job consumers, for deployments with REDIS_URL where the API and workers run apart. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createWorkerApp(config);
  const logger = new Logger('Worker');
  exitOnSignals(app, { info: (msg) => logger.log(msg) });
  await app.get(JobWorkerService).startConsumers();
  logger.log('任务处理进程已启动');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
