import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ArchiveCategory, IncomeKind } from '../archive.enums';
import { ArchiveEntity } from '../archive.entity';

export const CHANGE_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];

/** What a change request would change on an active archive: its category and what its income is made of. */
export interface ProposedChange {
  category?: ArchiveCategory;
  headMonthlyIncomeFen?: number;
  /** The whole list of other income items, as it would be. */
  incomeItems?: Array<{ kind: IncomeKind; monthlyAmountFen: number; note: string | null }>;
  /** New monthly incomes of some members (by member id). */
  memberIncomes?: Array<{ memberId: string; monthlyIncomeFen: number }>;
}

/**
 * 变更申请: a change of category or income of an active archive, entered by a caseworker and applied only
 * when a reviewer in scope (not the requester) approves it; one pending request per archive.
 */
@Entity('archive_change_requests')
@Index('uq_archive_change_requests_pending', ['archiveId'], { unique: true, where: `status = 'pending'` })
export class ArchiveChangeRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_change_requests_archive' })
  archive?: ArchiveEntity;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: ChangeRequestStatus;

  /** The archive version the request was made on. */
  @Column({ type: 'int' })
  baseVersion!: number;

  @Column({ type: 'jsonb' })
  changes!: ProposedChange;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionNote!: string | null;
}
