import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData } from '../../common/masking';
import { pageOf, pageWindow } from '../../common/pagination/pagination';
import type { Principal } from '../auth/principal';
import { NotificationDeliveryService } from './delivery/notification-delivery.service';
import {
  ListNotificationsQueryDto,
  NotificationDto,
  NotificationPageDto,
  ReadAllResultDto,
  UnreadCountDto,
} from './dto/notifications.dto';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_LIMITS,
  NOTIFICATION_REF_TYPES,
  type NotificationEvent,
  type NotificationRefType,
} from './notification-events';
import type { NotificationEntity } from './notification.entity';
import { NotificationsErrorCode } from './notifications.errors';
import { NotificationsRepository } from './notifications.repository';

export interface NotifyInput {
  /** Account ids; duplicates are sent once. */
  recipients: readonly string[];
  event: NotificationEvent;
  /** Chinese text, normally from renderNotification(event, params). */
  title: string;
  body: string;
  ref?: { type: NotificationRefType; id: string };
}

/**
 * The in-app inbox (站内消息). `notify` writes the rows in the caller's transaction; after that
 * transaction commits, the delivery job sends them through the configured channel. Each account sees
 * and marks only its own (another's is 404, like an unknown id).
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly delivery: NotificationDeliveryService,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one inbox row per recipient inside `manager`'s transaction and asks for delivery once it
   * commits (nothing is sent if it rolls back). Text holding an ID, phone or bank card number, an
   * unknown event or text over the limits is a programming error and is thrown.
   */
  async notify(manager: EntityManager, input: NotifyInput): Promise<string[]> {
    if (!manager.queryRunner?.isTransactionActive)
      throw new Error(
        'NotificationsService.notify 必须在事务中调用 (must run inside the caller’s transaction)',
      );
    if (!(NOTIFICATION_EVENTS as readonly string[]).includes(input.event))
      throw new Error(`未登记的通知事件 (unknown notification event): ${input.event}`);
    const title = input.title.trim();
    const body = input.body.trim();
    if (!title || title.length > NOTIFICATION_LIMITS.title || !body || body.length > NOTIFICATION_LIMITS.body)
      throw new Error(`通知标题或正文长度不合规 (${input.event})`);
    if (findUnmaskedPersonalData(`${title}\n${body}`).length > 0)
      throw new Error(`通知内容不得包含身份证号、手机号或银行卡号 (${input.event})`);
    if (input.ref && !(NOTIFICATION_REF_TYPES as readonly string[]).includes(input.ref.type))
      throw new Error(`未登记的通知关联类型: ${input.ref.type}`);
    const recipients = [...new Set(input.recipients)];
    const ids = await this.repository.insertMany(
      manager,
      recipients.map((recipientId) => ({
        recipientId,
        event: input.event,
        title,
        body,
        refType: input.ref?.type ?? null,
        refId: input.ref?.id ?? null,
      })),
    );
    if (ids.length > 0) this.delivery.deliverAfterCommit(manager);
    return ids;
  }

  async list(principal: Principal, query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    const { rows, total } = await this.repository.inbox(
      principal.userId,
      query.unread === 'true',
      pageWindow(query),
    );
    return pageOf(rows.map(toDto), total, query);
  }

  async unreadCount(principal: Principal): Promise<UnreadCountDto> {
    return { count: await this.repository.unreadCount(principal.userId) };
  }

  /** Marks one of the caller's own notifications read (again: unchanged). Another's: 404. */
  async markRead(principal: Principal, id: string): Promise<NotificationDto> {
    const row = await this.repository.markRead(principal.userId, id, this.clock.now());
    if (!row) throw new DomainError(NotificationsErrorCode.NOTIFICATION_NOT_FOUND);
    return toDto(row);
  }

  async markAllRead(principal: Principal): Promise<ReadAllResultDto> {
    return { updated: await this.repository.markAllRead(principal.userId, this.clock.now()) };
  }
}

function toDto(row: NotificationEntity): NotificationDto {
  return {
    id: row.id,
    event: row.event,
    title: row.title,
    body: row.body,
    ref: row.refType && row.refId ? { type: row.refType, id: row.refId } : null,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}
