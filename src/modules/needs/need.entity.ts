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
  VersionColumn,
} from 'typeorm';
import { ArchiveEntity } from '../archives/archive.entity';
import { MenuItemEntity } from '../menu/menu-item.entity';
import type { ContactPreference, NeedMode, NeedRejectReason, NeedState, NeedUrgency } from './needs.enums';

/** The states a need never leaves, as SQL (the partial unique index and its test keep them equal). */
export const FINAL_STATES_SQL = `'closed','rejected','withdrawn','expired'`;

/**
 * A worker's order of one menu item for one person of its household (需求/点单). The description is the
 * worker's own text: it never reaches the search index nor an audit row. Amounts are counts, or fen for
 * `yuan` items.
 */
@Entity('needs')
@Check(
  'chk_needs_state',
  `"state" IN ('submitted','screening','open','matched','fulfilled','closed','rejected','withdrawn','expired')`,
)
@Check('chk_needs_urgency', `"urgency" IN ('normal','urgent','emergency')`)
@Check('chk_needs_mode', `"preferred_mode" IN ('onsite','online','any')`)
@Check('chk_needs_contact', `"contact_preference" IN ('phone','sms','visit','via_union')`)
@Check('chk_needs_quantity', `"quantity" BETWEEN 1 AND 5000000`)
@Check('chk_needs_region', `"region_code" ~ '^[0-9]{6}$'`)
@Check(
  'chk_needs_beneficiary',
  `"beneficiary_key" = 'head' OR "beneficiary_key" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`,
)
@Check('chk_needs_reject_reasons', `("state" = 'rejected') = (cardinality("reject_reasons") > 0)`)
@Check(
  'chk_needs_open_window',
  `"state" NOT IN ('open','matched','fulfilled','closed','expired') OR ("opened_at" IS NOT NULL AND "expires_at" > "opened_at")`,
)
@Index('uq_needs_open_per_beneficiary', ['archiveId', 'menuItemId', 'beneficiaryKey'], {
  unique: true,
  where: `state NOT IN ('closed','rejected','withdrawn','expired')`,
})
@Index('idx_needs_state_expiry', ['state', 'expiresAt'])
export class NeedEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_needs_archive')
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_needs_archive' })
  archive?: ArchiveEntity;

  @Column({ type: 'uuid' })
  menuItemId!: string;

  @ManyToOne(() => MenuItemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'menu_item_id', foreignKeyConstraintName: 'fk_needs_menu_item' })
  menuItem?: MenuItemEntity;

  /** `head`, or the id of the archive member the need is for. */
  @Column({ type: 'varchar', length: 36 })
  beneficiaryKey!: string;

  /** Slots or pieces; fen for `yuan` items. Bounded by the item's maxPerNeed when ordered. */
  @Column({ type: 'int' })
  quantity!: number;

  @Column({ type: 'varchar', length: 16 })
  urgency!: NeedUrgency;

  /** Picked from the item's tag list. */
  @Column({ type: 'varchar', length: 20, array: true, default: () => `'{}'` })
  tags!: string[];

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 8 })
  preferredMode!: NeedMode;

  /** GB/T 2260 code; defaults to the archive's. */
  @Column({ type: 'varchar', length: 6 })
  regionCode!: string;

  @Column({ type: 'varchar', length: 16 })
  contactPreference!: ContactPreference;

  @Column({ type: 'varchar', length: 16 })
  state!: NeedState;

  /** The automatic screening's rule codes or the reviewer's reasons, while `rejected`. */
  @Column({ type: 'varchar', length: 40, array: true, default: () => `'{}'` })
  rejectReasons!: NeedRejectReason[];

  /** Who ordered: the worker itself, or a caseworker on its behalf (`onBehalf`). */
  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'boolean', default: false })
  onBehalf!: boolean;

  /** When a reviewer opened it; validity runs from here. */
  @Column({ type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  /** openedAt + the item's validity days: the daily job expires it after. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz' })
  stateChangedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Optimistic lock: screen and withdraw name the version they read. */
  @VersionColumn()
  version!: number;
}

/** One move of a need (who, when, from, to, note); the creation has no `from`. Never updated or deleted. */
@Entity('need_history')
@Check('chk_need_history_actor', `"actor_kind" IN ('worker','staff','system')`)
@Index('idx_need_history_need', ['needId', 'id'])
export class NeedHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  needId!: string;

  @ManyToOne(() => NeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id', foreignKeyConstraintName: 'fk_need_history_need' })
  need?: NeedEntity;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 8 })
  actorKind!: 'worker' | 'staff' | 'system';

  @Column({ type: 'varchar', length: 16 })
  command!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromState!: NeedState | null;

  @Column({ type: 'varchar', length: 16 })
  toState!: NeedState;

  @Column({ type: 'varchar', length: 40, array: true, default: () => `'{}'` })
  reasons!: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;
}
