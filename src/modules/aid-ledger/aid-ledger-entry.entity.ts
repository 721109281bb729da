import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ArchiveEntity } from '../archives/archive.entity';
import type { Cause } from '../archives/archive.enums';
import { MenuItemEntity } from '../menu/menu-item.entity';
import type { MenuCategory } from '../menu/menu.enums';
import { OfferEntity } from '../offers/offer.entity';
import { PartnerEntity } from '../partners/partner.entity';
import type { ReceiptMode } from './aid-ledger.enums';

/**
 * One row of the aid ledger (帮扶台账): aid a household received, written when a match is confirmed.
 * Rows are never updated or deleted (a trigger refuses it, and the application's role may not): a
 * correction is a new row that `reverses` an earlier one, with the same facts and the value negated.
 */
@Entity('aid_ledger')
@Check(
  'chk_aid_ledger_category',
  `"category" IN ('training','employment','donation','tuition','medical','legal','counseling','relief','care','policy')`,
)
@Check(
  'chk_aid_ledger_cause',
  `"cause" IN ('illness','disability','schooling','unemployment','low_income','accident','disaster','single_parent','other')`,
)
@Check(
  'chk_aid_ledger_received_via',
  `"received_via" IN ('in_person','on_behalf','bank_transfer','delivered','online')`,
)
@Check(
  'chk_aid_ledger_sign',
  `("reverses" IS NULL AND "value_fen" >= 0) OR ("reverses" IS NOT NULL AND "value_fen" <= 0 AND "note" IS NOT NULL)`,
)
@Check('chk_aid_ledger_value', `"value_fen" BETWEEN -1000000000 AND 1000000000`)
@Index('idx_aid_ledger_archive_date', ['archiveId', 'aidDate'])
export class AidLedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The household (archive). */
  @Column({ type: 'uuid' })
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_aid_ledger_archive' })
  archive?: ArchiveEntity;

  /** `head`, or the id of the household member who benefited. */
  @Column({ type: 'varchar', length: 36 })
  beneficiaryKey!: string;

  @Index('idx_aid_ledger_offer')
  @Column({ type: 'uuid', nullable: true })
  offerId!: string | null;

  @ManyToOne(() => OfferEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'offer_id', foreignKeyConstraintName: 'fk_aid_ledger_offer' })
  offer?: OfferEntity;

  @Index('idx_aid_ledger_partner')
  @Column({ type: 'uuid', nullable: true })
  partnerId!: string | null;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'partner_id', foreignKeyConstraintName: 'fk_aid_ledger_partner' })
  partner?: PartnerEntity;

  @Column({ type: 'uuid', nullable: true })
  menuItemId!: string | null;

  @ManyToOne(() => MenuItemEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'menu_item_id', foreignKeyConstraintName: 'fk_aid_ledger_menu_item' })
  menuItem?: MenuItemEntity;

  @Column({ type: 'varchar', length: 16 })
  category!: MenuCategory;

  /** The cause of hardship (致困原因) the aid addressed: what 不重复救助 compares. */
  @Column({ type: 'varchar', length: 20 })
  cause!: Cause;

  /** Cash amount, or the declared value of goods or a service, in fen; negative on a reversal. */
  @Column({ type: 'integer' })
  valueFen!: number;

  /** The day the aid was received (YYYY-MM-DD, China time); a reversal carries the reversed row's. */
  @Index('idx_aid_ledger_date')
  @Column({ type: 'date' })
  aidDate!: string;

  @Column({ type: 'varchar', length: 16 })
  receivedVia!: ReceiptMode;

  /** The match it came from (no foreign key yet: the matches table belongs to the matches module). */
  @Index('idx_aid_ledger_match')
  @Column({ type: 'uuid', nullable: true })
  matchId!: string | null;

  /** On a correction: the row it reverses (at most one reversal per row). */
  @Index('uq_aid_ledger_reverses', { unique: true })
  @Column({ type: 'uuid', nullable: true })
  reverses!: string | null;

  @ManyToOne(() => AidLedgerEntryEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'reverses', foreignKeyConstraintName: 'fk_aid_ledger_reverses' })
  reversed?: AidLedgerEntryEntity;

  /** Why a reversal was made (required on one). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  /** Who recorded it (null: the system). */
  @Column({ type: 'uuid', nullable: true })
  recordedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
