import { Injectable } from '@nestjs/common';
import type { MatchState } from '../matches.enums';
import { MatchSlaScheduler } from '../match-sla.scheduler';
import { MatchNotifications } from './match-notifications';
import type { MatchNotifierSeam } from './match-seams.port';

/**
 * MATCH_NOTIFIER_SEAM: what follows a committed move — the inbox rows of whoever must act next
 * (MatchNotifications), then the SLA jobs of the state entered (MatchSlaScheduler). Neither throws.
 */
@Injectable()
export class MatchAfterCommit implements MatchNotifierSeam {
  constructor(
    private readonly notifications: MatchNotifications,
    private readonly sla: MatchSlaScheduler,
  ) {}

  async transitioned(event: {
    matchId: string;
    command: string;
    from: MatchState | null;
    to: MatchState;
  }): Promise<void> {
    await this.notifications.transitioned(event);
    await this.sla.entered(event.matchId);
  }
}
