import { Inject, Injectable } from '@nestjs/common';
import { AidLedgerService } from '../../aid-ledger/aid-ledger.service';
import type { PairHistory } from '../candidates/pair-facts';
import { MATCH_HISTORY, type MatchHistoryPort, type PairKey } from './match-history.port';

/**
 * Each pair's history as the hard filters and the score read it, the same for suggestions and batch
 * allocation: the match history (MATCH_HISTORY) and the household's aid of the last 12 months from the
 * aid ledger (fairness), whatever the history port says about the latter.
 */
@Injectable()
export class PairHistoryService {
  constructor(
    @Inject(MATCH_HISTORY) private readonly history: MatchHistoryPort,
    private readonly aidLedger: AidLedgerService,
  ) {}

  /** One entry per pair, in the order given. */
  async historiesOf(pairs: readonly PairKey[], today: string): Promise<PairHistory[]> {
    const [histories, aid] = await Promise.all([
      this.history.historyOf(pairs, today),
      this.aidLedger.valueLast12Months([...new Set(pairs.map((p) => p.archiveId))], today),
    ]);
    return histories.map((h, i) => ({ ...h, aidLast12MonthsFen: aid.get(pairs[i]!.archiveId) ?? 0 }));
  }
}
