import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullMqDriver } from '../../../src/infra/queue/bullmq.driver';
import { InProcessDriver } from '../../../src/infra/queue/in-process.driver';
import { JobContext, PermanentJobError, QueueDriver, QueueLogger } from '../../../src/infra/queue/queue.port';
import { testConfig } from '../../helpers/test-env';

/**
 * One contract, every configured driver: in-process always, BullMQ when REDIS_URL is set. Each test
 * gets its own driver (and, on Redis, its own key prefix, deleted afterwards).
 *
 * Time is the driver's: the in-process driver runs on jest's clock, which the tests move (delays,
 * backoff, schedules and cron fire at their exact times, and "nothing ran in 400 ms" means no timer fell
 * due, not that a machine was fast enough); BullMQ's delays are kept by Redis, whose clock cannot be
 * moved, so there the same steps wait in real time. "Nothing else ran" is shown by a later job run in
 * order after it where the contract allows (one queue, FIFO), not by waiting.
 */

const config = testConfig();
const silent: QueueLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const Q = 'contract';

interface Fixture {
  /** A driver reading cron patterns in `timeZone` (the app passes worker.timeZone). */
  create(timeZone?: string): QueueDriver;
  /** After the driver is closed. */
  cleanUp?(): Promise<void>;
  time: DriverTime;
}

/** The clock the driver keeps its delays by. */
interface DriverTime {
  /** Before each test, before its driver is made. */
  start?(): void;
  /** After each test. */
  stop?(): void;
  now(): number;
  /** Lets `ms` pass: moves jest's clock (running what falls due in order) or waits. */
  pass(ms: number): Promise<void>;
}

/** In-process: jest's clock, from a fixed instant (01:00 UTC, 09:00 in Shanghai). */
const jestTime: DriverTime = {
  start: () => jest.useFakeTimers({ now: new Date('2026-03-02T01:00:00Z') }),
  stop: () => jest.useRealTimers(),
  now: () => Date.now(),
  pass: async (ms) => void (await jest.advanceTimersByTimeAsync(ms)),
};

/** BullMQ: Redis keeps the time; the test can only wait. */
const realTime: DriverTime = { now: () => Date.now(), pass: (ms) => sleep(ms) };

describe('queue driver contract', () => {
  describe('in-process', () => {
    contract({ create: (timeZone) => new InProcessDriver(silent, { timeZone }), time: jestTime });
  });

  const redisUrl = config.redis.url;
  if (redisUrl) {
    describe('bullmq', () => {
      const admin = new Redis(redisUrl, { lazyConnect: true });
      const prefixes: string[] = [];
      afterAll(() => admin.quit());
      contract({
        create: (timeZone) => {
          const prefix = `${config.redis.prefix}-contract-${randomUUID()}`;
          prefixes.push(prefix);
          return new BullMqDriver({ url: redisUrl, prefix, logger: silent, timeZone });
        },
        cleanUp: async () => {
          for (const prefix of prefixes.splice(0)) await deleteKeys(admin, `${prefix}:*`);
        },
        time: realTime,
      });
    });
  } else {
    describe.skip('bullmq (skipped: REDIS_URL not set)', () => {
      it('runs the same contract against BullMQ on Redis', () => undefined);
    });
  }
});

