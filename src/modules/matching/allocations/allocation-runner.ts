import { Injectable, Logger } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { chinaToday } from '../../../common/calendar/china-calendar';
import { Clock } from '../../../common/clock/clock';
import { AppConfig } from '../../../config';
import { JobContext, JobHandler, JobName, JobPayloads } from '../../../infra/queue';
import { DibaoLinesService } from '../../archives/dibao-lines/dibao-lines.service';
import { AuditService } from '../../audit/audit.service';
import type { NeedMatchRow } from '../../needs/needs.repository';
import { NeedsService } from '../../needs/needs.service';
import { OfferReadsService } from '../../offers/offer-reads.service';
import { solveGreedy } from '../allocation/greedy';
import type { AllocationInstance, AllocationResult, AllocationStrategy } from '../allocation/instance';
import { solveOptimal } from '../allocation/optimal';
import { findEdge } from '../allocation/instance';
import { checkDuals, checkPlan } from '../allocation/plan-check';
import { AllocationAbortedError, runAllocation } from '../allocation/run-in-worker';
import {
  batchScore,
  buildBatch,
  candidateFinder,
  type Batch,
  type BatchNeed,
  type BatchOffer,
  type CandidatePairs,
} from '../candidates/batch-candidates';
import { needFacts, offerFacts, type PairHistory } from '../candidates/pair-facts';
import { offerClosedBy } from '../filters/hard-filters.rule';
import { PairHistoryService } from '../history/pair-history.service';
import { MatchingErrorCode } from '../matching.errors';
import { shownBreakdown } from '../scoring/shown-score';
import type { AllocationPhase, UnassignedReason } from './allocations.enums';
import { AllocationsRepository, type AllocationRow, type NewAllocationLine } from './allocations.repository';

/** Rows are re-read this many ids at a time; the candidate walk yields to the event loop this often. */
const READ_BATCH = 5000;
const NEEDS_PER_SLICE = 1000;
/**
 * Instances up to this many candidate pairs are solved on the calling thread: a few milliseconds, where
 * starting a worker thread costs a second or two (more under ts sources). Larger ones go to a worker.
 */
const INLINE_MAX_EDGES = 20_000;
/** Progress is written at most this often (and at every phase change). */
const PROGRESS_INTERVAL_MS = 250;

export interface PreparedAllocation {
  row: AllocationRow;
  now: Date;
  today: string;
  needs: BatchNeed[];
  offers: BatchOffer[];
  pairs: CandidatePairs;
  histories: PairHistory[];
  batch: Batch;
}

export interface SolvedAllocation {
  plan: AllocationResult;
  greedy: AllocationResult;
  solveMs: number;
}

/** The scope holds more needs or offers than one run takes (matching.allocation.maxNeeds / maxOffers). */
class ScopeTooLargeError extends Error {
  constructor(readonly counts: { needCount: number; offerCount: number }) {
    super('allocation scope too large');
  }
}

/**
 * The allocation job (issue 12 §4): candidates → solving → saving, its progress on the row.
 *
 * - candidates: the scope's open needs and the offers reaching it are re-read from PostgreSQL; every pair
 *   passing the hard filters is scored as the suggestions score it (no text query), each need keeps its
 *   best K (batch-candidates.ts);
 * - solving: the chosen strategy (in a worker thread, run-in-worker.ts, unless the instance is small),
 *   greedy beside optimal; the plan is
 *   checked (feasible, total = Σ scores; optimal: total = bound and the duals certify it) before use;
 * - saving: needs and offers are read again, since they may have changed while the job ran: a line whose
 *   need left `open`, or whose offer closed or has fewer free places than the plan gives it (the lowest
 *   scores go first), is kept as `changed_during_run` — so a stored plan never holds more lines for an
 *   offer than it has room for. Lines, totals and an audit row are written in one transaction, unless the
 *   allocation was discarded meanwhile.
 *
 * Idempotent: only a queued allocation (or a running one, when a crashed try is retried) runs.
 */
