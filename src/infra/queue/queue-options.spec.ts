import {
  assertEnqueueOptions,
  assertRepeatOptions,
  assertRetryPolicy,
  backoffDelayMs,
  nextCronTime,
} from './queue-options';
import { RETRY, RetryPolicy } from './queue.port';

describe('backoffDelayMs', () => {
  it('waits the same for every retry with fixed backoff', () => {
    const policy = { attempts: 4, backoff: { type: 'fixed', delayMs: 250 } } as const;
    expect([1, 2, 3].map((failed) => backoffDelayMs(policy, failed))).toEqual([250, 250, 250]);
  });

  it('doubles after each failure with exponential backoff, as BullMQ does', () => {
    const policy = { attempts: 5, backoff: { type: 'exponential', delayMs: 1000 } } as const;
    expect([1, 2, 3, 4].map((failed) => backoffDelayMs(policy, failed))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('retries at once without backoff', () => {
    expect(backoffDelayMs({ attempts: 3 }, 2)).toBe(0);
  });

  it('gives the named policies sane totals', () => {
    const total = (policy: RetryPolicy): number =>
      Array.from({ length: policy.attempts - 1 }, (_, i) => backoffDelayMs(policy, i + 1)).reduce(
        (a, b) => a + b,
        0,
      );
    expect(RETRY.none.attempts).toBe(1);
    expect(total(RETRY.standard)).toBe(15_000);
    // persistent: hours, not decades (exponential backoff has no ceiling).
    expect(total(RETRY.persistent)).toBeGreaterThan(3 * 3600_000);
    expect(total(RETRY.persistent)).toBeLessThan(6 * 3600_000);
  });
});

describe('option checks', () => {
  it('accepts the named policies', () => {
    for (const policy of Object.values(RETRY)) expect(() => assertRetryPolicy(policy)).not.toThrow();
  });

  it('rejects a policy without tries', () => {
    expect(() => assertRetryPolicy({ attempts: 0 })).toThrow(/重试次数必须是正整数/);
    expect(() => assertRetryPolicy({ attempts: 2, backoff: { type: 'fixed', delayMs: -1 } })).toThrow(
      /退避时间/,
    );
  });

  it('rejects an empty jobId and a negative delay', () => {
    expect(() => assertEnqueueOptions({ jobId: ' ' })).toThrow(/jobId 不能为空/);
    expect(() => assertEnqueueOptions({ delayMs: -5 })).toThrow(/延迟必须/);
    expect(() => assertEnqueueOptions({ jobId: 'relay', delayMs: 0 })).not.toThrow();
  });

  it('wants exactly one of cron / everyMs, and a valid one', () => {
    expect(() => assertRepeatOptions({ key: 'k' })).toThrow(/只能指定 cron 或 everyMs 之一/);
    expect(() => assertRepeatOptions({ key: 'k', cron: '* * * * *', everyMs: 10 })).toThrow(/之一/);
    expect(() => assertRepeatOptions({ key: 'k', everyMs: 0 })).toThrow(/everyMs 必须是正整数/);
    expect(() => assertRepeatOptions({ key: 'k', cron: '61 * * * *' })).toThrow(/cron 表达式无效/);
    expect(() => assertRepeatOptions({ key: '', everyMs: 10 })).toThrow(/key 不能为空/);
    expect(() => assertRepeatOptions({ key: 'k', cron: '*/5 * * * * *' })).not.toThrow();
    expect(() => assertRepeatOptions({ key: 'k', cron: '0 3 * * *' })).not.toThrow();
  });
});

describe('nextCronTime', () => {
  it('finds the next match strictly after the given time (6 fields = seconds first)', () => {
    const base = new Date(2030, 0, 1, 12, 0, 7, 300).getTime();
    expect(nextCronTime('*/5 * * * * *', base)).toBe(new Date(2030, 0, 1, 12, 0, 10, 0).getTime());
    expect(nextCronTime('0 3 * * *', base)).toBe(new Date(2030, 0, 2, 3, 0, 0, 0).getTime());
  });
});

describe('nextCronTime in a time zone', () => {
  const at = (iso: string) => Date.parse(iso);

  it.each([
    // 20:00 Beijing on 1 March: the next 00:30 Beijing is 16:30 UTC the same day.
    ['Asia/Shanghai', '2026-03-01T12:00:00Z', '2026-03-01T16:30:00.000Z'],
    // Read in UTC the same pattern fires eight hours later, at 08:30 Beijing (the defect of issue 8/17).
    ['UTC', '2026-03-01T12:00:00Z', '2026-03-02T00:30:00.000Z'],
    // Just past 00:30 Beijing: the next one is a day later.
    ['Asia/Shanghai', '2026-03-01T16:31:00Z', '2026-03-02T16:30:00.000Z'],
  ])("'30 0 * * *' in %s after %s fires at %s", (zone, after, expected) => {
    expect(new Date(nextCronTime('30 0 * * *', at(after), zone)).toISOString()).toBe(expected);
  });
});
