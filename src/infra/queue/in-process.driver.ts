import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  assertConcurrency,
  assertEnqueueOptions,
  assertRepeatOptions,
  backoffDelayMs,
  nextCronTime,
} from './queue-options';
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

/** setTimeout overflows (and fires at once) past ~24.8 days; longer waits are armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface LocalJob {
  readonly id: string;
  readonly name: string;
  /** Kept serialised, as in Redis: every try gets a fresh copy, and non-JSON payloads fail at enqueue. */
  readonly payloadJson: string;
  readonly retry: RetryPolicy;
  readonly dedupKey?: string;
  readonly schedule?: Schedule;
  failedAttempts: number;
}

interface Schedule {
  readonly options: RepeatOptions;
  readonly name: string;
  readonly payloadJson: string;
  timer?: Timer;
  /** When `timer` fires (ms since epoch). */
  dueAt?: number;
  /** The iteration enqueued last, while it has not started: a later firing is skipped, not stacked. */
  waiting?: LocalJob;
}

interface LocalQueue {
  readonly name: string;
  readonly waiting: LocalJob[];
  readonly active: Set<Promise<void>>;
  /** jobId → the pending job holding it (waiting, delayed or active). */
  readonly pending: Map<string, LocalJob>;
  readonly schedules: Map<string, Schedule>;
  consumer?: { processor: JobProcessor; concurrency: number };
}

interface Timer {
  handle?: NodeJS.Timeout;
}

/**
 * Jobs in this process's memory, with BullMQ's contract: a deterministic jobId is dropped while its
 * job is pending and free again once it has finished; delays; retries with the same backoff; cron and
 * interval schedules (one pending iteration at most, as with BullMQ job schedulers). Nothing survives
 * a restart: close() waits for running jobs and discards the rest (the outbox is what makes search
 * writes durable, not the queue).
 */
export class InProcessDriver implements QueueDriver {
  readonly name = 'in-process';
  private readonly queues = new Map<string, LocalQueue>();
  private readonly timers = new Set<Timer>();
  private closing?: Promise<void>;

  /**
   * @param options.timeZone IANA zone cron patterns are read in (config worker.timeZone); default: the
   *   server's zone.
   */
  constructor(
    private readonly logger: QueueLogger = new Logger('InProcessQueue'),
    private readonly options: { timeZone?: string } = {},
  ) {}

  async enqueue(
    queue: string,
    name: string,
    payload: unknown,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    this.assertOpen();
    assertEnqueueOptions(options);
    const q = this.queue(queue);
    if (options.jobId !== undefined) {
      const existing = q.pending.get(options.jobId);
      if (existing) return { id: existing.id, duplicate: true };
    }
    const job: LocalJob = {
      id: randomUUID(),
      name,
      payloadJson: serialise(payload),
      retry: options.retry ?? DEFAULT_RETRY,
      dedupKey: options.jobId,
      failedAttempts: 0,
    };
    if (job.dedupKey !== undefined) q.pending.set(job.dedupKey, job);
    this.makeReady(q, job, options.delayMs ?? 0);
    return { id: job.id, duplicate: false };
  }

  async schedule(queue: string, name: string, payload: unknown, options: RepeatOptions): Promise<void> {
    this.assertOpen();
    assertRepeatOptions(options);
    const q = this.queue(queue);
    // Replacing also drops the iteration not yet started, as BullMQ's upsertJobScheduler does.
    const replaced = this.cancelSchedule(q, options.key);
    const stale = replaced?.waiting ? q.waiting.indexOf(replaced.waiting) : -1;
    if (stale >= 0) q.waiting.splice(stale, 1);
    const schedule: Schedule = { options, name, payloadJson: serialise(payload) };
    q.schedules.set(options.key, schedule);
    // Like a BullMQ job scheduler: an interval runs at once, a cron at its next match.
    this.armSchedule(
      q,
      schedule,
      options.everyMs !== undefined
        ? Date.now()
        : nextCronTime(options.cron!, Date.now(), this.options.timeZone),
    );
  }

  async nextRun(queue: string, key: string): Promise<Date | null> {
    const dueAt = this.queues.get(queue)?.schedules.get(key)?.dueAt;
    return dueAt === undefined ? null : new Date(dueAt);
  }

  async unschedule(queue: string, key: string): Promise<void> {
    this.assertOpen();
    this.cancelSchedule(this.queue(queue), key);
  }

  async consume(queue: string, processor: JobProcessor, concurrency: number): Promise<void> {
    this.assertOpen();
    assertConcurrency(concurrency);
    const q = this.queue(queue);
    if (q.consumer) throw new Error(`队列 ${queue} 已在消费 (queue is already consumed)`);
    q.consumer = { processor, concurrency };
    this.pump(q);
  }

