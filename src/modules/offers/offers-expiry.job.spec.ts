import 'reflect-metadata';
import { loadConfig } from '../../config';
import { JobName, JobQueue, RepeatOptions } from '../../infra/queue';
import { OFFERS_EXPIRE_KEY, OffersExpiryJob } from './offers-expiry.job';
import { OffersService } from './offers.service';

describe('OffersExpiryJob', () => {
  const config = loadConfig({ env: { NODE_ENV: 'test' } });

  it('schedules offers.expire daily (configured cron) under one stable key', async () => {
    const scheduled: Array<{ name: string; payload: unknown; repeat: RepeatOptions }> = [];
    const jobs = {
      schedule: async (name: string, payload: unknown, repeat: RepeatOptions) => {
        scheduled.push({ name, payload, repeat });
      },
    } as unknown as JobQueue;
    await new OffersExpiryJob({} as OffersService, jobs, config).onApplicationBootstrap();
    expect(scheduled).toEqual([
      {
        name: JobName.OffersExpire,
        payload: {},
        repeat: expect.objectContaining({ key: OFFERS_EXPIRE_KEY, cron: config.offers.expireCron }),
      },
    ]);
    expect(config.offers.expireCron).toBe('20 0 * * *');
  });

  it('the handler runs the sweep', async () => {
    let runs = 0;
    const offers = { expireOverdue: async () => ({ expired: ++runs }) } as unknown as OffersService;
    await new OffersExpiryJob(offers, {} as JobQueue, config).handle(
      {},
      { id: '1', name: JobName.OffersExpire, attempt: 1 },
    );
    expect(runs).toBe(1);
  });

  it('a cron with too few fields stops the start', () => {
    expect(() => loadConfig({ env: { NODE_ENV: 'test', BANGFU__OFFERS__EXPIRE_CRON: '20 0 *' } })).toThrow(
      /offers\.expireCron/,
    );
  });
});
