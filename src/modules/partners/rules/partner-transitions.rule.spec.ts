import { PARTNER_STATUSES, type PartnerStatus } from '../partner.enums';
import {
  PARTNER_VETTING_ACTIONS,
  partnerTransition,
  type PartnerVettingAction,
} from './partner-transitions.rule';

describe('partnerTransition (every state × every action)', () => {
  const expected: Record<PartnerStatus, Record<PartnerVettingAction, PartnerStatus | null>> = {
    pending: { approve: 'approved', reject: 'rejected', suspend: null, reinstate: null },
    approved: { approve: null, reject: null, suspend: 'suspended', reinstate: null },
    rejected: { approve: 'approved', reject: null, suspend: null, reinstate: null },
    suspended: { approve: null, reject: null, suspend: null, reinstate: 'approved' },
  };
  const cells = PARTNER_STATUSES.flatMap((from) =>
    PARTNER_VETTING_ACTIONS.map((action) => [from, action, expected[from][action]] as const),
  );
  it.each(cells)('%s --%s--> %s', (from, action, to) => {
    expect(partnerTransition(from, action)).toBe(to);
  });
});
