import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { assertConcurrency, assertEnqueueOptions, assertRepeatOptions } from './queue-options';
import {
  DEFAULT_RETRY,
  EnqueueOptions,
  EnqueueResult,
  JobProcessor,
  PermanentJobError,
  QueueDriver,
  QueueHealth,
  QueueLogger,
  RepeatOptions,
  RetryPolicy,
} from './queue.port';

export interface BullMqDriverOptions {
  /** redis:// URL (config.redis.url). */
  url: string;
  /** Key prefix (config.redis.prefix), so several deployments can share one Redis. */
  prefix: string;
  /** IANA zone cron patterns are read in (config worker.timeZone); default: the server's zone. */
  timeZone?: string;
  logger?: QueueLogger;
}

/**
 * How long finished jobs are kept, for inspection only: deduplication does not depend on them (see
 * EnqueueOptions.jobId), so trimming never lets a duplicate through nor blocks a new job.
 */
const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const satisfies Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>;

const HEALTH_TIMEOUT_MS = 2000;

/**
 * BullMQ on Redis. One Queue per queue name (producers share one connection), one Worker per consumed
 * queue (each with its own blocking connection, as BullMQ requires). Repeatables are job schedulers.
 *
 * Deterministic ids use BullMQ deduplication rather than a custom job id: with a custom job id a
 * finished job kept for inspection would block new jobs with that id, and `add` cannot say whether it
 * dropped the job. Here each job gets a fresh id, the caller's id is the deduplication key (held until
 * the job completes or finally fails), and a returned id that is not ours means "duplicate".
 *
 * Redis going away is logged, never thrown: ioredis reconnects by itself, workers resume, enqueue and
 * health fail fast meanwhile.
 */
export class BullMqDriver implements QueueDriver {
  readonly name = 'bullmq';
  private readonly logger: QueueLogger;
  /** Producer/health connection; no offline queue, so a call while Redis is away fails instead of hanging. */
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private closing?: Promise<void>;

  constructor(private readonly options: BullMqDriverOptions) {
    this.logger = options.logger ?? new Logger('BullMQ');
    this.connection = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectionName: `${options.prefix}:producer`,
    });
    this.watch('Redis', this.connection);
  }

  async enqueue(
    queue: string,
    name: string,
    payload: unknown,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    this.assertOpen();
    assertEnqueueOptions(options);
    const id = randomUUID();
    const job = await this.queue(queue).add(name, payload ?? {}, {
      jobId: id,
      delay: options.delayMs,
      ...(options.jobId !== undefined && { deduplication: { id: options.jobId } }),
      ...retryOptions(options.retry ?? DEFAULT_RETRY),
      ...RETENTION,
    });
    return { id: job.id ?? id, duplicate: job.id !== id };
  }

  async schedule(queue: string, name: string, payload: unknown, options: RepeatOptions): Promise<void> {
    this.assertOpen();
    assertRepeatOptions(options);
    await this.queue(queue).upsertJobScheduler(
      options.key,
      options.cron !== undefined
        ? { pattern: options.cron, ...(this.options.timeZone !== undefined && { tz: this.options.timeZone }) }
        : { every: options.everyMs },
      { name, data: payload ?? {}, opts: { ...retryOptions(options.retry ?? DEFAULT_RETRY), ...RETENTION } },
    );
  }

  async unschedule(queue: string, key: string): Promise<void> {
    this.assertOpen();
    await this.queue(queue).removeJobScheduler(key);
  }

  async nextRun(queue: string, key: string): Promise<Date | null> {
    this.assertOpen();
    const scheduler = await this.queue(queue).getJobScheduler(key);
    return scheduler?.next !== undefined ? new Date(scheduler.next) : null;
  }

  async consume(queue: string, processor: JobProcessor, concurrency: number): Promise<void> {
    this.assertOpen();
    assertConcurrency(concurrency);
    if (this.workers.has(queue)) throw new Error(`队列 ${queue} 已在消费 (queue is already consumed)`);
    const worker = new Worker(
      queue,
      async (job: Job) => {
        try {
          await processor(job.data, { id: job.id ?? '', name: job.name, attempt: job.attemptsMade + 1 });
        } catch (error) {
          // BullMQ's own marker for "do not retry".
          if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
      {
        // BullMQ forces maxRetriesPerRequest: null on this blocking connection: commands wait for a
        // reconnect instead of failing the worker loop.
        connection: {
          url: this.options.url,
          maxRetriesPerRequest: null,
          connectionName: `${this.options.prefix}:worker:${queue}`,
        },
        prefix: this.options.prefix,
        concurrency,
      },
    );
    this.watch(`Worker ${queue}`, worker);
    worker.on('failed', (job, error) => {
      if (!job) return;
      const label = `任务 ${queue}/${job.name} (${job.id}) 第 ${job.attemptsMade} 次执行失败 (try failed): ${error.message}`;
      const givingUp = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (givingUp) this.logger.error(`${label}; 不再重试 (giving up)`);
      else this.logger.warn(`${label}; 稍后重试 (retrying)`);
    });
    this.workers.set(queue, worker);
  }

  async health(): Promise<QueueHealth> {
    if (this.closing) return { ok: false, driver: this.name, detail: '已关闭 (closed)' };
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new Error(`Redis ${HEALTH_TIMEOUT_MS} 毫秒内无响应 (timeout, status: ${this.connection.status})`),
        );
      }, HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.ping(abort.signal), timeout]);
      return { ok: true, driver: this.name };
    } catch (error) {
      return { ok: false, driver: this.name, detail: (error as Error).message };
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    // Workers first: Worker.close() waits for the jobs it is running.
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    // The shared connection is ours, not the queues'.
    try {
      await this.connection.quit();
    } catch {
      this.connection.disconnect();
    }
  }

  /** Waits for a connection still being made (at start, or between reconnect attempts), then PINGs. */
  private async ping(signal: AbortSignal): Promise<void> {
    if (this.connection.status !== 'ready') await once(this.connection, 'ready', { signal });
    await this.connection.ping();
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('任务队列已关闭 (queue driver is closed)');
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      this.watch(`Queue ${name}`, queue);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * An 'error' event without a listener would crash the process. While Redis is away ioredis repeats
   * the same error at every reconnect attempt (and reconnects by itself): log it once, and log the
   * recovery.
   */
  private watch(source: string, emitter: EventEmitter): void {
    let lastError: string | undefined;
    emitter.on('error', (error: Error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      this.logger.error(`${source} 出错 (error): ${error.message}`);
    });
    emitter.on('ready', () => {
      if (lastError === undefined) return;
      lastError = undefined;
      this.logger.log(`${source} 已恢复连接 (reconnected)`);
    });
  }
}

function retryOptions(retry: RetryPolicy): Pick<JobsOptions, 'attempts' | 'backoff'> {
  return {
    attempts: retry.attempts,
    ...(retry.backoff && { backoff: { type: retry.backoff.type, delay: retry.backoff.delayMs } }),
  };
}
