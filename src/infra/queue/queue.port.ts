/**
 * The queue port: a driver moves named jobs with JSON payloads (ids and an operation, never whole
 * records). Typed names and payloads live in jobs.ts; drivers are generic over strings so the
 * contract suite can exercise them with its own job names.
 */

export interface BackoffPolicy {
  type: 'fixed' | 'exponential';
  delayMs: number;
}

export interface RetryPolicy {
  /** Total tries including the first. */
  attempts: number;
  backoff?: BackoffPolicy;
}

/** Named retry options: pick one of these, do not invent numbers at call sites. */
export const RETRY = {
  none: { attempts: 1 },
  standard: { attempts: 5, backoff: { type: 'exponential', delayMs: 1_000 } },
  /**
   * For relays that must eventually succeed (outbox): keep trying for hours — about 4.5 h in all, the
   * last wait about 2.3 h. (Exponential backoff has no ceiling: 30 tries would wait for decades.)
   */
  persistent: { attempts: 14, backoff: { type: 'exponential', delayMs: 2_000 } },
} as const satisfies Record<string, RetryPolicy>;

/** Used when a job or schedule names no policy. */
export const DEFAULT_RETRY: RetryPolicy = RETRY.standard;

export interface EnqueueOptions {
  /**
   * Deterministic id: a second job with the same id, while the first is waiting/delayed/active
   * (including between retries), is dropped and reported `duplicate: true`. Once the first has
   * completed or finally failed, the id is free again and a new job with it is accepted: a finished
   * job never blocks new work, however long its record is kept. (BullMQ: `deduplication.id`.)
   */
  jobId?: string;
  delayMs?: number;
  /** Default: DEFAULT_RETRY. */
  retry?: RetryPolicy;
}

export interface EnqueueResult {
  id: string;
  /** True when a job with the same jobId was still pending and this one was dropped; `id` is then that job's. */
  duplicate: boolean;
}

export interface RepeatOptions {
  /** Stable key of the schedule; scheduling the same key again replaces it. */
  key: string;
  /** Cron pattern (5 or 6 fields), wall-clock time in the driver's time zone (worker.timeZone) … */
  cron?: string;
  /** … or a fixed interval, the first run right away. Exactly one of cron / everyMs. */
  everyMs?: number;
  /** Default: DEFAULT_RETRY. */
  retry?: RetryPolicy;
}

export interface JobContext {
  id: string;
  name: string;
  /** 1 on the first try. */
  attempt: number;
}

export type JobProcessor = (payload: unknown, context: JobContext) => Promise<void>;

/** Thrown by a processor when trying again cannot help (unknown job name, bad payload): no retry. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** What drivers log through; Nest's Logger fits. */
export interface QueueLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface QueueHealth {
  ok: boolean;
  driver: QueueDriverName;
  detail?: string;
}

export type QueueDriverName = 'bullmq' | 'in-process';

export interface QueueDriver {
  readonly name: QueueDriverName;
  enqueue(queue: string, name: string, payload: unknown, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Creates or replaces a repeatable job (cron or interval). */
  schedule(queue: string, name: string, payload: unknown, options: RepeatOptions): Promise<void>;
  unschedule(queue: string, key: string): Promise<void>;
  /** When the schedule `key` fires next, or null when there is no such schedule. */
  nextRun(queue: string, key: string): Promise<Date | null>;
  /**
   * Starts consuming `queue`: each job is passed to `processor`; a throw is a failed try, retried by
   * the job's policy (never for PermanentJobError). Call once per queue. Jobs enqueued earlier wait.
   */
  consume(queue: string, processor: JobProcessor, concurrency: number): Promise<void>;
  health(): Promise<QueueHealth>;
  /** Stops consuming (waiting for running jobs) and closes connections. Idempotent. */
  close(): Promise<void>;
}

export const QUEUE_DRIVER = Symbol('QUEUE_DRIVER');
