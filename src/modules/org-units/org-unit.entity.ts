import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The five levels, top down: 全总 > 省 > 市 > 区县 > 基层. */
export const ORG_LEVELS = ['national', 'province', 'city', 'district', 'grassroots'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/**
 * A union unit in the tree. `path` is the materialized path of ids from the root, `/<root>/…/<self>/`,
 * so "this unit's subtree" is `path LIKE '<path>%'`, one indexed range scan (text_pattern_ops).
 */
@Entity('org_units')
@Index('idx_org_units_path', { synchronize: false }) // created by hand in the migration with text_pattern_ops
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

  /** GB/T 2260 administrative division code of the unit's area (6 digits). */
  @Column({ type: 'varchar', length: 6 })
  regionCode!: string;

  @Column({ type: 'text', unique: true })
  path!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
