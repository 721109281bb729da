import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { AppConfig } from '../../config';
import {
  discoverJobHandlers,
  FoundJobHandler,
  JOB_CATALOG,
  JobCatalog,
  resolveJobHandlers,
} from './job-handler';
import { JobContext, PermanentJobError, QUEUE_DRIVER, QueueDriver } from './queue.port';
import { QUEUE_MAX_CONCURRENCY } from './jobs';

/**
 * Finds the `@JobHandler` methods when the module initialises (so a missing or doubled handler stops
 * every entry point, not only the worker), and consumes the queues once asked to: worker.ts always,
 * main.ts only when it runs the jobs in-process.
 */
@Injectable()
export class JobWorkerService implements OnModuleInit {
  private readonly logger = new Logger('JobWorker');
  private handlers = new Map<string, FoundJobHandler>();
  private started = false;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(QUEUE_DRIVER) private readonly driver: QueueDriver,
    @Inject(JOB_CATALOG) private readonly catalog: JobCatalog,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.handlers = resolveJobHandlers(this.catalog, discoverJobHandlers(this.discovery, this.scanner));
  }

  get consuming(): boolean {
    return this.started;
  }

  /** Subscribes every queue that has jobs. Calling it again does nothing. */
  async startConsumers(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const queues = [...new Set(Object.values(this.catalog))];
    const concurrency = this.config.worker.concurrency;
    for (const queue of queues) {
      await this.driver.consume(
        queue,
        (payload, context) => this.dispatch(queue, payload, context),
        Math.min(concurrency, QUEUE_MAX_CONCURRENCY[queue] ?? concurrency),
      );
    }
    this.logger.log(
      `开始处理任务队列 (consuming) ${queues.join(', ')}，并发 ${concurrency}，驱动 ${this.driver.name}`,
    );
  }

  /** Every job name that has a handler, sorted. */
  jobNames(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /**
   * Runs one job's handler once, now, in this process, outside any queue (operators: `npm run
   * jobs:run`). Handlers are idempotent and find their work themselves, so this is the scheduled run
   * brought forward; it does not touch the schedule.
   */
  async runNow(name: string, payload: unknown = {}): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`没有名为 ${name} 的任务 (unknown job name)`);
    await handler.invoke(payload, { id: `manual-${randomUUID()}`, name, attempt: 1 });
  }

  private async dispatch(queue: string, payload: unknown, context: JobContext): Promise<void> {
    const handler = this.catalog[context.name] === queue ? this.handlers.get(context.name) : undefined;
    if (!handler) {
      // Retrying cannot make a handler appear: fail for good, and the driver logs it as an error.
      throw new PermanentJobError(`队列 ${queue} 中的任务 ${context.name} 没有处理器 (unknown job name)`);
    }
    return handler.invoke(payload, context);
  }
}
