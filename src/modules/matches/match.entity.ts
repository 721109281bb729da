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
import type { Cause } from '../archives/archive.enums';
import { NeedEntity } from '../needs/need.entity';
import { OfferEntity } from '../offers/offer.entity';
import { PartnerEntity } from '../partners/partner.entity';
import type { DeclineReason, FollowUpChannel, MatchOutcome, MatchState } from './matches.enums';

/** The states on the active path (a need has at most one match in them: uq_matches_need_active). */
export const ACTIVE_MATCH_STATES_SQL = `'proposed','approved','accepted','in_progress','delivered','confirmed','followed_up'`;

/**
 * One need served by one offer (匹配), the unit of follow-up. `units` is what approval reserves of the
 * offer's capacity (1 for slots and cash beneficiaries, the goods count for goods); `amountFen` the cash
 * per beneficiary. The state moves only along match_state_transitions (a trigger, migration Matches).
 * Consent to disclose the beneficiary's contact to the partner is per match: `consentAt` set and
 * `consentRevokedAt` empty.
 */
@Entity('matches')
@Check(
  'chk_matches_state',
  `"state" IN ('proposed','approved','accepted','in_progress','delivered','confirmed','followed_up','closed','rejected','declined','cancelled','expired')`,
)
@Check('chk_matches_units', `"units" BETWEEN 1 AND 1000000`)
@Check(
  'chk_matches_decline',
  `("state" = 'declined') = ("decline_reason" IS NOT NULL) AND ("decline_reason" IS NULL OR "decline_reason" IN ('no_longer_available','not_eligible_on_contact','worker_unreachable','worker_refused','duplicate','other'))`,
)
@Check(
  'chk_matches_outcome',
  `("state" = 'closed') = ("outcome" IS NOT NULL) AND ("outcome" IS NULL OR "outcome" IN ('resolved','partially_resolved','unresolved'))`,
)
@Check(
  'chk_matches_cause_code',
  `"cause_code" IS NULL OR "cause_code" IN ('illness','disability','schooling','unemployment','low_income','accident','disaster','single_parent','other')`,
)
@Check('chk_matches_satisfaction', `"satisfaction" IS NULL OR "satisfaction" BETWEEN 1 AND 5`)
@Check(
  'chk_matches_follow_up_channel',
  `"follow_up_channel" IS NULL OR "follow_up_channel" IN ('phone','visit','online','via_union')`,
)
@Check(
  'chk_matches_consent_kind',
  `"consent_by_kind" IS NULL OR "consent_by_kind" IN ('worker','caseworker')`,
)
@Check(
  'chk_matches_amounts',
  `("amount_fen" IS NULL OR "amount_fen" > 0) AND ("delivered_amount_fen" IS NULL OR "delivered_amount_fen" > 0) AND ("delivered_goods_count" IS NULL OR "delivered_goods_count" > 0)`,
)
@Index('uq_matches_need_active', ['needId'], {
  unique: true,
  where: `state IN ('proposed','approved','accepted','in_progress','delivered','confirmed','followed_up')`,
})
@Index('idx_matches_offer_state', ['offerId', 'state'])
@Index('idx_matches_partner_state', ['partnerId', 'state'])
export class MatchEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  needId!: string;

  @ManyToOne(() => NeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id', foreignKeyConstraintName: 'fk_matches_need' })
  need?: NeedEntity;

  @Column({ type: 'uuid' })
  offerId!: string;

  @ManyToOne(() => OfferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offer_id', foreignKeyConstraintName: 'fk_matches_offer' })
  offer?: OfferEntity;

  @Column({ type: 'uuid' })
  partnerId!: string;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partner_id', foreignKeyConstraintName: 'fk_matches_partner' })
  partner?: PartnerEntity;

  /** The household (archive) the need is for. */
  @Column({ type: 'uuid' })
  @Index('idx_matches_archive')
  archiveId!: string;

  @ManyToOne(() => ArchiveEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'archive_id', foreignKeyConstraintName: 'fk_matches_archive' })
  archive?: ArchiveEntity;

  /** `head`, or the id of the archive member (as on the need). */
  @Column({ type: 'varchar', length: 36 })
  beneficiaryKey!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: MatchState;

  /** The staff member who proposed it; null for a batch plan line. */
  @Column({ type: 'uuid', nullable: true })
  proposedBy!: string | null;

  @Column({ type: 'varchar', length: 8 })
  proposedVia!: 'manual' | 'plan';

  @Column({ type: 'integer' })
  units!: number;

  /** Cash offers: the amount per beneficiary in fen. */
  @Column({ type: 'integer', nullable: true })
  amountFen!: number | null;

  /**
   * The cause of hardship (致困原因) the match addresses, fixed at approval (aid-cause.rule.ts): what
   * 不重复救助 judged, and what the ledger row at confirmation records. Null before approval.
   */
  @Column({ type: 'varchar', length: 20, nullable: true })
  causeCode!: Cause | null;

  @Column({ type: 'timestamptz', nullable: true })
  consentAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  consentBy!: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  consentByKind!: 'worker' | 'caseworker' | null;

  /** The signed archive consent (purpose partner_disclosure) a caseworker relied on. */
  @Column({ type: 'uuid', nullable: true })
  consentArchiveConsentId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  consentRevokedAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  declineReason!: DeclineReason | null;

  /** The pair (or the need) is left out of suggestions until this China date. */
  @Column({ type: 'date', nullable: true })
  parkedUntil!: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  parkScope!: 'pair' | 'need' | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  deliveryNote!: string | null;

  @Column({ type: 'integer', nullable: true })
  deliveredAmountFen!: number | null;

  @Column({ type: 'integer', nullable: true })
  deliveredGoodsCount!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** A caseworker confirming on the worker's behalf records why. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  confirmReason!: string | null;

  @Column({ type: 'date', nullable: true })
  followUpOn!: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  followUpChannel!: FollowUpChannel | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  followUpFindings!: string | null;

  @Column({ type: 'smallint', nullable: true })
  satisfaction!: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  outcome!: MatchOutcome | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  closeNote!: string | null;

  /** Why it was rejected or cancelled. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  exitNote!: string | null;

  @Column({ type: 'timestamptz' })
  stateChangedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}

/** One move of a match (who, when, from, to, note); the proposal has no `from`. Never updated or deleted. */
@Entity('match_history')
@Check('chk_match_history_actor', `"actor_kind" IN ('worker','partner','staff','system')`)
@Index('idx_match_history_match', ['matchId', 'id'])
export class MatchHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  matchId!: string;

  @ManyToOne(() => MatchEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'match_id', foreignKeyConstraintName: 'fk_match_history_match' })
  match?: MatchEntity;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 8 })
  actorKind!: 'worker' | 'partner' | 'staff' | 'system';

  @Column({ type: 'varchar', length: 16 })
  command!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromState!: MatchState | null;

  @Column({ type: 'varchar', length: 16 })
  toState!: MatchState;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;
}
