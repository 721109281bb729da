import 'reflect-metadata';
import { testConfig } from '../../../test/helpers/test-env';
import { InProcessDriver } from './in-process.driver';
import { createQueueDriver } from './queue.module';

/** What the contract suite cannot show in a few seconds. */
describe('InProcessDriver', () => {
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

  it('holds a delay longer than setTimeout can express (~24.8 days) instead of firing at once, then fires it (jest clock)', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z') });
    try {
      const driver = new InProcessDriver(silent);
      const ran: string[] = [];
      await driver.consume(
        'q',
        async (_payload, job) => void ran.push(`${job.name} ${new Date().toISOString()}`),
        1,
      );
      await driver.enqueue('q', 'far', {}, { delayMs: 30 * 24 * 3600_000 });
      await driver.schedule('q', 'yearly', {}, { key: 'yearly', cron: '0 0 0 1 1 *' });
      // Past setTimeout's limit, not yet due: nothing.
      await jest.advanceTimersByTimeAsync(29 * 24 * 3600_000);
      expect(ran).toEqual([]);
      // Due: it runs once, at its time; the yearly schedule still waits for 1 January.
      await jest.advanceTimersByTimeAsync(2 * 24 * 3600_000);
      expect(ran).toEqual(['far 2026-03-31T00:00:00.000Z']);
      expect((await driver.nextRun('q', 'yearly'))?.getUTCMonth()).toBe(0);
      await driver.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a second consumer and a bad concurrency', async () => {
    const driver = new InProcessDriver(silent);
    await expect(driver.consume('q', async () => undefined, 0)).rejects.toThrow(/并发数必须是正整数/);
    await driver.consume('q', async () => undefined, 1);
    await expect(driver.consume('q', async () => undefined, 1)).rejects.toThrow(/已在消费/);
    await driver.close();
    await driver.close(); // idempotent
  });

  describe('cron in the configured time zone (jest clock, no waiting)', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it("runs '30 0 * * *' at 00:30 Beijing time, not at 00:30 UTC", async () => {
      // 00:00 Beijing on 2 March.
      jest.useFakeTimers({ now: new Date('2026-03-01T16:00:00Z') });
      const driver = new InProcessDriver(silent, { timeZone: 'Asia/Shanghai' });
      const ranAt: string[] = [];
      await driver.consume('q', async () => void ranAt.push(new Date().toISOString()), 1);
      await driver.schedule('q', 'daily', {}, { key: 'daily', cron: '30 0 * * *' });
      expect((await driver.nextRun('q', 'daily'))?.toISOString()).toBe('2026-03-01T16:30:00.000Z');

      await jest.advanceTimersByTimeAsync(29 * 60_000);
      expect(ranAt).toEqual([]);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(ranAt).toEqual(['2026-03-01T16:30:00.000Z']);
      // And again a day later, still at 00:30 Beijing.
      await jest.advanceTimersByTimeAsync(24 * 3600_000);
      expect(ranAt).toEqual(['2026-03-01T16:30:00.000Z', '2026-03-02T16:30:00.000Z']);
      expect((await driver.nextRun('q', 'daily'))?.toISOString()).toBe('2026-03-03T16:30:00.000Z');
      await driver.close();
    });

    it('the app builds its driver with worker.timeZone (default Asia/Shanghai)', async () => {
      jest.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
      const config = testConfig();
      expect(config.worker.timeZone).toBe('Asia/Shanghai');
      if (config.redis.url) return; // the BullMQ driver is covered by the queue contract suite
      const driver = createQueueDriver(config);
      await driver.schedule('q', 'daily', {}, { key: 'daily', cron: '30 0 * * *' });
      expect((await driver.nextRun('q', 'daily'))?.toISOString()).toBe('2026-03-01T16:30:00.000Z');
      expect(await driver.nextRun('q', 'none')).toBeNull();
      await driver.close();
    });
  });
});
