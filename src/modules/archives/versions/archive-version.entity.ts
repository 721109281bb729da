import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ArchiveEntity } from '../archive.entity';

/** One changed field: `{ from, to }`, with ID numbers, phones and bank accounts masked. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/**
 * The archive's change history (版本记录): one row per saved version, the field-level diff against the
 * previous one. Personal identifiers in the diff are masked, so the history can be shown to anyone who
 * may read the archive without a reveal.
 */
@Entity('archive_versions')
@Index('uq_archive_versions_archive_version', ['archiveId', 'version'], { unique: true })
export class ArchiveVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_versions_archive' })
  archive?: ArchiveEntity;

  /** The archive's `version` after the change. */
  @Column({ type: 'int' })
  version!: number;

  /** The user who made the change; null for jobs. */
  @Column({ type: 'uuid', nullable: true })
  changedBy!: string | null;

  @Column({ type: 'timestamptz' })
  changedAt!: Date;

  /** `create`, `update`, or the workflow command that changed fields (`submit`, `transfer`, …). */
  @Column({ type: 'varchar', length: 32 })
  action!: string;

  /** Field path → { from, to }. */
  @Column({ type: 'jsonb' })
  diff!: Record<string, FieldChange>;
}
