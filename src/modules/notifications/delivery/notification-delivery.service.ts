import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { AppConfig } from '../../../config';
import { JobContext, JobHandler, JobName, JobPayloads, JobQueue, RETRY } from '../../../infra/queue';
import { NotificationsRepository } from '../notifications.repository';
import { DELIVERY_CHANNEL, type DeliveryChannel } from './delivery-channel';

export const NOTIFICATIONS_DELIVER_KEY = 'notifications-deliver';
const MAX_RETRY_DELAY_MS = 600_000;

/** Wait before the next try after `attempts` failed ones: 2 s, 4 s, 8 s … capped at 10 minutes. */
export function deliveryRetryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** Math.min(attempts, 20));
}

export interface DeliveryReport {
  sent: number;
  skipped: number;
  retrying: number;
  failed: number;
}

/**
 * Delivers pending notifications through the configured channel, at least once: the rows are their own
 * outbox (written in the event's transaction), a repeatable job polls them, and a commit that wrote some
 * nudges the job at once (a TypeORM transaction subscriber; a rolled-back transaction nudges nothing).
 * A failed try is retried with backoff up to `notifications.maxAttempts`, then the row is `failed`.
 */
@Injectable()
export class NotificationDeliveryService implements OnApplicationBootstrap, EntitySubscriberInterface {
  private readonly logger = new Logger('Notifications');
  /** Transactions (by query runner) that wrote notifications and have not ended yet. */
  private readonly waiting = new WeakSet<QueryRunner>();

  constructor(
    private readonly repository: NotificationsRepository,
    @Inject(DELIVERY_CHANNEL) private readonly channel: DeliveryChannel,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    @InjectDataSource() dataSource: DataSource,
  ) {
    dataSource.subscribers.push(this);
  }

  async onApplicationBootstrap(): Promise<void> {
    // The API and the worker may both run this; the key makes it one schedule.
    await this.jobs.schedule(
      JobName.NotificationsDeliver,
      {},
      {
        key: NOTIFICATIONS_DELIVER_KEY,
        everyMs: this.config.notifications.pollIntervalMs,
        retry: RETRY.none,
      },
    );
  }

  /** Called by NotificationsService.notify: nudge the job once `manager`'s transaction commits. */
  deliverAfterCommit(manager: EntityManager): void {
    if (manager.queryRunner) this.waiting.add(manager.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    // A released savepoint is not the end: wait for the outermost commit.
    if (!this.waiting.has(runner) || runner.isTransactionActive) return;
    this.waiting.delete(runner);
    void this.nudge();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.waiting.delete(event.queryRunner);
  }

  /** Asks for a delivery run now; a run already waiting absorbs it. Never fails the caller. */
  async nudge(): Promise<void> {
    try {
      await this.jobs.enqueue(
        JobName.NotificationsDeliver,
        {},
        { jobId: NOTIFICATIONS_DELIVER_KEY, retry: RETRY.none },
      );
    } catch (error) {
      this.logger.warn({ err: error }, '无法触发消息投递任务，将由定时任务处理');
    }
  }

  @JobHandler(JobName.NotificationsDeliver)
  async handle(_payload: JobPayloads[JobName.NotificationsDeliver], _context: JobContext): Promise<void> {
    for (;;) {
      const report = await this.deliverBatch();
      const handled = report.sent + report.skipped + report.retrying + report.failed;
      if (handled < this.config.notifications.batchSize) return;
    }
  }

  /** Delivers one batch of due rows. */
  async deliverBatch(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, skipped: 0, retrying: 0, failed: 0 };
    await this.repository.withDueBatch(this.config.notifications.batchSize, async (rows, manager) => {
      for (const row of rows) {
        try {
          const outcome = await this.channel.deliver({
            notificationId: row.id,
            recipientId: row.recipientId,
            event: row.event,
            title: row.title,
            body: row.body,
          });
          await this.repository.markDelivered(manager, row.id, outcome);
          report[outcome] += 1;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const attempts = row.deliveryAttempts + 1;
          const giveUp = attempts >= this.config.notifications.maxAttempts;
          await this.repository.markAttemptFailed(
            manager,
            row.id,
            message,
            giveUp ? null : deliveryRetryDelayMs(attempts),
          );
          report[giveUp ? 'failed' : 'retrying'] += 1;
          this.logger.warn(
            { notificationId: row.id, channel: this.channel.name, attempts, err: message },
            giveUp ? '消息投递失败，不再重试' : '消息投递失败，稍后重试',
          );
        }
      }
    });
    return report;
  }
}
