import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobName, JobQueue } from '../queue';
import { OutboxOperation } from './outbox.entity';
import { OutboxRepository } from './outbox.repository';

export const OUTBOX_RELAY_JOB_ID = 'outbox-relay';

/**
 * Writes "index this document again" next to the domain change, in the same transaction, so the search
 * engines can never miss a committed change (and never see an uncommitted one).
 *
 *   await dataSource.transaction(async (manager) => {
 *     await manager.save(offer);
 *     await outbox.record(manager, 'offers', [offer.id]);
 *   });
 *   await outbox.nudge();   // optional: relay now instead of at the next poll
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(
    private readonly repository: OutboxRepository,
    private readonly jobs: JobQueue,
  ) {}

  async record(
    manager: EntityManager,
    indexName: string,
    documentIds: string[],
    operation: OutboxOperation = 'upsert',
  ): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxService.record 必须在事务中调用 (must run inside the domain transaction)');
    }
    await this.repository.insert(
      manager,
      [...new Set(documentIds)].map((documentId) => ({ indexName, documentId, operation })),
    );
  }

  /** Asks for a relay run soon; a run already waiting absorbs it. Never fails the caller. */
  async nudge(): Promise<void> {
    try {
      await this.jobs.enqueue(JobName.OutboxRelay, {}, { jobId: OUTBOX_RELAY_JOB_ID });
    } catch (error) {
      // The repeatable relay picks the rows up anyway; a queue hiccup must not fail a committed write.
      this.logger.warn({ err: error }, '无法触发搜索同步任务，将由定时任务处理');
    }
  }

  pendingCount(): Promise<number> {
    return this.repository.pendingCount();
  }
}
