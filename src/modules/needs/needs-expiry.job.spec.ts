import 'reflect-metadata';
import { loadConfig } from '../../config';
import { JobName, JobQueue, RepeatOptions } from '../../infra/queue';
import { NEEDS_EXPIRE_OPEN_KEY, NeedsExpiryJob } from './needs-expiry.job';
import { NeedsService } from './needs.service';

describe('NeedsExpiryJob', () => {
  const config = loadConfig({ env: { NODE_ENV: 'test' } });

  it('schedules needs.expire-open daily (configured cron) under one stable key', async () => {
    const scheduled: Array<{ name: string; payload: unknown; repeat: RepeatOptions }> = [];
    const jobs = {
      schedule: async (name: string, payload: unknown, repeat: RepeatOptions) => {
        scheduled.push({ name, payload, repeat });
      },
    } as unknown as JobQueue;
    await new NeedsExpiryJob({} as NeedsService, jobs, config).onApplicationBootstrap();
    expect(scheduled).toEqual([
      {
        name: JobName.NeedsExpireOpen,
        payload: {},
        repeat: expect.objectContaining({ key: NEEDS_EXPIRE_OPEN_KEY, cron: config.needs.expireOpenCron }),
      },
    ]);
    expect(config.needs.expireOpenCron).toBe('15 1 * * *');
  });

  it('the handler runs the sweep', async () => {
    let runs = 0;
    const needs = { expireOverdue: async () => ({ expired: ++runs }) } as unknown as NeedsService;
    await new NeedsExpiryJob(needs, {} as JobQueue, config).handle(
      {},
      { id: '1', name: JobName.NeedsExpireOpen, attempt: 1 },
    );
    expect(runs).toBe(1);
  });

  it('a cron with too few fields stops the start', () => {
    expect(() =>
      loadConfig({ env: { NODE_ENV: 'test', BANGFU__NEEDS__EXPIRE_OPEN_CRON: '15 1 *' } }),
    ).toThrow(/needs\.expireOpenCron/);
  });
});
