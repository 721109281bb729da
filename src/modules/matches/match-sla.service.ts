import { Injectable, Logger } from '@nestjs/common';
import { chinaToday } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { Page, pageOf, pageWindow, PaginationQueryDto } from '../../common/pagination/pagination';
import { AppConfig } from '../../config';
import { JobName, JobPayloads } from '../../infra/queue';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import type { Principal } from '../auth/principal';
import { renderNotification } from '../notifications/notification-events';
import { NotificationsService } from '../notifications/notifications.service';
import { OverdueMatchDto } from './dto/match-overdue.dto';
import { MatchSlaRepository, stayKey, type MatchSlaRow } from './match-sla.repository';
import { MatchSlaScheduler } from './match-sla.scheduler';
import { MatchesRepository } from './matches.repository';
import { MatchesService } from './matches.service';
import { mustAct } from './ports/match-notifications';
import {
  dueSlaSteps,
  SLA_ACTOR,
  SLA_STATE_NAMES,
  slaDaysLookup,
  slaStepAt,
  type SlaDeadlines,
  type SlaState,
  type SlaStepName,
} from './rules/match-sla.rule';

const DAY_MS = 86_400_000;
/** Matches the sweep reads at a time. */
const SWEEP_PAGE = 500;

/** What one step's job did. */
export type SlaJobOutcome = 'done' | 'already-done' | 'stale' | 'early';

/**
 * Match SLAs (issue 13 §4): the steps of a stay (a reminder at half time to whoever must act, the
 * reminder at the deadline and the escalation to the reviewers of the unit above, the expiry at the hard
 * limit), done by their delayed jobs (runJob) or by the daily sweep (sweep) — whichever comes first: the
 * row in match_sla_steps is the claim, so each step happens once per (match, state entry). A job whose
 * match has moved on does nothing. And the overdue view of a staff member's subtree.
 */
@Injectable()
export class MatchSlaService {
  private readonly logger = new Logger('MatchSla');

  constructor(
    private readonly repository: MatchSlaRepository,
    private readonly scheduler: MatchSlaScheduler,
    private readonly matches: MatchesService,
    private readonly matchFacts: MatchesRepository,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * One step's delayed job. Stale (the match has left the state, or entered it again at another time):
   * nothing. Early (a queue's clock ahead of ours): armed again for the rest of the wait.
   */
  async runJob(payload: JobPayloads[JobName.MatchSlaStep]): Promise<SlaJobOutcome> {
    const stay = await this.repository.current(payload.matchId);
    if (!stay || stay.state !== payload.state || stay.enteredAt.getTime() !== Date.parse(payload.enteredAt))
      return 'stale';
    const deadlines = this.scheduler.deadlines(stay);
    const at = deadlines && slaStepAt(deadlines, payload.step);
    if (!deadlines || !at) return 'stale';
    if (this.clock.now() < at) {
      await this.scheduler.enqueue(stay, payload.step, at, true);
      return 'early';
    }
    return (await this.perform(stay, deadlines, payload.step, 'job')) ? 'done' : 'already-done';
  }

  /**
   * The daily sweep: every step due for every match on the active path and not done yet (dueSlaSteps).
   * A failing match is logged and the others go on; the run then fails, so the queue tries it again.
   * Returns how many steps it did.
   */
  async sweep(): Promise<number> {
    let done = 0;
    let failed = 0;
    for (let after: string | null = null; ;) {
      const page = await this.repository.activePage(after, SWEEP_PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const doneSteps = await this.repository.doneSteps(page);
      const now = this.clock.now();
      for (const stay of page) {
        const deadlines = this.scheduler.deadlines(stay);
        if (!deadlines) continue;
        const already = doneSteps.get(stayKey(stay.id, stay.state, stay.enteredAt)) ?? new Set();
        for (const step of dueSlaSteps(deadlines, now, already))
          try {
            if (await this.perform(stay, deadlines, step, 'sweep')) done++;
          } catch (error) {
            failed++;
            this.logger.error({ err: error, match: stay.id, step }, '匹配办理时限巡检：此步未能完成');
          }
      }
    }
    if (failed > 0) throw new Error(`匹配办理时限巡检有 ${failed} 步未能完成，已完成 ${done} 步`);
    return done;
  }

  /**
   * The overdue view (GET /matches/overdue): matches in the caller's subtree past their state's deadline,
   * the most overdue first, with who must act.
   */
  async overdue(principal: Principal, query: PaginationQueryDto): Promise<Page<OverdueMatchDto>> {
    if (principal.kind !== 'staff' || !principal.orgPath)
      throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    const now = this.clock.now();
    const { rows, total } = await this.repository.overdue(
      principal.orgPath,
      now,
      slaDaysLookup(this.config.matching.sla),
      pageWindow(query),
    );
    await this.audit.recordRead(principal, 'match', null, { view: 'overdue', page: query.page, total });
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        needId: r.needId,
        offerId: r.offerId,
        state: r.state,
        itemName: r.itemName,
        unitName: r.unitName,
        enteredAt: r.enteredAt.toISOString(),
        deadline: r.dueAt.toISOString(),
        daysOverdue: Math.floor((now.getTime() - r.dueAt.getTime()) / DAY_MS),
        mustAct: SLA_ACTOR[r.state as SlaState],
      })),
      total,
      query,
    );
  }

  /** Does `step` of `stay` unless it was done already; true when this call did it. */
  private async perform(
    stay: MatchSlaRow,
    deadlines: SlaDeadlines,
    step: SlaStepName,
    by: 'job' | 'sweep',
  ): Promise<boolean> {
    if (step === 'expire') {
      // The guarded move is what makes the expiry (and the release of capacity) happen once; the claim
      // records it. A match that moved on meanwhile is left alone.
      const expired = await this.matches.expire(stay.id, { state: stay.state, enteredAt: stay.enteredAt });
      await this.repository.transaction((manager) =>
        this.repository.claim(manager, stay, step, by, this.clock.now()),
      );
      return expired;
    }
    const state = stay.state as SlaState;
    // Read before the transaction (one pooled connection at a time).
    const facts = await this.matchFacts.notificationFacts(stay.id);
    const escalation = step === 'escalate' ? await this.repository.escalationFacts(stay.id) : null;
    if (!facts) return false;
    return this.repository.transaction(async (manager) => {
      if (!(await this.repository.claim(manager, stay, step, by, this.clock.now()))) return false;
      const ref = { type: 'match' as const, id: stay.id };
      if (step === 'escalate') {
        if (!escalation || escalation.reviewers.length === 0) {
          this.logger.warn({ match: stay.id }, '超时督办：上级单位没有审核人员');
          return true;
        }
        await this.notifications.notify(manager, {
          recipients: escalation.reviewers,
          event: 'match.escalated',
          ...renderNotification('match.escalated', {
            itemName: facts.itemName,
            stateName: SLA_STATE_NAMES[state],
            unitName: escalation.unitName,
          }),
          ref,
        });
        return true;
      }
      const recipients = mustAct(state, facts);
      if (recipients.length === 0) return true;
      // At half time: act by the deadline. At the deadline: by the hard limit where there is one.
      const actBy = step === 'remind' ? (deadlines.expireAt ?? deadlines.dueAt) : deadlines.dueAt;
      await this.notifications.notify(manager, {
        recipients,
        event: 'match.reminder',
        ...renderNotification('match.reminder', {
          itemName: facts.itemName,
          stateName: SLA_STATE_NAMES[state],
          dueOn: chinaToday(actBy),
        }),
        ref,
      });
      return true;
    });
  }
}
