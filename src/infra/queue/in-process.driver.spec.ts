import { InProcessDriver } from './in-process.driver';

/** What the contract suite cannot show in a few seconds. */
describe('InProcessDriver', () => {
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

  it('holds a delay longer than setTimeout can express (~24.8 days) instead of firing at once', async () => {
    const driver = new InProcessDriver(silent);
    let runs = 0;
    await driver.consume('q', async () => void (runs += 1), 1);
    await driver.enqueue('q', 'far', {}, { delayMs: 30 * 24 * 3600_000 });
    await driver.schedule('q', 'yearly', {}, { key: 'yearly', cron: '0 0 0 1 1 *' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(0);
    await driver.close();
  });

  it('refuses a second consumer and a bad concurrency', async () => {
    const driver = new InProcessDriver(silent);
    await expect(driver.consume('q', async () => undefined, 0)).rejects.toThrow(/并发数必须是正整数/);
    await driver.consume('q', async () => undefined, 1);
    await expect(driver.consume('q', async () => undefined, 1)).rejects.toThrow(/已在消费/);
    await driver.close();
    await driver.close(); // idempotent
  });
});
