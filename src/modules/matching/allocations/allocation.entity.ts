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
  VersionColumn,
} from 'typeorm';
import { NeedEntity } from '../../needs/need.entity';
import { OfferEntity } from '../../offers/offer.entity';
import { OrgUnitEntity } from '../../org-units/org-unit.entity';
import { UserEntity } from '../../users/user.entity';
import type { AllocationStrategy } from '../allocation/instance';
import type { ScoreTerm } from '../scoring/score';
import type {
  AllocationNeedFilter,
  AllocationOfferFilter,
  AllocationPhase,
  AllocationState,
  UnassignedReason,
} from './allocations.enums';

/**
 * A batch allocation (批量分配, issue 12 §4): the request (scope, offers, needs, strategy, K), the job's
 * progress, and once solved the totals of the stored plan. Its lines are allocation_lines. A plan is
 * computed, stored, shown and discarded here; turning its lines into matches is the match lifecycle's.
 *
 * `total` is the stored plan's score (integer, scores × 10⁴); for `optimal`, `bound` is the dual objective
 * and `total = bound` is the proof of optimality; `greedyTotal` is what taking edges by score would give.
 */
@Entity('allocations')
@Check('chk_allocations_state', `"state" IN ('queued','running','done','failed','discarded')`)
@Check('chk_allocations_phase', `"phase" IS NULL OR "phase" IN ('candidates','solving','saving')`)
@Check('chk_allocations_strategy', `"strategy" IN ('optimal','greedy')`)
@Check('chk_allocations_k', `"max_candidates_per_need" BETWEEN 1 AND 200`)
@Check('chk_allocations_progress', `"progress_done" >= 0 AND "progress_total" >= 0`)
@Check('chk_allocations_done', `("state" = 'done') <= ("total" IS NOT NULL AND "finished_at" IS NOT NULL)`)
@Check('chk_allocations_failed', `("state" = 'failed') = ("error_code" IS NOT NULL)`)
@Check('chk_allocations_discarded', `("state" = 'discarded') = ("discarded_at" IS NOT NULL)`)
@Index('idx_allocations_unit_created', ['orgUnitId', 'createdAt'])
export class AllocationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The scope: needs of this unit's subtree. */
  @Column({ type: 'uuid' })
  orgUnitId!: string;

  @ManyToOne(() => OrgUnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnitEntity;

  @Column({ type: 'varchar', length: 16 })
  strategy!: AllocationStrategy;

  @Column({ type: 'int' })
  maxCandidatesPerNeed!: number;

  /** Offers named one by one; null when `offerFilter` chose them. */
  @Column({ type: 'uuid', array: true, nullable: true })
  offerIds!: string[] | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  offerFilter!: AllocationOfferFilter;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  needFilter!: AllocationNeedFilter;

  @Column({ type: 'varchar', length: 16 })
  state!: AllocationState;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phase!: AllocationPhase | null;

  @Column({ type: 'int', default: 0 })
  progressDone!: number;

  @Column({ type: 'int', default: 0 })
  progressTotal!: number;

  @Column({ type: 'int', nullable: true })
  needCount!: number | null;

  @Column({ type: 'int', nullable: true })
  offerCount!: number | null;

  @Column({ type: 'int', nullable: true })
  edgeCount!: number | null;

  @Column({ type: 'bigint', nullable: true })
  total!: string | null;

  @Column({ type: 'bigint', nullable: true })
  bound!: string | null;

  @Column({ type: 'bigint', nullable: true })
  optimalTotal!: string | null;

  @Column({ type: 'bigint', nullable: true })
  greedyTotal!: string | null;

  @Column({ type: 'int', nullable: true })
  assigned!: number | null;

  /** Wall time of the solve (both strategies), in milliseconds. */
  @Column({ type: 'int', nullable: true })
  solveMs!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by' })
  creator?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  discardedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  discardedBy!: string | null;

  @VersionColumn()
  version!: number;
}

/**
 * One need of a solved plan: the offer it gets with the pair's score (integer) and its breakdown, or —
 * no offer — why it stays unassigned.
 */
@Entity('allocation_lines')
@Check(
  'chk_allocation_lines_reason',
  `("offer_id" IS NULL) = ("reason" IS NOT NULL) AND ("reason" IS NULL OR "reason" IN ('no_eligible_offer','capacity_taken','changed_during_run'))`,
)
@Check(
  'chk_allocation_lines_score',
  `("offer_id" IS NULL) = ("score" IS NULL) AND ("score" IS NULL OR "score" > 0)`,
)
@Index('idx_allocation_lines_offer', ['allocationId', 'offerId'])
export class AllocationLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  allocationId!: string;

  @ManyToOne(() => AllocationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'allocation_id' })
  allocation?: AllocationEntity;

  @PrimaryColumn({ type: 'uuid' })
  needId!: string;

  @ManyToOne(() => NeedEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'need_id' })
  need?: NeedEntity;

  @Column({ type: 'uuid', nullable: true })
  offerId!: string | null;

  @ManyToOne(() => OfferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offer_id' })
  offer?: OfferEntity;

  /** The pair's score × 10⁴ (what the solver summed). */
  @Column({ type: 'int', nullable: true })
  score!: number | null;

  /** The pair’s terms as suggestions show them (factor, label, weight, value, contribution). */
  @Column({ type: 'jsonb', nullable: true })
  breakdown!: ScoreTerm[] | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reason!: UnassignedReason | null;
}
