import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NotificationEvent, NotificationRefType } from './notification-events';
import { NotificationEntity } from './notification.entity';

export interface NewNotification {
  recipientId: string;
  event: NotificationEvent;
  title: string;
  body: string;
  refType: NotificationRefType | null;
  refId: string | null;
}

/** A row due for delivery. */
export interface DueNotification {
  id: string;
  recipientId: string;
  event: NotificationEvent;
  title: string;
  body: string;
  deliveryAttempts: number;
}

/** The only code that touches notifications. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertMany(manager: EntityManager, rows: NewNotification[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values(rows)
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((r) => r.id);
  }

  /** The recipient's inbox, newest first (`unread`: only those not read). */
  async inbox(
    recipientId: string,
    unread: boolean,
    window: { skip: number; take: number },
  ): Promise<{ rows: NotificationEntity[]; total: number }> {
    const query = this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.recipientId = :recipientId', { recipientId });
    if (unread) query.andWhere('n.readAt IS NULL');
    const [rows, total] = await query
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .skip(window.skip)
      .take(window.take)
      .getManyAndCount();
    return { rows, total };
  }

  async unreadCount(recipientId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1 AND read_at IS NULL`,
      [recipientId],
    );
    return (row as { n: number }).n;
  }

  /** Marks one of the recipient's own notifications read (the first time only); null if it has none by that id. */
  async markRead(recipientId: string, id: string, at: Date): Promise<NotificationEntity | null> {
    await this.dataSource.query(
      `UPDATE notifications SET read_at = $3 WHERE id = $1 AND recipient_id = $2 AND read_at IS NULL`,
      [id, recipientId, at],
    );
    return this.dataSource.getRepository(NotificationEntity).findOneBy({ id, recipientId });
  }

  async markAllRead(recipientId: string, at: Date): Promise<number> {
    const [, affected] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL`,
      [recipientId, at],
    )) as [unknown, number];
    return affected;
  }

  /**
   * Runs `work` on up to `limit` rows due for delivery, locked (SKIP LOCKED: two workers never take the
   * same row), in one transaction with what `work` marks.
   */
  withDueBatch<T>(
    limit: number,
    work: (rows: DueNotification[], manager: EntityManager) => Promise<T>,
  ): Promise<T | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const rows: DueNotification[] = await manager.query(
        `SELECT id, recipient_id AS "recipientId", event, title, body, delivery_attempts AS "deliveryAttempts"
           FROM notifications
          WHERE delivery_state = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at, id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return rows.length ? work(rows, manager) : undefined;
    });
  }

  async markDelivered(manager: EntityManager, id: string, state: 'sent' | 'skipped'): Promise<void> {
    await manager.query(
      `UPDATE notifications SET delivery_state = $2, delivered_at = now(), delivery_attempts = delivery_attempts + 1,
              last_error = NULL WHERE id = $1`,
      [id, state],
    );
  }

  /** A failed try: retried after `retryInMs`, or `failed` for good. */
  async markAttemptFailed(
    manager: EntityManager,
    id: string,
    error: string,
    retryInMs: number | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE notifications
          SET delivery_attempts = delivery_attempts + 1, last_error = $2,
              delivery_state = CASE WHEN $3::int IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = CASE WHEN $3::int IS NULL THEN next_attempt_at
                                     ELSE now() + ($3::int * interval '1 millisecond') END
        WHERE id = $1`,
      [id, error.slice(0, 200), retryInMs],
    );
  }
}
