import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The levels, top down: 全总 > 省 > 市 > 区县 > 基层 > 分工会 (branch unions of an enterprise union). */
export const ORG_LEVELS = ['national', 'province', 'city', 'district', 'grassroots', 'branch'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/**
 * A union unit in the tree. `path` is the materialized path of ids from the root, `/<root>/…/<self>/`,
 * so "this unit's subtree" is `path LIKE '<path>%'`, one indexed range scan (text_pattern_ops).
 */
@Entity('org_units')
@Index('idx_org_units_path', { synchronize: false }) // UNIQUE (path text_pattern_ops), created by hand in the migrations
// Backstops of the service's checks that also hold under concurrent creation: one national root (a
// partial unique index on a constant, created by hand), names unique among siblings.
@Index('uq_org_units_single_root', { synchronize: false })
@Index('uq_org_units_parent_name', ['parentId', 'name'], { unique: true })
@Check(
  'chk_org_units_level',
  `"level" IN ('national', 'province', 'city', 'district', 'grassroots', 'branch')`,
)
@Check('chk_org_units_industry_level', `NOT "industry" OR "level" IN ('province', 'city', 'district')`)
@Check('chk_org_units_region_code', `"region_code" ~ '^[0-9]{6}$'`)
@Check('chk_org_units_root_is_national', `("parent_id" IS NULL) = ("level" = 'national')`)
@Check('chk_org_units_path_ends_with_id', `"path" LIKE '%/' || "id"::text || '/'`)
export class OrgUnitEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  @Index('idx_org_units_parent')
  parentId!: string | null;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_org_units_parent' })
  parent?: OrgUnitEntity | null;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  level!: OrgLevel;

  /** 产业工会: an industry union at a federation's rank, covering its parent's area. */
  @Column({ type: 'boolean', default: false })
  industry!: boolean;

  /** GB/T 2260 administrative division code of the unit's area (6 digits). */
  @Column({ type: 'varchar', length: 6 })
  regionCode!: string;

  /**
   * Unique through `idx_org_units_path` alone (a UNIQUE text_pattern_ops index, created by hand): a second
   * plain unique index would double the write cost and, in a C-collation database, compete with it for
   * the prefix scans.
   */
  @Column({ type: 'text' })
  path!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
