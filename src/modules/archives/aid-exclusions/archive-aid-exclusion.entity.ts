import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { ArchiveEntity } from '../archive.entity';

/**
 * 本年度不纳入帮扶: an active archive left out of one year's aid (e.g. the household refused help this
 * year, or is covered by another programme), with the reason — without cancelling the archive. One mark
 * per archive and year; rows are never edited.
 */
@Entity('archive_aid_exclusions')
@Unique('uq_archive_aid_exclusions_year', ['archiveId', 'year'])
@Check('chk_archive_aid_exclusions_year', `"year" BETWEEN 2000 AND 2100`)
export class ArchiveAidExclusionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_aid_exclusions_archive' })
  archive?: ArchiveEntity;

  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ type: 'uuid' })
  markedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  markedAt!: Date;
}
