import { Injectable } from '@nestjs/common';
import type { PairHistory } from '../candidates/pair-facts';

/** One need–offer pair and the household the need belongs to. */
export interface PairKey {
  needId: string;
  offerId: string;
  archiveId: string;
}

/**
 * What the matches know about pairs: the per-household count on an offer, whether the pair is already
 * matched / declined / parked, the last aid from the offer (cooldown), the household's aid in the last
 * 12 months (fairness: SuggestionsService replaces it with the aid ledger's figure) and the offer's
 * pending proposals (capacity pressure). The match-lifecycle issue
 * binds its own implementation to MATCH_HISTORY; until then there are no matches.
 */
export interface MatchHistoryPort {
  /** One entry per pair, in the order given. */
  historyOf(pairs: readonly PairKey[], today: string): Promise<PairHistory[]>;
}

export const MATCH_HISTORY = Symbol('MATCH_HISTORY');

/** No matches exist yet: nothing taken, nothing pending, no aid received. */
@Injectable()
export class NoMatchesYetHistory implements MatchHistoryPort {
  historyOf(pairs: readonly PairKey[]): Promise<PairHistory[]> {
    return Promise.resolve(
      pairs.map(() => ({
        pairTaken: false,
        householdMatchesOnOffer: 0,
        lastAidOn: null,
        aidLast12MonthsFen: 0,
        pending: 0,
      })),
    );
  }
}
