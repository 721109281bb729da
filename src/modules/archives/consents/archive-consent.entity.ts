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
import { ArchiveEntity } from '../archive.entity';
import { ArchiveMemberEntity } from '../archive-household.entities';

/** What the data is processed for; `archive_management` is required before submission. */
export const CONSENT_PURPOSES = ['archive_management', 'assistance_matching', 'partner_disclosure'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** PIPL art. 29: sensitive data (health, income, minors' data) needs its own, separate consent. */
export const CONSENT_KINDS = ['general', 'sensitive'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export const CONSENT_SUBJECTS = ['head', 'member'] as const;
export type ConsentSubject = (typeof CONSENT_SUBJECTS)[number];

/**
 * Why the system withdrew a consent: a consent is the person's, so it stops counting when the record
 * now names someone else (the ID number was changed) or the member left the household. The row stays
 * as proof of what was agreed (PIPL).
 */
export const CONSENT_WITHDRAWAL_REASONS = ['subject-id-changed', 'member-removed'] as const;
export type ConsentWithdrawalReason = (typeof CONSENT_WITHDRAWAL_REASONS)[number];

/**
 * A consent the household gave (on paper or in the portal) and a staff member or the worker recorded.
 * Rows are never updated: a withdrawal sets `withdrawnAt` and a renewed consent is a new row. A removed
 * member's consents are withdrawn and then lose their `memberId` (ON DELETE SET NULL), never deleted.
 */
@Entity('archive_consents')
@Index('idx_archive_consents_archive', ['archiveId', 'subject', 'memberId'])
@Check(
  'chk_archive_consents_subject',
  `("subject" = 'head' AND "member_id" IS NULL) OR ("subject" = 'member' AND ("member_id" IS NOT NULL OR "withdrawn_at" IS NOT NULL))`,
)
@Check('chk_archive_consents_guardian', `NOT "by_guardian" OR "guardian_name" IS NOT NULL`)
export class ArchiveConsentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_consents_archive' })
  archive?: ArchiveEntity;

  @Column({ type: 'varchar', length: 8 })
  subject!: ConsentSubject;

  /**
   * The member the consent is about (subject `member`); the head's consents have none, nor do consents
   * of a member since removed (withdrawn first, so they never count).
   */
  @Column({ type: 'uuid', nullable: true })
  memberId!: string | null;

  @ManyToOne(() => ArchiveMemberEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'fk_archive_consents_member' })
  member?: ArchiveMemberEntity;

  @Column({ type: 'varchar', length: 32 })
  purpose!: ConsentPurpose;

  @Column({ type: 'varchar', length: 16 })
  kind!: ConsentKind;

  /** Version of the consent text the person agreed to (告知同意书版本). */
  @Column({ type: 'varchar', length: 20 })
  textVersion!: string;

  @Column({ type: 'timestamptz' })
  grantedAt!: Date;

  @Column({ type: 'uuid' })
  recordedBy!: string;

  /** Given by a parent or guardian (required for members under 14, PIPL art. 31). */
  @Column({ type: 'boolean', default: false })
  byGuardian!: boolean;

  @Column({ type: 'varchar', length: 50, nullable: true })
  guardianName!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  /** Set when the system withdrew it (see CONSENT_WITHDRAWAL_REASONS); null for a person's own withdrawal. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  withdrawalReason!: ConsentWithdrawalReason | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
