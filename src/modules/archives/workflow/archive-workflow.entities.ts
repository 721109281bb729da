import {
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { ArchiveStatus } from '../archive.enums';
import { ArchiveEntity } from '../archive.entity';

/** The home-visit record of a verification (入户核实). Visitors are staff names, not the household's. */
export interface HomeVisitRecord {
  date: string;
  visitors: string[];
  findings: string;
}

/**
 * One workflow step of an archive, written in the transaction that made it: who (and in which role),
 * when, from which status to which, with the note, return/reject reasons and the visit record. The
 * archive's history is these rows merged with its field-level versions.
 */
@Entity('archive_events')
@Index('idx_archive_events_archive_at', ['archiveId', 'at'])
export class ArchiveEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_events_archive' })
  archive?: ArchiveEntity;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** Insertion order: steps in one transaction (or at one clock reading) keep their order. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  /** The archive's version after the step (the same as before when the step changed no field). */
  @Column({ type: 'int' })
  archiveVersion!: number;

  /** Null for the daily jobs. */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** The capacity the step was taken in: a staff role, `worker` (the owner) or `system`. */
  @Column({ type: 'varchar', length: 16 })
  actorRole!: string;

  @Column({ type: 'varchar', length: 24 })
  command!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  decision!: string | null;

  @Column({ type: 'varchar', length: 16 })
  fromStatus!: ArchiveStatus;

  @Column({ type: 'varchar', length: 16 })
  toStatus!: ArchiveStatus;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Reasons of a return or rejection, shown to the submitter. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  reasons!: string[];

  @Column({ type: 'jsonb', nullable: true })
  visit!: HomeVisitRecord | null;

  /** Step facts that are not personal data: cancel reason, transfer units, archive number, objection id. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}

export const OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/** An objection (异议) lodged, without login, against an archive during its public notice. */
@Entity('archive_objections')
@Index('idx_archive_objections_archive_status', ['archiveId', 'status'])
export class ArchiveObjectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_objections_archive' })
  archive?: ArchiveEntity;

  @Column({ type: 'timestamptz' })
  lodgedAt!: Date;

  /** The notice the objection was lodged against (an archive can be publicized more than once). */
  @Column({ type: 'date' })
  noticeStartsOn!: string;

  @Column({ type: 'text' })
  reason!: string;

  /** The objector's phone, if given (FieldCipher token): staff may call back. */
  @Column({ type: 'text', nullable: true })
  contactCiphertext!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: ObjectionStatus;

  @Column({ type: 'text', nullable: true })
  resolutionNote!: string | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}

/** The last archive number given per region and year: `<region>-<year>-<seq>` without gaps or races. */
@Entity('archive_number_counters')
export class ArchiveNumberCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 6 })
  regionCode!: string;

  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'int' })
  last!: number;
}

export const ARCHIVE_WORKFLOW_ENTITIES = [
  ArchiveEventEntity,
  ArchiveObjectionEntity,
  ArchiveNumberCounterEntity,
];
