import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue, RETRY } from '../../infra/queue';
import { NeedsService } from './needs.service';

export const NEEDS_EXPIRE_OPEN_KEY = 'needs-expire-open';

/** The daily sweep that expires open needs past the item's validity (counted from when they opened). */
@Injectable()
export class NeedsExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(NeedsExpiryJob.name);

  constructor(
    private readonly needs: NeedsService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The API and the worker may both run this; the key makes it one schedule.
    await this.jobs.schedule(
      JobName.NeedsExpireOpen,
      {},
      { key: NEEDS_EXPIRE_OPEN_KEY, cron: this.config.needs.expireOpenCron, retry: RETRY.standard },
    );
  }

  @JobHandler(JobName.NeedsExpireOpen)
  async handle(_payload: JobPayloads[JobName.NeedsExpireOpen], _context: JobContext): Promise<void> {
    const { expired } = await this.needs.expireOverdue();
    if (expired > 0) this.logger.log(`已有 ${expired} 条需求超过有效期，自动过期`);
  }
}
