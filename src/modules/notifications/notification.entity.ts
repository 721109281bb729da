import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { NotificationEvent, NotificationRefType } from './notification-events';

export const DELIVERY_STATES = ['pending', 'sent', 'skipped', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * One message in one account's inbox (站内消息), and its delivery through the configured channel. The row
 * is written in the transaction of the event it tells about; `delivery_state` pending makes it its own
 * outbox: the delivery job sends it after commit, retrying with backoff.
 */
@Entity('notifications')
@Check('chk_notifications_delivery_state', `"delivery_state" IN ('pending','sent','skipped','failed')`)
@Check('chk_notifications_ref', `("ref_type" IS NULL) = ("ref_id" IS NULL)`)
@Index('idx_notifications_recipient', ['recipientId', 'createdAt'])
@Index('idx_notifications_unread', ['recipientId'], { where: `"read_at" IS NULL` })
@Index('idx_notifications_delivery_due', ['nextAttemptAt'], { where: `"delivery_state" = 'pending'` })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  recipientId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'recipient_id', foreignKeyConstraintName: 'fk_notifications_recipient' })
  recipient?: UserEntity;

  @Column({ type: 'varchar', length: 40 })
  event!: NotificationEvent;

  @Column({ type: 'varchar', length: 60 })
  title!: string;

  @Column({ type: 'varchar', length: 300 })
  body!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  refType!: NotificationRefType | null;

  @Column({ type: 'uuid', nullable: true })
  refId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ type: 'varchar', length: 8, default: 'pending' })
  deliveryState!: DeliveryState;

  @Column({ type: 'int', default: 0 })
  deliveryAttempts!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** The channel's last error (never a phone number: the adapters word it themselves). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  lastError!: string | null;
}