@Injectable()
export class AllocationRunner {
  private readonly logger = new Logger('Allocations');

  constructor(
    private readonly repository: AllocationsRepository,
    private readonly needs: NeedsService,
    private readonly offers: OfferReadsService,
    private readonly dibaoLines: DibaoLinesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly history: PairHistoryService,
  ) {}

  @JobHandler(JobName.AllocationRun)
  async handle(payload: JobPayloads[JobName.AllocationRun], _context: JobContext): Promise<void> {
    await this.run(payload.allocationId);
  }

  async run(id: string): Promise<void> {
    const row = await this.repository.claim(id, this.clock.now());
    if (!row) return;
    const progress = new ProgressReporter(this.repository, id);
    try {
      const prepared = await this.prepare(row, progress);
      const solved = await this.solve(prepared, progress);
      await this.save(prepared, solved, progress);
    } catch (error) {
      if (error instanceof AllocationAbortedError || progress.signal.aborted) return; // discarded meanwhile
      if (error instanceof ScopeTooLargeError) {
        await this.repository.fail(
          id,
          MatchingErrorCode.ALLOCATION_SCOPE_TOO_LARGE,
          error.counts,
          this.clock.now(),
        );
        return;
      }
      this.logger.error({ err: error, allocation: id }, '批量分配计算失败');
      await this.repository.fail(id, MatchingErrorCode.ALLOCATION_FAILED, {}, this.clock.now());
    }
  }

  /** Phase 1: the needs, the offers, their candidate pairs with history, and the instance. */
  async prepare(
    row: AllocationRow,
    progress: ProgressReporter = new ProgressReporter(),
  ): Promise<PreparedAllocation> {
    const now = this.clock.now();
    const today = chinaToday(now);
    const { maxNeeds, maxOffers } = this.config.matching.allocation;
    const needIds = await this.needs.openIdsIn(row.orgUnitPath, row.needFilter, maxNeeds + 1);
    const offerIds = await this.offers.allocatableIds(
      {
        scopePath: row.orgUnitPath,
        today,
        ...(row.offerIds ? { ids: row.offerIds } : {}),
        ...row.offerFilter,
      },
      maxOffers + 1,
    );
    if (needIds.length > maxNeeds || offerIds.length > maxOffers)
      throw new ScopeTooLargeError({ needCount: needIds.length, offerCount: offerIds.length });

    const needRows = (
      await this.readAll(needIds, (ids) =>
        this.needs.matchRows(ids, { states: ['open'], scopePath: row.orgUnitPath }),
      )
    ).sort(byWaitingThenId);
    const offerRows = (await this.readAll(offerIds, (ids) => this.offers.rows(ids))).sort((a, b) =>
      a.id < b.id ? -1 : 1,
    );
    const lines = await this.dibaoLines.monthlyFenByRegion(
      needRows.map((r) => r.archiveRegionCode),
      today,
    );
    const needs = needRows.map((r) => ({
      row: r,
      facts: needFacts(r, today, lines.get(r.archiveRegionCode) ?? null),
    }));
    const offers = offerRows.map((r) => ({ row: r, facts: offerFacts(r) }));

    const find = candidateFinder(offers, today);
    const pairs: CandidatePairs = { need: [], offer: [] };
    for (let start = 0; start < needs.length; start += NEEDS_PER_SLICE) {
      const end = Math.min(needs.length, start + NEEDS_PER_SLICE);
      for (let i = start; i < end; i++) find(needs[i]!, i, pairs);
      progress.report('candidates', end, needs.length);
      await yieldToEventLoop();
    }
    const histories: PairHistory[] = [];
    for (let start = 0; start < pairs.need.length; start += READ_BATCH) {
      const keys = [];
      for (let p = start; p < Math.min(pairs.need.length, start + READ_BATCH); p++) {
        const need = needs[pairs.need[p]!]!.row;
        keys.push({ needId: need.id, offerId: offers[pairs.offer[p]!]!.row.id, archiveId: need.archiveId });
      }
      histories.push(...(await this.history.historiesOf(keys, today)));
    }
    const batch = buildBatch(needs, offers, pairs, histories, {
      k: row.maxCandidatesPerNeed,
      settings: this.config.matching,
      now,
      today,
    });
    await progress.flush();
    return { row, now, today, needs, offers, pairs, histories, batch };
  }

