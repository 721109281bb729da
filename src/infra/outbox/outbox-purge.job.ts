import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue, RETRY } from '../queue';
import { OutboxRepository } from './outbox.repository';

export const OUTBOX_PURGE_KEY = 'outbox-purge';

/**
 * The daily purge of relayed outbox rows: processed rows older than `outbox.retainProcessedDays` are
 * deleted so the table stays small. Pending rows (not yet delivered) are never touched, however old.
 */
@Injectable()
export class OutboxPurgeJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboxPurgeJob.name);

  constructor(
    private readonly repository: OutboxRepository,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The API and the worker may both run this; the key makes it one schedule.
    await this.jobs.schedule(
      JobName.OutboxPurge,
      {},
      { key: OUTBOX_PURGE_KEY, cron: this.config.outbox.purgeCron, retry: RETRY.standard },
    );
  }

  @JobHandler(JobName.OutboxPurge)
  async handle(_payload: JobPayloads[JobName.OutboxPurge], _context: JobContext): Promise<void> {
    await this.purge();
  }

  /** Deletes the processed rows past their retention; returns how many. */
  async purge(): Promise<number> {
    const purged = await this.repository.purgeProcessed(this.config.outbox.retainProcessedDays);
    if (purged > 0) this.logger.log(`已清理 ${purged} 条已同步的 outbox 记录`);
    return purged;
  }
}
