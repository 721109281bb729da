import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { SchoolingStage } from '../archives/archive.enums';
import type { MenuBeneficiary, MenuCategory, MenuUnit } from './menu.enums';

/**
 * One item of the service menu (服务菜单) workers order from. Written from config/menu.yml at start and by
 * administrators; never deleted (needs and offers refer to it), deactivated instead.
 */
@Entity('menu_items')
@Index('uq_menu_items_code', ['code'], { unique: true })
@Check('chk_menu_items_code', `"code" ~ '^[a-z][a-z0-9_]{2,39}$'`)
@Check(
  'chk_menu_items_category',
  `"category" IN ('training','employment','donation','tuition','medical','legal','counseling','relief','care','policy')`,
)
@Check('chk_menu_items_unit', `"unit" IN ('slots','goods','yuan')`)
@Check('chk_menu_items_beneficiary', `"beneficiary" IN ('worker','any_member','member_in_stage')`)
@Check('chk_menu_items_stages', `("beneficiary" = 'member_in_stage') = (cardinality("stages") > 0)`)
@Check(
  'chk_menu_items_max_per_need',
  `"max_per_need" >= 1 AND "max_per_need" <= CASE WHEN "unit" = 'yuan' THEN 5000000 ELSE 1000 END`,
)
@Check('chk_menu_items_days', `"sla_days" BETWEEN 1 AND 365 AND "validity_days" BETWEEN 1 AND 730`)
@Check('chk_menu_items_temporary', `NOT "accepts_temporary_archive" OR "requires_active_archive"`)
export class MenuItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 16 })
  category!: MenuCategory;

  @Column({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'varchar', length: 300 })
  description!: string;

  @Column({ type: 'varchar', length: 8 })
  unit!: MenuUnit;

  /** Count per need (slots, goods), or fen for `yuan`. */
  @Column({ type: 'int' })
  maxPerNeed!: number;

  @Column({ type: 'boolean' })
  requiresActiveArchive!: boolean;

  /** A temporary (临时救助) archive suffices. */
  @Column({ type: 'boolean' })
  acceptsTemporaryArchive!: boolean;

  @Column({ type: 'varchar', length: 16 })
  beneficiary!: MenuBeneficiary;

  /** Schooling stages of `member_in_stage` items; empty otherwise. */
  @Column({ type: 'varchar', length: 16, array: true, default: () => `'{}'` })
  stages!: SchoolingStage[];

  @Column({ type: 'int' })
  slaDays!: number;

  @Column({ type: 'int' })
  validityDays!: number;

  /** Documents to bring, in order. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  documents!: string[];

  /** Tags a worker may pick, in order (trades for training and jobs, illnesses for medical aid). */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  tags!: string[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'int', default: 0 })
  sortOrder!: number;

  /** SHA-256 of the config/menu.yml entry last written; null for items an administrator created. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  configHash!: string | null;

  /** The administrator who last changed it; while null, a changed config/menu.yml entry replaces it. */
  @Column({ type: 'uuid', nullable: true })
  editedBy!: string | null;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
