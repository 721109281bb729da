import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationsService } from '../../notifications/notifications.service';
import {
  renderNotification,
  type NotificationEvent,
  type NotificationParams,
} from '../../notifications/notification-events';
import type { MatchState } from '../matches.enums';
import { MatchesRepository, type MatchNotificationFacts as Facts } from '../matches.repository';
import { SLA_ACTOR, type SlaState } from '../rules/match-sla.rule';
import type { MatchNotifierSeam } from './match-seams.port';

/**
 * Whoever must act on a match in `state` (SLA_ACTOR), as accounts: the reviewers and approvers in scope
 * but not the proposer; the partner's accounts (for a union programme the staff who proposed it, who
 * serve it); the worker (the proposer, who may confirm on its behalf, when the household has no account);
 * the caseworker who proposed it for the follow-up and the close. The reminders go to them.
 */
export function mustAct(state: SlaState, f: Facts): string[] {
  const ids = (() => {
    switch (SLA_ACTOR[state]) {
      case 'reviewer':
        return f.approvers.filter((id) => id !== f.proposedBy);
      case 'partner':
        return f.partnerKind === 'union' ? [...f.partnerAccounts, f.proposedBy] : f.partnerAccounts;
      case 'worker':
        return [f.ownerUserId ?? f.proposedBy];
      case 'caseworker':
        return [f.proposedBy];
    }
  })();
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

/** Who hears of a match reaching a state, with which message (issue 13 §5: whoever must act next, and the worker). */
const ON_STATE: Partial<
  Record<MatchState, { event: NotificationEvent; to: (f: Facts) => (string | null)[] }[]>
> = {
  // A reviewer or approver of the need's unit or above approves it (never the proposer).
  proposed: [{ event: 'match.proposed', to: (f) => mustAct('proposed', f) }],
  // The partner accepts or declines; the worker learns who will help.
  approved: [{ event: 'match.approved', to: (f) => [...f.partnerAccounts, f.ownerUserId] }],
  accepted: [{ event: 'match.accepted', to: (f) => [f.ownerUserId] }],
  // The caseworker who proposed it arranges another; the worker is told.
  declined: [{ event: 'match.declined', to: (f) => [f.proposedBy, f.ownerUserId] }],
  // 本人领取: the worker confirms receipt; the proposer sees the delivery.
  delivered: [
    { event: 'match.confirm-receipt', to: (f) => [f.ownerUserId] },
    { event: 'match.delivered', to: (f) => [f.proposedBy] },
  ],
};

/**
 * MATCH_NOTIFIER_SEAM bound to the notifications module: after a move has committed, the inbox rows of
 * those who must act (and of the worker), in a transaction of their own. A failure here is logged, never
 * thrown: the move has happened and the answer stands.
 */
@Injectable()
export class MatchNotifications implements MatchNotifierSeam {
  private readonly logger = new Logger('MatchNotifications');

  constructor(
    private readonly repository: MatchesRepository,
    private readonly notifications: NotificationsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async transitioned(event: { matchId: string; command: string; to: MatchState }): Promise<void> {
    const messages = ON_STATE[event.to];
    if (!messages) return;
    try {
      const facts = await this.repository.notificationFacts(event.matchId);
      if (!facts) return;
      const params: NotificationParams['match.approved'] = {
        itemName: facts.itemName,
        partnerName: facts.partnerName,
      };
      await this.dataSource.transaction(async (manager) => {
        for (const message of messages) {
          const recipients = message.to(facts).filter((id): id is string => id !== null);
          if (recipients.length === 0) continue;
          await this.notifications.notify(manager, {
            recipients,
            event: message.event,
            ...renderNotification(message.event, params),
            ref: { type: 'match', id: event.matchId },
          });
        }
      });
    } catch (error) {
      this.logger.error({ err: error, match: event.matchId, to: event.to }, '匹配通知未能写入');
    }
  }
}
