import type { EntityManager } from 'typeorm';
import type { Cause } from '../../archives/archive.enums';
import type { MatchState } from '../matches.enums';

/** What the seams are told about a match. */
export interface MatchSeamFacts {
  matchId: string;
  needId: string;
  offerId: string;
  archiveId: string;
  partnerId: string;
  amountFen: number | null;
  units: number;
}

/** An approver's written reason to approve despite 不重复救助 (the caps are never overridden). */
export interface DuplicateCauseOverride {
  reason: string;
  approverId: string;
}

/**
 * The aid ledger (issue 13 §6), bound to MatchAidLedger (match-aid-ledger.ts) over AidLedgerService:
 * `checkApproval` runs inside the approval transaction before capacity is reserved (one-off cap, annual
 * cap per category, 不重复救助 counting the household's other approved-but-unconfirmed matches → 422 with
 * its code) and answers the cause the match addresses, which approval fixes on the match;
 * `recordConfirmation` runs inside the confirmation transaction and writes the one ledger row.
 */
export interface AidLedgerSeam {
  checkApproval(
    manager: EntityManager,
    match: MatchSeamFacts,
    options?: { override?: DuplicateCauseOverride },
  ): Promise<{ causeCode: Cause }>;
  recordConfirmation(
    manager: EntityManager,
    match: MatchSeamFacts,
    by: { userId: string | null; kind: 'worker' | 'partner' | 'staff' | 'system' },
  ): Promise<void>;
}
export const AID_LEDGER_SEAM = Symbol('AID_LEDGER_SEAM');

/**
 * Told of every transition after its transaction commits. Bound to MatchAfterCommit
 * (match-after-commit.ts): the inbox rows of whoever must act next (issue 13 §5) and the SLA jobs of the
 * state entered (§4).
 */
export interface MatchNotifierSeam {
  transitioned(event: {
    matchId: string;
    command: string;
    from: MatchState | null;
    to: MatchState;
  }): Promise<void>;
}
export const MATCH_NOTIFIER_SEAM = Symbol('MATCH_NOTIFIER_SEAM');