function contract(fixture: Fixture): void {
  const { time } = fixture;
  let driver: QueueDriver;

  beforeEach(() => {
    time.start?.();
    driver = fixture.create();
  });

  afterEach(async () => {
    await driver.close();
    await fixture.cleanUp?.();
    time.stop?.();
  });

  /** Polls `condition`, letting the driver's time pass between looks; `timeoutMs` of that time at most. */
  async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
    const deadline = time.now() + timeoutMs;
    while (!(await condition())) {
      if (time.now() > deadline) throw new Error(`条件在 ${timeoutMs} 毫秒内未满足 (waitFor timed out)`);
      await time.pass(10);
    }
  }

  it('delivers the payload (as JSON) to the consumer, jobs enqueued earlier waiting for it', async () => {
    const seen: { payload: unknown; context: JobContext }[] = [];
    const result = await driver.enqueue(Q, 'contract.deliver', { id: 'a1', op: 'upsert', at: new Date(0) });
    expect(result.duplicate).toBe(false);
    await time.pass(150);

    await driver.consume(Q, async (payload, context) => void seen.push({ payload, context }), 1);
    await waitFor(() => seen.length === 1);
    expect(seen[0].payload).toEqual({ id: 'a1', op: 'upsert', at: '1970-01-01T00:00:00.000Z' });
    expect(seen[0].context).toEqual({ id: result.id, name: 'contract.deliver', attempt: 1 });
  });

  it('drops a job whose jobId is still pending, and accepts it again once the first has completed', async () => {
    const runs: unknown[] = [];
    const first = await driver.enqueue(Q, 'contract.dedup', { n: 1 }, { jobId: 'relay' });
    const second = await driver.enqueue(Q, 'contract.dedup', { n: 2 }, { jobId: 'relay' });
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ id: first.id, duplicate: true });

    await driver.consume(Q, async (payload) => void runs.push(payload), 1);
    await waitFor(() => runs.length === 1);

    const third = await driver.enqueue(Q, 'contract.dedup', { n: 3 }, { jobId: 'relay' });
    expect(third.duplicate).toBe(false);
    expect(third.id).not.toBe(first.id);
    await waitFor(() => runs.length === 2);
    // One consumer, first in first out: had the second been queued, it would have run before the third.
    expect(runs).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('drops a job whose jobId is active', async () => {
    const release = deferred();
    const started: string[] = [];
    await driver.consume(
      Q,
      async (_payload, context) => {
        started.push(context.name);
        if (context.name === 'contract.dedup') await release.promise;
      },
      2,
    );
    const first = await driver.enqueue(Q, 'contract.dedup', {}, { jobId: 'busy' });
    await waitFor(() => started.length === 1);
    try {
      const second = await driver.enqueue(Q, 'contract.dedup', {}, { jobId: 'busy' });
      expect(second).toEqual({ id: first.id, duplicate: true });
      // A second slot is free: had the duplicate been queued, it would have started before this one.
      await driver.enqueue(Q, 'contract.after', {});
      await waitFor(() => started.includes('contract.after'), 1000);
      expect(started).toEqual(['contract.dedup', 'contract.after']);
    } finally {
      release.resolve();
    }
  });

  it('does not run a delayed job before its delay', async () => {
    const ranAt: number[] = [];
    await driver.consume(Q, async () => void ranAt.push(time.now()), 1);
    const enqueuedAt = time.now();
    await driver.enqueue(Q, 'contract.delayed', {}, { delayMs: 700 });
    await time.pass(400);
    expect(ranAt).toEqual([]);
    await waitFor(() => ranAt.length === 1);
    expect(ranAt[0] - enqueuedAt).toBeGreaterThanOrEqual(690);
  });

  it('retries a failing job with fixed backoff, then gives up after `attempts`', async () => {
    const tries: { attempt: number; at: number }[] = [];
    await driver.consume(
      Q,
      async (_payload, context) => {
        tries.push({ attempt: context.attempt, at: time.now() });
        throw new Error('boom');
      },
      1,
    );
    await driver.enqueue(
      Q,
      'contract.fail',
      {},
      { retry: { attempts: 3, backoff: { type: 'fixed', delayMs: 150 } } },
    );
    await waitFor(() => tries.length === 3);
    await time.pass(500);
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect(gaps(tries.map((t) => t.at)).every((gap) => gap >= 140)).toBe(true);
  });

  it('retries with exponential backoff', async () => {
    const at: number[] = [];
    await driver.consume(
      Q,
      async () => {
        at.push(time.now());
        throw new Error('boom');
      },
      1,
    );
    await driver.enqueue(
      Q,
      'contract.fail',
      {},
      { retry: { attempts: 3, backoff: { type: 'exponential', delayMs: 100 } } },
    );
    await waitFor(() => at.length === 3);
    const [first, second] = gaps(at);
    expect(first).toBeGreaterThanOrEqual(90);
    expect(second).toBeGreaterThanOrEqual(190);
  });

  it('frees a jobId once its job has finally failed', async () => {
    let tries = 0;
    await driver.consume(
      Q,
      async () => {
        tries += 1;
        throw new Error('boom');
      },
      1,
    );
    const first = await driver.enqueue(Q, 'contract.fail', {}, { jobId: 'doomed', retry: { attempts: 2 } });
    await waitFor(() => tries === 2);
    // BullMQ records the final failure just after the processor throws: ask until the id is free.
    let again = first;
    await waitFor(
      async () =>
        !(again = await driver.enqueue(Q, 'contract.fail', {}, { jobId: 'doomed', retry: { attempts: 1 } }))
          .duplicate,
    );
    expect(again.id).not.toBe(first.id);
    await waitFor(() => tries === 3);
  });

  it('does not retry a PermanentJobError', async () => {
    let tries = 0;
    await driver.consume(
      Q,
      async () => {
        tries += 1;
        throw new PermanentJobError('no handler');
      },
      1,
    );
    await driver.enqueue(
      Q,
      'contract.fail',
      {},
      { retry: { attempts: 5, backoff: { type: 'fixed', delayMs: 50 } } },
    );
    await waitFor(() => tries === 1);
    // Eight backoffs long: on jest's clock every retry would have fallen due.
    await time.pass(400);
    expect(tries).toBe(1);
  });

  it('runs at most `concurrency` jobs of a queue at once', async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    await driver.consume(
      Q,
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(150);
        running -= 1;
        done += 1;
      },
      2,
    );
    for (let i = 0; i < 5; i++) await driver.enqueue(Q, 'contract.parallel', { i });
    await waitFor(() => done === 5);
    expect(peak).toBe(2);
  });

  it('runs an everyMs schedule repeatedly, and unschedule stops it', async () => {
    let runs = 0;
    await driver.consume(Q, async () => void (runs += 1), 1);
    await driver.schedule(Q, 'contract.tick', {}, { key: 'tick', everyMs: 200 });
    await waitFor(() => runs >= 3);
    await driver.unschedule(Q, 'tick');
    // An iteration already due may still run (as with BullMQ); after that, three periods bring none.
    await time.pass(250);
    const settled = runs;
    await time.pass(600);
    expect(runs).toBe(settled);
  });

  it('replaces a schedule scheduled again under the same key', async () => {
    const versions: number[] = [];
    await driver.consume(Q, async (payload) => void versions.push((payload as { v: number }).v), 1);
    await driver.schedule(Q, 'contract.tick', { v: 1 }, { key: 'swap', everyMs: 150 });
    await waitFor(() => versions.length >= 1);
    await driver.schedule(Q, 'contract.tick', { v: 2 }, { key: 'swap', everyMs: 150 });
    await waitFor(() => versions.filter((v) => v === 2).length >= 3);
    expect(versions.slice(versions.indexOf(2))).not.toContain(1);
    await driver.unschedule(Q, 'swap');
  });

  it('fires a cron schedule (6 fields, every second)', async () => {
    let runs = 0;
    await driver.consume(Q, async () => void (runs += 1), 1);
    const scheduledAt = time.now();
    await driver.schedule(Q, 'contract.cron', {}, { key: 'cron', cron: '* * * * * *' });
    const next = (await driver.nextRun(Q, 'cron'))!.getTime();
    expect(next % 1000).toBe(0);
    expect(next).toBeGreaterThan(scheduledAt);
    expect(next).toBeLessThanOrEqual(scheduledAt + 1000);
    await waitFor(() => runs >= 2, 3500);
    await driver.unschedule(Q, 'cron');
  });

  it('reads cron patterns in its time zone: 00:30 in Shanghai is 16:30 UTC', async () => {
    const zoned = fixture.create('Asia/Shanghai');
    try {
      await zoned.schedule(Q, 'contract.daily', {}, { key: 'daily-sh', cron: '30 0 * * *' });
      const next = await zoned.nextRun(Q, 'daily-sh');
      expect(next).not.toBeNull();
      expect([next!.getUTCHours(), next!.getUTCMinutes()]).toEqual([16, 30]);
      expect(next!.getTime()).toBeGreaterThan(time.now());
      expect(next!.getTime()).toBeLessThanOrEqual(time.now() + 24 * 3600_000);
      await zoned.unschedule(Q, 'daily-sh');
      expect(await zoned.nextRun(Q, 'daily-sh')).toBeNull();
    } finally {
      await zoned.close();
    }
    const utc = fixture.create('UTC');
    try {
      await utc.schedule(Q, 'contract.daily', {}, { key: 'daily-utc', cron: '30 0 * * *' });
      const next = await utc.nextRun(Q, 'daily-utc');
      expect([next!.getUTCHours(), next!.getUTCMinutes()]).toEqual([0, 30]);
      await utc.unschedule(Q, 'daily-utc');
    } finally {
      await utc.close();
    }
  });

  it('rejects invalid schedules in Chinese', async () => {
    await expect(driver.schedule(Q, 'contract.cron', {}, { key: 'bad', cron: 'not a cron' })).rejects.toThrow(
      /cron 表达式无效/,
    );
    await expect(
      driver.schedule(Q, 'contract.cron', {}, { key: 'both', cron: '* * * * *', everyMs: 5 }),
    ).rejects.toThrow(/只能指定 cron 或 everyMs 之一/);
  });

  it('close() waits for the active job, then refuses new work', async () => {
    let started = false;
    let finished = false;
    await driver.consume(
      Q,
      async () => {
        started = true;
        await sleep(400);
        finished = true;
      },
      1,
    );
    await driver.enqueue(Q, 'contract.slow', {});
    await waitFor(() => started);
    // What the job had done when close() returned, not later.
    const finishedWhenClosed = driver.close().then(() => finished);
    await time.pass(400);
    expect(await finishedWhenClosed).toBe(true);
    await expect(driver.enqueue(Q, 'contract.slow', {})).rejects.toThrow(/已关闭/);
    expect((await driver.health()).ok).toBe(false);
  });

  it('reports health', async () => {
    await expect(driver.health()).resolves.toMatchObject({ ok: true, driver: driver.name });
  });
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

/** On whichever clock is installed: jest's for the in-process driver, the real one for BullMQ. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
