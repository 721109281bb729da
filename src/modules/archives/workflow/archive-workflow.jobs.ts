import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../config';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue, RETRY } from '../../../infra/queue';
import { ArchiveWorkflowService } from '../archive-workflow.service';

export const ARCHIVES_ACTIVATE_PUBLICIZED_KEY = 'archives-activate-publicized';
export const ARCHIVES_CANCEL_EXPIRED_TEMPORARY_KEY = 'archives-cancel-expired-temporary';
export const ARCHIVES_FLAG_STALE_KEY = 'archives-flag-stale';
export const ARCHIVES_END_RELAPSE_WATCH_KEY = 'archives-end-relapse-watch';
export const ARCHIVES_EXPIRE_DRAFTS_KEY = 'archives-expire-drafts';

/** The archive workflow's daily sweeps; each re-reads PostgreSQL and is safe to run again. */
@Injectable()
export class ArchiveWorkflowJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(ArchiveWorkflowJobs.name);

  constructor(
    private readonly workflow: ArchiveWorkflowService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const {
      activatePublicizedCron,
      cancelExpiredTemporaryCron,
      flagStaleCron,
      endRelapseWatchCron,
      expireDraftsCron,
    } = this.config.archives;
    // The API and the worker may both run this; the keys make each one schedule.
    await this.jobs.schedule(
      JobName.ArchivesActivatePublicized,
      {},
      { key: ARCHIVES_ACTIVATE_PUBLICIZED_KEY, cron: activatePublicizedCron, retry: RETRY.standard },
    );
    await this.jobs.schedule(
      JobName.ArchivesCancelExpiredTemporary,
      {},
      { key: ARCHIVES_CANCEL_EXPIRED_TEMPORARY_KEY, cron: cancelExpiredTemporaryCron, retry: RETRY.standard },
    );
    await this.jobs.schedule(
      JobName.ArchivesFlagStale,
      {},
      { key: ARCHIVES_FLAG_STALE_KEY, cron: flagStaleCron, retry: RETRY.standard },
    );
    await this.jobs.schedule(
      JobName.ArchivesEndRelapseWatch,
      {},
      { key: ARCHIVES_END_RELAPSE_WATCH_KEY, cron: endRelapseWatchCron, retry: RETRY.standard },
    );
    await this.jobs.schedule(
      JobName.ArchivesExpireDrafts,
      {},
      { key: ARCHIVES_EXPIRE_DRAFTS_KEY, cron: expireDraftsCron, retry: RETRY.standard },
    );
  }

  @JobHandler(JobName.ArchivesActivatePublicized)
  async activatePublicized(
    _p: JobPayloads[JobName.ArchivesActivatePublicized],
    _c: JobContext,
  ): Promise<void> {
    const { activated } = await this.workflow.activatePublicized();
    if (activated > 0) this.logger.log(`公示期满，${activated} 份档案转为在档`);
  }

  @JobHandler(JobName.ArchivesCancelExpiredTemporary)
  async cancelExpiredTemporary(
    _p: JobPayloads[JobName.ArchivesCancelExpiredTemporary],
    _c: JobContext,
  ): Promise<void> {
    const { cancelled } = await this.workflow.cancelExpiredTemporary();
    if (cancelled > 0) this.logger.log(`已注销 ${cancelled} 份到期临时救助档案`);
  }

  @JobHandler(JobName.ArchivesExpireDrafts)
  async expireDrafts(_p: JobPayloads[JobName.ArchivesExpireDrafts], _c: JobContext): Promise<void> {
    const { expired } = await this.workflow.expireStaleDrafts();
    if (expired > 0) this.logger.log(`已注销 ${expired} 份长期未动的草稿档案`);
  }

  @JobHandler(JobName.ArchivesFlagStale)
  async flagStale(_p: JobPayloads[JobName.ArchivesFlagStale], _c: JobContext): Promise<void> {
    const { flagged, cleared } = await this.workflow.flagStale();
    if (flagged + cleared > 0) this.logger.log(`长期未核实标记：新增 ${flagged}，解除 ${cleared}`);
  }

  @JobHandler(JobName.ArchivesEndRelapseWatch)
  async endRelapseWatch(_p: JobPayloads[JobName.ArchivesEndRelapseWatch], _c: JobContext): Promise<void> {
    const { ended } = await this.workflow.endRelapseWatch();
    if (ended > 0) this.logger.log(`返困观察期满：${ended} 份脱困档案解除观察`);
  }
}
