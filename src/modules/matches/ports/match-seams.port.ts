import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

/**
 * The aid ledger (issue 13 §6, module aid-ledger, built separately): `checkApproval` runs inside the
 * approval transaction before capacity is reserved (annual and one-off caps, 不重复救助 → 422 with its
 * code), `recordConfirmation` inside the confirmation transaction (one ledger row). Until the ledger
 * binds AID_LEDGER_SEAM, the no-op below allows everything and records nothing.
 */
export interface AidLedgerSeam {
  checkApproval(manager: EntityManager, match: MatchSeamFacts): Promise<void>;
  recordConfirmation(manager: EntityManager, match: MatchSeamFacts): Promise<void>;
}
export const AID_LEDGER_SEAM = Symbol('AID_LEDGER_SEAM');

@Injectable()
export class NoAidLedgerYet implements AidLedgerSeam {
  checkApproval(): Promise<void> {
    return Promise.resolve();
  }
  recordConfirmation(): Promise<void> {
    return Promise.resolve();
  }
}

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
