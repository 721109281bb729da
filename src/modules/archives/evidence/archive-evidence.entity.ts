import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ArchiveEntity } from '../archive.entity';
import type { EvidenceKind, EvidenceMimeType } from './evidence.enums';

/**
 * A supporting document of an archive (ID card, income proof, medical record …). The bytes live in
 * ObjectStorage under `storageKey`; this row is the only link to them. Deletion is soft: the row and the
 * file stay for the record (who uploaded what the reviewers saw), hidden from lists and downloads.
 */
@Entity('archive_evidence')
// One live copy of the same bytes per archive (double taps on a phone); also serves the list query.
@Index('uq_archive_evidence_archive_sha256', ['archiveId', 'sha256'], {
  unique: true,
  where: 'deleted_at IS NULL',
})
export class ArchiveEvidenceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  archiveId!: string;

  // RESTRICT: a row must never disappear while its file still exists (or the other way round).
  @ManyToOne(() => ArchiveEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_evidence_archive' })
  archive?: ArchiveEntity;

  @Column({ type: 'varchar', length: 32 })
  kind!: EvidenceKind;

  /** Sanitised for display and the download name; never used as a path. */
  @Column({ type: 'varchar', length: 100 })
  fileName!: string;

  /** Detected from the content's first bytes. */
  @Column({ type: 'varchar', length: 32 })
  mimeType!: EvidenceMimeType;

  @Column({ type: 'int' })
  sizeBytes!: number;

  /** Lower-case hex SHA-256, computed while storing; checked again on every download. */
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  storageKey!: string;

  @Column({ type: 'uuid' })
  uploadedBy!: string;

  @Column({ type: 'timestamptz' })
  uploadedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  deletedBy!: string | null;
}