  /** Phase 2: the plan (and greedy beside optimal), checked before it is used. */
  async solve(
    prepared: PreparedAllocation,
    progress: ProgressReporter = new ProgressReporter(),
  ): Promise<SolvedAllocation> {
    const { instance } = prepared.batch;
    const strategy = prepared.row.strategy;
    const started = performance.now();
    progress.report('solving', 0, instance.needCount);
    const run = (strategy: AllocationStrategy) =>
      instance.edgeOffer.length <= INLINE_MAX_EDGES
        ? Promise.resolve(strategy === 'optimal' ? solveOptimal(instance) : solveGreedy(instance))
        : runAllocation(instance, {
            strategy,
            signal: progress.signal,
            onProgress: (_phase, done, total) => progress.report('solving', done, total),
          });
    const plan = await run(strategy);
    const greedy = strategy === 'greedy' ? plan : await run('greedy');
    const solveMs = Math.round(performance.now() - started);
    const problems = planProblems(instance, plan);
    if (problems.length > 0) throw new Error(`allocation plan rejected: ${problems.slice(0, 5).join('; ')}`);
    await progress.flush();
    return { plan, greedy, solveMs };
  }

  /** Phase 3: lines checked against what changed meanwhile, then stored with the totals. */
  async save(
    prepared: PreparedAllocation,
    solved: SolvedAllocation,
    progress: ProgressReporter = new ProgressReporter(),
  ): Promise<void> {
    const { row, needs, offers, batch, histories, now, today } = prepared;
    const { plan, greedy } = solved;
    progress.report('saving', 0, needs.length);
    const assignedNeeds = needs.filter((_, i) => plan.needOffer[i]! >= 0);
    const stillOpen = new Set(
      (
        await this.readAll(
          assignedNeeds.map((n) => n.row.id),
          (ids) => this.needs.matchRows(ids, { states: ['open'] }),
        )
      ).map((r) => r.id),
    );
    const offerNow = new Map(
      (await this.readAll(offerIdsOf(plan, offers), (ids) => this.offers.rows(ids))).map((r) => [r.id, r]),
    );

    // Per offer, its planned needs best first; each keeps its line while the offer has room now.
    const planned = new Map<number, { need: number; score: number }[]>();
    plan.needOffer.forEach((o, i) => {
      if (o < 0) return;
      const e = findEdge(batch.instance, i, o);
      const list = planned.get(o) ?? [];
      list.push({ need: i, score: batch.instance.edgeScore[e]! });
      planned.set(o, list);
    });
    const kept = new Set<number>();
    for (const [o, list] of planned) {
      const current = offerNow.get(offers[o]!.row.id);
      let room = current && offerClosedBy(offerFacts(current), today).length === 0 ? current.remaining : 0;
      list.sort((a, b) => b.score - a.score || (needs[a.need]!.row.id < needs[b.need]!.row.id ? -1 : 1));
      for (const line of list) {
        if (room <= 0 || !stillOpen.has(needs[line.need]!.row.id)) continue;
        kept.add(line.need);
        room -= 1;
      }
    }

    let total = 0;
    const lines: NewAllocationLine[] = needs.map((need, i) => {
      const o = plan.needOffer[i]!;
      if (o >= 0 && kept.has(i)) {
        const e = findEdge(batch.instance, i, o);
        const score = batch.instance.edgeScore[e]!;
        total += score;
        const pair = batch.edgePair[e]!;
        const breakdown = batchScore(need, offers[o]!, histories[pair]!, this.config.matching, now).breakdown;
        return {
          needId: need.row.id,
          offerId: offers[o]!.row.id,
          score,
          breakdown: shownBreakdown(breakdown),
          reason: null,
        };
      }
      const reason: UnassignedReason =
        o >= 0 ? 'changed_during_run' : batch.hadCandidates[i] ? 'capacity_taken' : 'no_eligible_offer';
      return { needId: need.row.id, offerId: null, score: null, breakdown: null, reason };
    });
    await progress.flush();

    await this.repository.transaction(async (manager) => {
      if ((await this.repository.lockState(manager, row.id)) !== 'running') return; // discarded meanwhile
      await this.repository.insertLines(manager, row.id, lines);
      const totals = {
        needCount: needs.length,
        offerCount: offers.length,
        edgeCount: batch.instance.edgeOffer.length,
        total,
        bound: plan.bound ?? null,
        optimalTotal: row.strategy === 'optimal' ? plan.total : null,
        greedyTotal: greedy.total,
        assigned: kept.size,
        solveMs: solved.solveMs,
      };
      await this.repository.finish(manager, row.id, totals, this.clock.now());
      await this.audit.record(
        {
          action: 'allocation.solve',
          outcome: 'success',
          actor: { kind: 'system' },
          target: { type: 'allocation', id: row.id },
          details: {
            ...totals,
            changedDuringRun: lines.filter((l) => l.reason === 'changed_during_run').length,
          },
        },
        manager,
      );
    });
  }

