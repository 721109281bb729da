import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue, RETRY } from '../../infra/queue';
import { AuditSealer } from './audit-sealer';

export const AUDIT_SEAL_KEY = 'audit-seal';

/** Seals the audit chain every `audit.sealIntervalMs` (one schedule, whichever processes register it). */
@Injectable()
export class AuditSealJob implements OnApplicationBootstrap {
  constructor(
    private readonly sealer: AuditSealer,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(
      JobName.AuditSeal,
      {},
      { key: AUDIT_SEAL_KEY, everyMs: this.config.audit.sealIntervalMs, retry: RETRY.none },
    );
  }

  @JobHandler(JobName.AuditSeal)
  async handle(_payload: JobPayloads[JobName.AuditSeal], _context: JobContext): Promise<void> {
    await this.sealer.seal({ wait: false });
  }
}
