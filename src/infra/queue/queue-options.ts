import { CronExpressionParser } from 'cron-parser';
import { EnqueueOptions, RepeatOptions, RetryPolicy } from './queue.port';

/**
 * Checks and arithmetic shared by both drivers, so that a bad option fails the same way (and in
 * Chinese) whichever driver is configured.
 */

/**
 * Wait before the next try, after `failedAttempts` (≥ 1) tries have failed. Same formula as BullMQ's
 * built-in strategies: fixed → delayMs; exponential → 2^(failedAttempts-1) × delayMs.
 */
export function backoffDelayMs(policy: RetryPolicy, failedAttempts: number): number {
  const backoff = policy.backoff;
  if (!backoff) return 0;
  if (backoff.type === 'fixed') return backoff.delayMs;
  return Math.round(2 ** (failedAttempts - 1) * backoff.delayMs);
}

export function assertRetryPolicy(policy: RetryPolicy): void {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new RangeError(
      `重试次数必须是正整数 (retry.attempts must be a positive integer): ${policy.attempts}`,
    );
  }
  const delayMs = policy.backoff?.delayMs;
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new RangeError(`退避时间必须 ≥ 0 毫秒 (retry.backoff.delayMs must be ≥ 0): ${delayMs}`);
  }
}

export function assertEnqueueOptions(options: EnqueueOptions): void {
  if (options.jobId !== undefined && options.jobId.trim() === '') {
    throw new RangeError('jobId 不能为空 (jobId must not be empty)');
  }
  if (options.delayMs !== undefined && !(Number.isFinite(options.delayMs) && options.delayMs >= 0)) {
    throw new RangeError(`延迟必须 ≥ 0 毫秒 (delayMs must be ≥ 0): ${options.delayMs}`);
  }
  if (options.retry) assertRetryPolicy(options.retry);
}

export function assertConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`并发数必须是正整数 (concurrency must be a positive integer): ${concurrency}`);
  }
}

export function assertRepeatOptions(options: RepeatOptions): void {
  if (options.key.trim() === '')
    throw new RangeError('定时任务 key 不能为空 (schedule key must not be empty)');
  if ((options.cron === undefined) === (options.everyMs === undefined)) {
    throw new RangeError(
      `定时任务 ${options.key} 必须且只能指定 cron 或 everyMs 之一 (exactly one of cron / everyMs)`,
    );
  }
  if (options.everyMs !== undefined && !(Number.isInteger(options.everyMs) && options.everyMs > 0)) {
    throw new RangeError(
      `定时任务 ${options.key} 的 everyMs 必须是正整数 (everyMs must be > 0): ${options.everyMs}`,
    );
  }
  if (options.cron !== undefined) parseCron(options.key, options.cron);
  if (options.retry) assertRetryPolicy(options.retry);
}

/**
 * Next firing strictly after `after` (ms since epoch), the pattern read as wall-clock time in
 * `timeZone` (IANA name, e.g. Asia/Shanghai; default: the server's zone).
 */
export function nextCronTime(cron: string, after: number, timeZone?: string): number {
  return parseCron(cron, cron, after, timeZone).next().getTime();
}

function parseCron(
  key: string,
  cron: string,
  after = Date.now(),
  timeZone?: string,
): ReturnType<typeof CronExpressionParser.parse> {
  try {
    return CronExpressionParser.parse(cron, {
      currentDate: new Date(after),
      ...(timeZone !== undefined && { tz: timeZone }),
    });
  } catch (error) {
    throw new RangeError(
      `定时任务 ${key} 的 cron 表达式无效 (invalid cron "${cron}"): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