  private async readAll<Row>(
    ids: readonly string[],
    read: (ids: string[]) => Promise<Row[]>,
  ): Promise<Row[]> {
    const rows: Row[] = [];
    for (let start = 0; start < ids.length; start += READ_BATCH)
      rows.push(...(await read(ids.slice(start, start + READ_BATCH))));
    return rows;
  }
}

function byWaitingThenId(a: NeedMatchRow, b: NeedMatchRow): number {
  const waited = (a.openedAt ?? a.createdAt).getTime() - (b.openedAt ?? b.createdAt).getTime();
  return waited !== 0 ? waited : a.id < b.id ? -1 : 1;
}

function offerIdsOf(plan: AllocationResult, offers: readonly BatchOffer[]): string[] {
  return [...new Set(Array.from(plan.needOffer).filter((o) => o >= 0))].map((o) => offers[o]!.row.id);
}

/** The problems checkPlan and (optimal) checkDuals find, plus total ≠ bound. */
function planProblems(instance: AllocationInstance, plan: AllocationResult): string[] {
  const problems = checkPlan(instance, plan.needOffer, plan.total);
  if (plan.strategy === 'optimal') {
    if (plan.bound !== plan.total) problems.push(`total ${plan.total} ≠ bound ${plan.bound}`);
    if (plan.duals && plan.bound !== undefined)
      problems.push(...checkDuals(instance, plan.duals, plan.bound));
  }
  return problems;
}

/**
 * Writes a running allocation's progress at most every PROGRESS_INTERVAL_MS (and at every phase change),
 * one write at a time; when a write finds the allocation no longer running (discarded), `signal` aborts
 * and the solve in its worker thread is stopped. Without a repository (direct calls in tests) it does nothing.
 */
export class ProgressReporter {
  private readonly controller = new AbortController();
  private chain: Promise<void> = Promise.resolve();
  private lastPhase: AllocationPhase | null = null;
  private lastAt = 0;

  constructor(
    private readonly repository?: AllocationsRepository,
    private readonly id?: string,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  report(phase: AllocationPhase, done: number, total: number): void {
    if (!this.repository || !this.id) return;
    const at = Date.now();
    if (phase === this.lastPhase && at - this.lastAt < PROGRESS_INTERVAL_MS && done < total) return;
    this.lastPhase = phase;
    this.lastAt = at;
    const { repository, id } = this;
    this.chain = this.chain.then(async () => {
      if (!(await repository.progress(id, phase, done, total))) this.controller.abort();
    });
  }

  /** Waits for the writes so far; throws AllocationAbortedError when the allocation was discarded. */
  async flush(): Promise<void> {
    await this.chain;
    if (this.controller.signal.aborted) throw new AllocationAbortedError('allocation discarded');
  }
}
