import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { AppConfig } from '../../config';
import { JobName, JobPayloads, JobQueue, RETRY } from '../../infra/queue';
import { MatchSlaRepository, type MatchSlaRow } from './match-sla.repository';
import {
  SLA_STEPS,
  slaDeadlines,
  slaStepAt,
  type SlaDeadlines,
  type SlaStepName,
} from './rules/match-sla.rule';

/** The deterministic id of one step's job: scheduling a stay twice leaves one job per step. */
export function slaJobId(payload: JobPayloads[JobName.MatchSlaStep]): string {
  return `match-sla-${payload.matchId}-${payload.state}-${Date.parse(payload.enteredAt)}-${payload.step}`;
}

/**
 * Schedules a match's SLA steps when it enters a state (issue 13 §4): told after each move commits (the
 * MATCH_NOTIFIER_SEAM, see match-after-commit.ts), it reads the match's current stay and enqueues one
 * delayed job per step — the half-time reminder, the reminder and the escalation at the deadline, the
 * expiry at the hard limit — keyed by match, state, entry time and step. A failure is logged, never
 * thrown: the move stands, and the daily sweep does what a job that was never scheduled would have done.
 */
@Injectable()
export class MatchSlaScheduler {
  private readonly logger = new Logger('MatchSlaScheduler');

  constructor(
    private readonly repository: MatchSlaRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The deadlines of a stay under the configured SLAs (null: the state has none). */
  deadlines(stay: MatchSlaRow): SlaDeadlines | null {
    return slaDeadlines(
      stay.state,
      stay.enteredAt,
      { itemCode: stay.itemCode, urgency: stay.urgency },
      this.config.matching.sla,
    );
  }

  async entered(matchId: string): Promise<void> {
    try {
      const stay = await this.repository.current(matchId);
      if (!stay) return;
      const deadlines = this.deadlines(stay);
      if (!deadlines) return;
      for (const step of SLA_STEPS) {
        const at = slaStepAt(deadlines, step);
        if (at) await this.enqueue(stay, step, at);
      }
    } catch (error) {
      this.logger.error({ err: error, match: matchId }, '匹配办理时限任务未能排入队列（每日巡检会补做）');
    }
  }

  /**
   * One step's job, due at `at`. `again` marks a job re-armed because it ran before its time (its own id,
   * as the early job still holds the step's id while it runs).
   */
  async enqueue(stay: MatchSlaRow, step: SlaStepName, at: Date, again = false): Promise<void> {
    const payload = { matchId: stay.id, state: stay.state, enteredAt: stay.enteredAt.toISOString(), step };
    await this.jobs.enqueue(JobName.MatchSlaStep, payload, {
      jobId: `${slaJobId(payload)}${again ? '-again' : ''}`,
      delayMs: Math.max(0, at.getTime() - this.clock.now().getTime()),
      retry: RETRY.standard,
    });
  }
}
