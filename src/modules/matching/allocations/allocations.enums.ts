import type { MenuCategory } from '../../menu/menu.enums';
import type { NeedUrgency } from '../../needs/needs.enums';
import type { OfferKind } from '../../offers/offers.enums';

/**
 * A batch allocation's life: `queued` (the job is on its way) → `running` (phases below) → `done` (a
 * stored plan) or `failed` (error_code); `queued`, `running` or `done` → `discarded` by staff. A `done`
 * plan older than `matching.allocation.planMaxAgeMinutes` is stale: it is shown, not used, and run again.
 */
export const ALLOCATION_STATES = ['queued', 'running', 'done', 'failed', 'discarded'] as const;
export type AllocationState = (typeof ALLOCATION_STATES)[number];
export const DISCARDABLE_ALLOCATION_STATES: readonly AllocationState[] = ['queued', 'running', 'done'];

/** What a running allocation is doing: scoring candidate pairs, solving, writing the plan. */
export const ALLOCATION_PHASES = ['candidates', 'solving', 'saving'] as const;
export type AllocationPhase = (typeof ALLOCATION_PHASES)[number];

/**
 * Why a need in scope got no offer: no offer passed its hard filters; its candidates' capacity went to
 * needs that scored higher; or its line was dropped because the need or the offer changed while the job
 * ran (the need left `open`, the offer closed or its remaining capacity fell below the plan's lines).
 */
export const UNASSIGNED_REASONS = ['no_eligible_offer', 'capacity_taken', 'changed_during_run'] as const;
export type UnassignedReason = (typeof UNASSIGNED_REASONS)[number];

export const UNASSIGNED_REASON_MESSAGES: Readonly<Record<UnassignedReason, string>> = {
  no_eligible_offer: '没有符合条件的供给',
  capacity_taken: '候选供给的名额已分给得分更高的需求',
  changed_during_run: '计算期间需求或供给发生变化，本行已剔除',
};

/** Which offers enter the solve when they are not named one by one (all published offers reaching the scope). */
export interface AllocationOfferFilter {
  itemCodes?: string[];
  partnerIds?: string[];
  kinds?: OfferKind[];
}

/** Which of the scope's open needs enter the solve (default: all). */
export interface AllocationNeedFilter {
  itemCodes?: string[];
  categories?: MenuCategory[];
  urgencies?: NeedUrgency[];
}
