/** `npm run jobs:run -- <job name>`: run one scheduled job once, now, audited as the system. */
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { createWorkerApp } from './bootstrap';
import { ConfigError, loadConfig } from './config';
import { JobWorkerService } from './infra/queue/job-worker.service';
import { runJobOnce, UnknownJobError } from './job-runner';

async function main(name: string | undefined): Promise<number> {
  const config = loadConfig();
  const app = await createWorkerApp(config);
  try {
    if (!name || name.startsWith('-')) {
      console.error(
        `用法: npm run jobs:run -- <任务名>；可运行的任务:\n  ${app.get(JobWorkerService).jobNames().join('\n  ')}`,
      );
      return 2;
    }
    const report = await runJobOnce(app, name, operatorName());
    console.log(`任务 ${report.job} 已运行 (${report.durationMs} ms)`);
    return 0;
  } catch (error) {
    if (error instanceof UnknownJobError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await app.close();
  }
}

/** The operating-system account that started the run, for the audit row (never a secret). */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
