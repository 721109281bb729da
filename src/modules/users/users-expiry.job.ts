import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config';
import { DailySweepJob } from '../../infra/queue/daily-sweep.job';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue } from '../../infra/queue';
import { UsersService } from './users.service';

export const USERS_DISABLE_EXPIRED_KEY = 'users-disable-expired';

/** The daily sweep that disables temporary accounts past their `expiresAt` (login refuses them already). */
@Injectable()
export class UsersExpiryJob extends DailySweepJob {
  constructor(
    private readonly users: UsersService,
    jobs: JobQueue,
    config: AppConfig,
  ) {
    super(jobs, {
      job: JobName.UsersDisableExpired,
      key: USERS_DISABLE_EXPIRED_KEY,
      cron: config.users.disableExpiredCron,
    });
  }

  @JobHandler(JobName.UsersDisableExpired)
  handle(_payload: JobPayloads[JobName.UsersDisableExpired], _context: JobContext): Promise<void> {
    return this.run();
  }

  protected async sweep(): Promise<number> {
    return (await this.users.disableExpired()).disabled;
  }

  protected describe(count: number): string {
    return `已停用 ${count} 个过期临时账号`;
  }
}
