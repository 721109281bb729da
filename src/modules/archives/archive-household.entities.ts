import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation as Ref,
} from 'typeorm';
import type { HealthState, IncomeKind, Relation, SchoolingStage } from './archive.enums';
import { ArchiveEntity } from './archive.entity';

/** A household member other than the head. */
@Entity('archive_members')
export class ArchiveMemberEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_archive_members_archive')
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, (a) => a.members, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_members_archive' })
  // Ref<> (TypeORM's Relation) keeps the class out of the emitted design:type: the two files import each other.
  archive?: Ref<ArchiveEntity>;

  @Column({ type: 'varchar', length: 16 })
  relation!: Relation;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'text' })
  idNumberCiphertext!: string;

  @Column({ type: 'varchar', length: 64 })
  @Index('idx_archive_members_id_bidx')
  idNumberBlindIndex!: string;

  @Column({ type: 'date' })
  birthDate!: string;

  @Column({ type: 'varchar', length: 8 })
  gender!: 'male' | 'female';

  @Column({ type: 'varchar', length: 100, nullable: true })
  occupation!: string | null;

  @Column({ type: 'int', default: 0 })
  monthlyIncomeFen!: number;

  @Column({ type: 'varchar', length: 20 })
  health!: HealthState;

  @Column({ type: 'varchar', length: 20 })
  schoolingStage!: SchoolingStage;

  @Column({ type: 'int', default: 0 })
  position!: number;
}

/** Other monthly household income: pensions, benefits, rent, a small business … */
@Entity('archive_income_items')
export class ArchiveIncomeItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_archive_income_items_archive')
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, (a) => a.incomeItems, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_archive_income_items_archive' })
  // Ref<> (TypeORM's Relation) keeps the class out of the emitted design:type: the two files import each other.
  archive?: Ref<ArchiveEntity>;

  @Column({ type: 'varchar', length: 24 })
  kind!: IncomeKind;

  @Column({ type: 'int' })
  monthlyAmountFen!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'int', default: 0 })
  position!: number;
}
