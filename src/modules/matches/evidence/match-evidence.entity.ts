import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { EvidenceMimeType } from '../../archives/evidence/evidence.enums';
import { MatchEntity } from '../match.entity';

/**
 * A file proving delivery of a match (交付凭证: a signed receipt, a photo of the handover, a payment
 * slip), attached by whoever delivers it. The bytes live in ObjectStorage under `storageKey` (prefix
 * `match-evidence`), as archive evidence does; this row is the only link to them and is never deleted
 * (delivery evidence stays for the record and the audit).
 */
@Entity('match_evidence')
// One copy of the same bytes per match (double taps on a phone); also serves the list query.
@Index('uq_match_evidence_match_sha256', ['matchId', 'sha256'], { unique: true })
export class MatchEvidenceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  matchId!: string;

  @ManyToOne(() => MatchEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'match_id', foreignKeyConstraintName: 'fk_match_evidence_match' })
  match?: MatchEntity;

  /** Sanitised for display and the download name; never used as a path. */
  @Column({ type: 'varchar', length: 100 })
  fileName!: string;

  /** Detected from the content's first bytes (PDF, JPEG, PNG). */
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

  /** partner | staff: who attached it. */
  @Column({ type: 'varchar', length: 8 })
  uploadedByKind!: 'partner' | 'staff';

  @Column({ type: 'timestamptz' })
  uploadedAt!: Date;
}
