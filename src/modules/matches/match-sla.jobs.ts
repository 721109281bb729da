import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config';
import { DailySweepJob } from '../../infra/queue/daily-sweep.job';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue } from '../../infra/queue';
import { MatchSlaService } from './match-sla.service';

export const MATCHES_SLA_SWEEP_KEY = 'matches-sla-sweep';

/** One SLA step of one stay of a match, at its time (MatchSlaScheduler enqueues it delayed). */
@Injectable()
export class MatchSlaStepJob {
  constructor(private readonly sla: MatchSlaService) {}

  @JobHandler(JobName.MatchSlaStep)
  async handle(payload: JobPayloads[JobName.MatchSlaStep], _context: JobContext): Promise<void> {
    await this.sla.runJob(payload);
  }
}

/** The daily sweep that does every SLA step a lost (or early) job missed. */
@Injectable()
export class MatchSlaSweepJob extends DailySweepJob {
  constructor(
    private readonly sla: MatchSlaService,
    jobs: JobQueue,
    config: AppConfig,
  ) {
    super(jobs, {
      job: JobName.MatchesSlaSweep,
      key: MATCHES_SLA_SWEEP_KEY,
      cron: config.matching.sla.sweepCron,
    });
  }

  @JobHandler(JobName.MatchesSlaSweep)
  handle(_payload: JobPayloads[JobName.MatchesSlaSweep], _context: JobContext): Promise<void> {
    return this.run();
  }

  protected sweep(): Promise<number> {
    return this.sla.sweep();
  }

  protected describe(count: number): string {
    return `匹配办理时限巡检补做了 ${count} 步（提醒、督办或超时终止）`;
  }
}
