import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config';
import { DailySweepJob } from '../../infra/queue/daily-sweep.job';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue } from '../../infra/queue';
import { OffersService } from './offers.service';

export const OFFERS_EXPIRE_KEY = 'offers-expire';

/** The daily sweep that closes live offers past their last valid day (reason `expired`). */
@Injectable()
export class OffersExpiryJob extends DailySweepJob {
  constructor(
    private readonly offers: OffersService,
    jobs: JobQueue,
    config: AppConfig,
  ) {
    super(jobs, { job: JobName.OffersExpire, key: OFFERS_EXPIRE_KEY, cron: config.offers.expireCron });
  }

  @JobHandler(JobName.OffersExpire)
  handle(_payload: JobPayloads[JobName.OffersExpire], _context: JobContext): Promise<void> {
    return this.run();
  }

  protected async sweep(): Promise<number> {
    return (await this.offers.expireOverdue()).expired;
  }

  protected describe(count: number): string {
    return `已有 ${count} 条供给超过有效期，自动关闭`;
  }
}
