import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { ArchiveCategory, Cause, EmploymentStatus } from '../archives/archive.enums';
import { MenuItemEntity } from '../menu/menu-item.entity';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { PartnerEntity } from '../partners/partner.entity';
import type { OfferCloseReason, OfferKind, OfferReturnReason, OfferState } from './offers.enums';

/**
 * A partner's offer (供给): what it gives (menu items, kind, capacity), to whom (eligibility, scope),
 * where and when (location, validity), and whom a matched worker contacts. The contact mobile is stored
 * only encrypted (FieldCipher, bound to this row) and shown masked; it never reaches the search index.
 *
 * Capacity is counted in slots, pieces, or — for `cash` — beneficiaries (budget = capacity × the fixed
 * amount per beneficiary, in fen): `remaining = capacity − reserved − used` and `remaining ≥ 0` are
 * CHECKs, so no code path can oversell or lose count. The state moves only along offer_state_transitions
 * (a trigger, migration Offers).
 */
@Entity('offers')
@Check('chk_offers_state', `"state" IN ('draft','pending_review','published','paused','closed')`)
@Check('chk_offers_kind', `"kind" IN ('slots','goods','cash')`)
@Check(
  'chk_offers_closed_reason',
  `("state" = 'closed') = ("closed_reason" IS NOT NULL) AND ("closed_reason" IS NULL OR "closed_reason" IN ('exhausted','expired','withdrawn','partner_suspended'))`,
)
@Check('chk_offers_capacity', `"capacity" BETWEEN 1 AND 1000000 AND "reserved" >= 0 AND "used" >= 0`)
@Check('chk_offers_remaining_non_negative', `"remaining" >= 0`)
@Check('chk_offers_remaining', `"remaining" = "capacity" - "reserved" - "used"`)
@Check(
  'chk_offers_cash_amount',
  `("kind" = 'cash') = ("amount_per_beneficiary_fen" IS NOT NULL) AND ("amount_per_beneficiary_fen" IS NULL OR "amount_per_beneficiary_fen" BETWEEN 1 AND 500000000)`,
)
@Check(
  'chk_offers_declared_value',
  `"declared_value_fen" IS NULL OR ("kind" <> 'cash' AND "declared_value_fen" BETWEEN 1 AND 500000000)`,
)
@Check('chk_offers_validity', `"valid_until" >= "valid_from" AND "valid_until" - "valid_from" <= 731`)
@Check(
  'chk_offers_age',
  `("age_min" IS NULL OR "age_min" BETWEEN 0 AND 120) AND ("age_max" IS NULL OR "age_max" BETWEEN 0 AND 120) AND ("age_min" IS NULL OR "age_max" IS NULL OR "age_min" <= "age_max")`,
)
@Check(
  'chk_offers_income_factor',
  `"income_factor" IS NULL OR ("income_factor" > 0 AND "income_factor" <= 5)`,
)
@Check('chk_offers_limits', `"per_household_limit" BETWEEN 1 AND 100 AND "cooldown_days" BETWEEN 0 AND 3650`)
@Check('chk_offers_region', `"region_code" ~ '^[0-9]{6}$'`)
@Check(
  'chk_offers_scope_region',
  `"scope_region_prefix" IS NULL OR "scope_region_prefix" ~ '^([0-9]{2}){1,3}$'`,
)
@Check('chk_offers_scope', `"scope_org_unit_id" IS NOT NULL OR "scope_region_prefix" IS NOT NULL`)
@Check(
  'chk_offers_eligibility_sets',
  `"elig_categories" <@ ARRAY['dibao','marginal','accident']::varchar[] AND "elig_causes" <@ ARRAY['illness','disability','schooling','unemployment','low_income','accident','disaster','single_parent','other']::varchar[] AND "elig_employment" <@ ARRAY['employed','retired','laid_off','contract_terminated','migrant_worker']::varchar[]`,
)
@Check('chk_offers_title', `length(btrim("title")) > 0`)
@Check('chk_offers_return_reasons', `"state" = 'draft' OR cardinality("return_reasons") = 0`)
@Index('idx_offers_state_until', ['state', 'validUntil'])
export class OfferEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index('idx_offers_partner')
  partnerId!: string;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partner_id', foreignKeyConstraintName: 'fk_offers_partner' })
  partner?: PartnerEntity;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  /** The partner's own text; searchable (it is the partner's, not a worker's). */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 8 })
  kind!: OfferKind;

  /** Slots, pieces, or (cash) beneficiaries. */
  @Column({ type: 'int' })
  capacity!: number;

  /** Cash only: what each beneficiary receives, in fen. */
  @Column({ type: 'int', nullable: true })
  amountPerBeneficiaryFen!: number | null;

  /**
   * Slots and goods: the declared value of one place (per person) or one piece, in fen (申报价值), which
   * the aid ledger records at confirmation; null when not declared. Never set on cash offers.
   */
  @Column({ type: 'int', nullable: true })
  declaredValueFen!: number | null;

  /** Held by approved matches not yet delivered (the match lifecycle moves it). */
  @Column({ type: 'int', default: 0 })
  reserved!: number;

  /** Delivered. */
  @Column({ type: 'int', default: 0 })
  used!: number;

  /** capacity − reserved − used, never below zero (CHECKs). */
  @Column({ type: 'int' })
  remaining!: number;

  // ── eligibility (an empty list: any) ──
  @Column({ type: 'varchar', length: 16, array: true, default: () => `'{}'` })
  eligCategories!: ArchiveCategory[];

  @Column({ type: 'varchar', length: 16, array: true, default: () => `'{}'` })
  eligCauses!: Cause[];

  @Column({ type: 'varchar', length: 24, array: true, default: () => `'{}'` })
  eligEmployment!: EmploymentStatus[];

  /** The beneficiary's age in years, both ends inclusive. */
  @Column({ type: 'smallint', nullable: true })
  ageMin!: number | null;

  @Column({ type: 'smallint', nullable: true })
  ageMax!: number | null;

  /** Per-capita income ≤ this × the household's 低保 line (numeric, never float). */
  @Column({ type: 'numeric', precision: 4, scale: 2, nullable: true })
  incomeFactor!: string | null;

  @Column({ type: 'boolean', default: true })
  requiresActiveArchive!: boolean;

  // ── scope ──
  /** The org subtree it serves. */
  @Column({ type: 'uuid', nullable: true })
  scopeOrgUnitId!: string | null;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'scope_org_unit_id', foreignKeyConstraintName: 'fk_offers_scope_org_unit' })
  scopeOrgUnit?: OrgUnitEntity;

  /** GB/T 2260 prefix (2, 4 or 6 digits) of the area it serves; online offers ignore it. */
  @Column({ type: 'varchar', length: 6, nullable: true })
  scopeRegionPrefix!: string | null;

  @Column({ type: 'boolean', default: false })
  online!: boolean;

  // ── location ──
  @Column({ type: 'varchar', length: 6 })
  regionCode!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  /** China dates, both inclusive. */
  @Column({ type: 'date' })
  validFrom!: string;

  @Column({ type: 'date' })
  validUntil!: string;

  @Column({ type: 'smallint', default: 1 })
  perHouseholdLimit!: number;

  /** Days a household waits before this offer helps it again. */
  @Column({ type: 'smallint', default: 0 })
  cooldownDays!: number;

  // ── contact for matched workers ──
  @Column({ type: 'varchar', length: 50 })
  contactName!: string;

  /** AES-256-GCM (FieldCipher token bound to this row); never stored in clear. */
  @Column({ type: 'text' })
  contactPhoneCiphertext!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: OfferState;

  @Column({ type: 'varchar', length: 20, nullable: true })
  closedReason!: OfferCloseReason | null;

  /** The reviewer's reasons while a returned offer waits in draft. */
  @Column({ type: 'varchar', length: 32, array: true, default: () => `'{}'` })
  returnReasons!: OfferReturnReason[];

  @Column({ type: 'uuid' })
  createdBy!: string;

  /** Who last submitted it (or revised a live offer back into review): never the one who publishes. */
  @Column({ type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  stateChangedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Optimistic lock: every write names the version it read. */
  @VersionColumn()
  version!: number;
}

/** The menu items an offer serves (one or more; the service refuses none). */
@Entity('offer_items')
@Index('idx_offer_items_item', ['menuItemId'])
export class OfferItemEntity {
  @PrimaryColumn({ type: 'uuid' })
  offerId!: string;

  @PrimaryColumn({ type: 'uuid' })
  menuItemId!: string;

  @ManyToOne(() => OfferEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'offer_id', foreignKeyConstraintName: 'fk_offer_items_offer' })
  offer?: OfferEntity;

  @ManyToOne(() => MenuItemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'menu_item_id', foreignKeyConstraintName: 'fk_offer_items_menu_item' })
  menuItem?: MenuItemEntity;

  @Column({ type: 'smallint' })
  position!: number;
}

/** One move of an offer (who, when, from, to, reasons, note); the creation has no `from`. Never updated. */
@Entity('offer_history')
@Check('chk_offer_history_actor', `"actor_kind" IN ('partner','staff','system')`)
@Index('idx_offer_history_offer', ['offerId', 'id'])
export class OfferHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  offerId!: string;

  @ManyToOne(() => OfferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offer_id', foreignKeyConstraintName: 'fk_offer_history_offer' })
  offer?: OfferEntity;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 8 })
  actorKind!: 'partner' | 'staff' | 'system';

  @Column({ type: 'varchar', length: 16 })
  command!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromState!: OfferState | null;

  @Column({ type: 'varchar', length: 16 })
  toState!: OfferState;

  @Column({ type: 'varchar', length: 32, array: true, default: () => `'{}'` })
  reasons!: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;
}
