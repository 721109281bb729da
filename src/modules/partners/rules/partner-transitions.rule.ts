import type { PartnerStatus } from '../partner.enums';

/** Vetting actions of a reviewer. */
export const PARTNER_VETTING_ACTIONS = ['approve', 'reject', 'suspend', 'reinstate'] as const;
export type PartnerVettingAction = (typeof PARTNER_VETTING_ACTIONS)[number];

/**
 * The vetting state machine, all of it:
 *   pending   --approve-->   approved     pending   --reject-->   rejected
 *   rejected  --approve-->   approved     (a reviewer reconsiders, e.g. after the documents arrive:
 *                                         the credit code stays registered, so re-registering is no way back)
 *   approved  --suspend-->   suspended    suspended --reinstate--> approved
 * Everything else is refused (409 naming the current state).
 */
const TRANSITIONS: Record<PartnerVettingAction, { from: readonly PartnerStatus[]; to: PartnerStatus }> = {
  approve: { from: ['pending', 'rejected'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  suspend: { from: ['approved'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'approved' },
};

/** Actions whose reason is required (it is shown to the partner and kept in the audit log). */
export const REASON_REQUIRED: ReadonlySet<PartnerVettingAction> = new Set(['reject', 'suspend']);

/** The state `action` leads to from `current`, or null if the machine does not allow it. */
export function partnerTransition(
  current: PartnerStatus,
  action: PartnerVettingAction,
): PartnerStatus | null {
  const transition = TRANSITIONS[action];
  return transition.from.includes(current) ? transition.to : null;
}