  async health(): Promise<QueueHealth> {
    return this.closing
      ? { ok: false, driver: this.name, detail: '已关闭 (closed)' }
      : { ok: true, driver: this.name };
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer.handle);
    this.timers.clear();
    for (const q of this.queues.values()) q.waiting.length = 0;
    // A job finishing now may not start another (pump checks `closing`), so this drains.
    for (;;) {
      const running = [...this.queues.values()].flatMap((q) => [...q.active]);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('任务队列已关闭 (queue driver is closed)');
  }

  private queue(name: string): LocalQueue {
    let q = this.queues.get(name);
    if (!q) {
      q = { name, waiting: [], active: new Set(), pending: new Map(), schedules: new Map() };
      this.queues.set(name, q);
    }
    return q;
  }

  /** Puts the job in line now, or after `delayMs`. */
  private makeReady(q: LocalQueue, job: LocalJob, delayMs: number): void {
    if (delayMs <= 0) {
      q.waiting.push(job);
      this.pump(q);
      return;
    }
    this.at(Date.now() + delayMs, () => {
      q.waiting.push(job);
      this.pump(q);
    });
  }

  private pump(q: LocalQueue): void {
    const consumer = q.consumer;
    if (this.closing || !consumer) return;
    while (q.active.size < consumer.concurrency && q.waiting.length > 0) {
      const job = q.waiting.shift()!;
      const run: Promise<void> = this.run(q, consumer.processor, job).finally(() => {
        q.active.delete(run);
        this.pump(q);
      });
      q.active.add(run);
    }
  }

  /** One try of `job`; never rejects. */
  private async run(q: LocalQueue, processor: JobProcessor, job: LocalJob): Promise<void> {
    if (job.schedule?.waiting === job) job.schedule.waiting = undefined;
    const attempt = job.failedAttempts + 1;
    try {
      await processor(JSON.parse(job.payloadJson), { id: job.id, name: job.name, attempt });
      this.finish(q, job);
    } catch (error) {
      job.failedAttempts = attempt;
      const reason = error instanceof Error ? error.message : String(error);
      const label = `任务 ${q.name}/${job.name} (${job.id}) 第 ${attempt} 次执行失败 (try ${attempt} failed): ${reason}`;
      if (error instanceof PermanentJobError || attempt >= job.retry.attempts) {
        this.logger.error(`${label}; 不再重试 (giving up)`);
        this.finish(q, job);
        return;
      }
      const delayMs = backoffDelayMs(job.retry, attempt);
      this.logger.warn(`${label}; ${delayMs} 毫秒后重试 (retrying)`);
      if (!this.closing) this.makeReady(q, job, delayMs);
    }
  }

  /** Completed or finally failed: its jobId is free again. */
  private finish(q: LocalQueue, job: LocalJob): void {
    if (job.dedupKey !== undefined && q.pending.get(job.dedupKey) === job) q.pending.delete(job.dedupKey);
  }

  private armSchedule(q: LocalQueue, schedule: Schedule, dueAt: number): void {
    schedule.dueAt = dueAt;
    schedule.timer = this.at(dueAt, () => {
      const { options } = schedule;
      if (!schedule.waiting) {
        const job: LocalJob = {
          id: randomUUID(),
          name: schedule.name,
          payloadJson: schedule.payloadJson,
          retry: options.retry ?? DEFAULT_RETRY,
          schedule,
          failedAttempts: 0,
        };
        schedule.waiting = job;
        this.makeReady(q, job, 0);
      }
      // From the due time, not from now: a timer firing a little late must not skip a cron match.
      const now = Date.now();
      const next =
        options.everyMs !== undefined
          ? dueAt + options.everyMs * Math.max(1, Math.ceil((now - dueAt) / options.everyMs))
          : nextCronTime(options.cron!, Math.max(now, dueAt), this.options.timeZone);
      this.armSchedule(q, schedule, next);
    });
  }

  /** Stops future firings; an iteration already due stays in line (BullMQ's removeJobScheduler). */
  private cancelSchedule(q: LocalQueue, key: string): Schedule | undefined {
    const schedule = q.schedules.get(key);
    if (!schedule) return undefined;
    q.schedules.delete(key);
    if (schedule.timer) this.cancel(schedule.timer);
    return schedule;
  }

  /** Runs `fn` at `dueAt` unless cancelled or the driver closes first. */
  private at(dueAt: number, fn: () => void): Timer {
    const timer: Timer = {};
    const arm = (): void => {
      const wait = Math.min(Math.max(0, dueAt - Date.now()), MAX_TIMEOUT_MS);
      timer.handle = setTimeout(() => {
        if (dueAt > Date.now()) return arm();
        this.timers.delete(timer);
        fn();
      }, wait);
    };
    this.timers.add(timer);
    arm();
    return timer;
  }

  private cancel(timer: Timer): void {
    clearTimeout(timer.handle);
    this.timers.delete(timer);
  }
}

function serialise(payload: unknown): string {
  // JSON.stringify(undefined) is undefined: store an empty object, as the typed layer always sends one.
  return JSON.stringify(payload ?? {});
}
