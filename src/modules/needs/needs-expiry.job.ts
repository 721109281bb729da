import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config';
import { DailySweepJob } from '../../infra/queue/daily-sweep.job';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue } from '../../infra/queue';
import { NeedsService } from './needs.service';

export const NEEDS_EXPIRE_OPEN_KEY = 'needs-expire-open';

/** The daily sweep that expires open needs past the item's validity (counted from when they opened). */
@Injectable()
export class NeedsExpiryJob extends DailySweepJob {
  constructor(
    private readonly needs: NeedsService,
    jobs: JobQueue,
    config: AppConfig,
  ) {
    super(jobs, {
      job: JobName.NeedsExpireOpen,
      key: NEEDS_EXPIRE_OPEN_KEY,
      cron: config.needs.expireOpenCron,
    });
  }

  @JobHandler(JobName.NeedsExpireOpen)
  handle(_payload: JobPayloads[JobName.NeedsExpireOpen], _context: JobContext): Promise<void> {
    return this.run();
  }

  protected async sweep(): Promise<number> {
    return (await this.needs.expireOverdue()).expired;
  }

  protected describe(count: number): string {
    return `已有 ${count} 条需求超过有效期，自动过期`;
  }
}
