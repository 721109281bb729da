import 'reflect-metadata';
import { loadConfig } from '../../config';
import { JobName, JobQueue, RepeatOptions } from '../queue';
import { OUTBOX_PURGE_KEY, OutboxPurgeJob } from './outbox-purge.job';
import { OutboxRepository } from './outbox.repository';

describe('OutboxPurgeJob', () => {
  const config = loadConfig({ env: { NODE_ENV: 'test' } });

  it('schedules search.purge-outbox on the configured cron under one stable key', async () => {
    const scheduled: Array<{ name: string; repeat: RepeatOptions }> = [];
    const jobs = {
      schedule: async (name: string, _payload: unknown, repeat: RepeatOptions) => {
        scheduled.push({ name, repeat });
      },
    } as unknown as JobQueue;
    await new OutboxPurgeJob({} as OutboxRepository, jobs, config).onApplicationBootstrap();
    expect(scheduled).toEqual([
      {
        name: JobName.OutboxPurge,
        repeat: expect.objectContaining({ key: OUTBOX_PURGE_KEY, cron: config.outbox.purgeCron }),
      },
    ]);
  });

  it('the handler purges with the configured retention', async () => {
    const calls: number[] = [];
    const repository = {
      purgeProcessed: async (days: number) => {
        calls.push(days);
        return 3;
      },
    } as unknown as OutboxRepository;
    await new OutboxPurgeJob(repository, {} as JobQueue, config).handle(
      {},
      { id: '1', name: JobName.OutboxPurge, attempt: 1 },
    );
    expect(calls).toEqual([config.outbox.retainProcessedDays]);
  });
});
