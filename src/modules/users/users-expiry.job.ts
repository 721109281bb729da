import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue, RETRY } from '../../infra/queue';
import { UsersService } from './users.service';

export const USERS_DISABLE_EXPIRED_KEY = 'users-disable-expired';

/** The daily sweep that disables temporary accounts past their `expiresAt` (login refuses them already). */
@Injectable()
export class UsersExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersExpiryJob.name);

  constructor(
    private readonly users: UsersService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The API and the worker may both run this; the key makes it one schedule.
    await this.jobs.schedule(
      JobName.UsersDisableExpired,
      {},
      { key: USERS_DISABLE_EXPIRED_KEY, cron: this.config.users.disableExpiredCron, retry: RETRY.standard },
    );
  }

  @JobHandler(JobName.UsersDisableExpired)
  async handle(_payload: JobPayloads[JobName.UsersDisableExpired], _context: JobContext): Promise<void> {
    const { disabled } = await this.users.disableExpired();
    if (disabled > 0) this.logger.log(`已停用 ${disabled} 个过期临时账号`);
  }
}
