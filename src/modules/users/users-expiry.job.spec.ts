import 'reflect-metadata';
import { loadConfig } from '../../config';
import { JobName, JobQueue, RepeatOptions } from '../../infra/queue';
import { USERS_DISABLE_EXPIRED_KEY, UsersExpiryJob } from './users-expiry.job';
import { UsersService } from './users.service';

describe('UsersExpiryJob', () => {
  const config = loadConfig({ env: { NODE_ENV: 'test' } });

  it('schedules users.disable-expired daily (configured cron) under one stable key', async () => {
    const scheduled: Array<{ name: string; payload: unknown; repeat: RepeatOptions }> = [];
    const jobs = {
      schedule: async (name: string, payload: unknown, repeat: RepeatOptions) => {
        scheduled.push({ name, payload, repeat });
      },
    } as unknown as JobQueue;
    await new UsersExpiryJob({} as UsersService, jobs, config).onApplicationBootstrap();
    expect(scheduled).toEqual([
      {
        name: JobName.UsersDisableExpired,
        payload: {},
        repeat: expect.objectContaining({
          key: USERS_DISABLE_EXPIRED_KEY,
          cron: config.users.disableExpiredCron,
        }),
      },
    ]);
    expect(config.users.disableExpiredCron).toBe('0 2 * * *');
  });

  it('the handler runs the sweep', async () => {
    let runs = 0;
    const users = { disableExpired: async () => ({ disabled: ++runs }) } as unknown as UsersService;
    await new UsersExpiryJob(users, {} as JobQueue, config).handle(
      {},
      { id: '1', name: JobName.UsersDisableExpired, attempt: 1 },
    );
    expect(runs).toBe(1);
  });
});
