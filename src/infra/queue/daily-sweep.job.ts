import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { JobName } from './jobs';
import type { JobQueue } from './job-queue.service';
import { RETRY } from './queue.port';

/** What a daily sweep is: its job, the stable key of its schedule, and when it runs. */
export interface DailySweepSchedule {
  job: JobName;
  /** Stable schedule key: the API and the worker may both schedule it, the key makes it one. */
  key: string;
  /** Cron (5 or 6 fields, worker.timeZone), from the module's configuration. */
  cron: string;
}

/**
 * A daily sweep: scheduled once at start under a stable key, its handler runs the owning service's
 * sweep and logs how many records it moved. A subclass names its schedule, says what one run does and
 * what to log, and declares `@JobHandler(JobName.X) handle(...) { return this.run(); }` itself (the
 * handler's job name must be visible on the method for the start-up check).
 */
export abstract class DailySweepJob implements OnApplicationBootstrap {
  protected readonly logger: Logger;

  protected constructor(
    private readonly jobs: JobQueue,
    private readonly schedule: DailySweepSchedule,
  ) {
    this.logger = new Logger(new.target.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(
      this.schedule.job,
      {},
      { key: this.schedule.key, cron: this.schedule.cron, retry: RETRY.standard },
    );
  }

  /** One run of the sweep: how many records it moved. Idempotent (a job may run twice). */
  protected abstract sweep(): Promise<number>;

  /** The log line for a run that moved `count` records (runs that moved none log nothing). */
  protected abstract describe(count: number): string;

  /** The handler's body: runs the sweep, logs what it did. */
  protected async run(): Promise<void> {
    const count = await this.sweep();
    if (count > 0) this.logger.log(this.describe(count));
  }
}
