import { Global, Injectable, Module } from '@nestjs/common';
import type { PairHistory } from '../../matching/candidates/pair-facts';
import {
  MATCH_HISTORY,
  type MatchHistoryPort,
  type PairKey,
} from '../../matching/history/match-history.port';
import { MatchesRepository } from '../matches.repository';

/** MATCH_HISTORY answered from the matches table (what the suggestions and POST /matches leave out). */
@Injectable()
export class MatchHistoryReader implements MatchHistoryPort {
  constructor(private readonly repository: MatchesRepository) {}

  historyOf(pairs: readonly PairKey[], today: string): Promise<PairHistory[]> {
    return this.repository.historyOf(pairs, today);
  }
}

/**
 * Binds MATCH_HISTORY for the matching module, which sits below matches and cannot import it: global,
 * so the port's consumer names only the port.
 */
@Global()
@Module({
  providers: [
    MatchesRepository,
    MatchHistoryReader,
    { provide: MATCH_HISTORY, useExisting: MatchHistoryReader },
  ],
  exports: [MATCH_HISTORY, MatchesRepository],
})
export class MatchHistoryModule {}
