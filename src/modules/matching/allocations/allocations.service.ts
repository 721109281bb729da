import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { DomainError, errorSpec } from '../../../common/errors';
import { pageWindow, type Page } from '../../../common/pagination/pagination';
import { AppConfig } from '../../../config';
import { JobName, JobQueue } from '../../../infra/queue';
import { AuditService } from '../../audit/audit.service';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import { AuthorizationService } from '../../auth/authorization/authorization.service';
import type { Principal } from '../../auth/principal';
import { OrgUnitsService } from '../../org-units/org-units.service';
import type {
  AllocationDto,
  AllocationLineDto,
  AllocationLinesQueryDto,
  CreateAllocationDto,
  ListAllocationsQueryDto,
} from '../dto/allocations.dto';
import { MatchingErrorCode } from '../matching.errors';
import { SCORE_SCALE } from '../scoring/score';
import { shown } from '../scoring/shown-score';
import { UNASSIGNED_REASON_MESSAGES, type UnassignedReason } from './allocations.enums';
import { AllocationsRepository, type AllocationLineRow, type AllocationRow } from './allocations.repository';

/**
 * Batch allocation over HTTP (issue 12 §4): staff of a unit's subtree start a run (a job computes it, see
 * AllocationRunner), watch its progress, read the plan and its unassigned needs, discard it or run it
 * again with the same request. Approving a plan's lines into matches belongs to the match lifecycle.
 */
@Injectable()
export class AllocationsService {
  private readonly logger = new Logger('Allocations');

  constructor(
    private readonly repository: AllocationsRepository,
    private readonly orgUnits: OrgUnitsService,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, dto: CreateAllocationDto): Promise<AllocationDto> {
    if (dto.offerIds && dto.offerFilter) throw new DomainError(MatchingErrorCode.ALLOCATION_OFFERS_AMBIGUOUS);
    const { candidatesPerNeed, maxCandidatesPerNeed } = this.config.matching.allocation;
    const k = dto.maxCandidatesPerNeed ?? candidatesPerNeed;
    if (k > maxCandidatesPerNeed)
      throw new DomainError(MatchingErrorCode.ALLOCATION_TOO_MANY_CANDIDATES, { max: maxCandidatesPerNeed });
    await this.audit.auditDenials(
      principal,
      'allocations.create',
      { type: 'org-unit', id: dto.orgUnitId },
      async () => {
        const path = await this.orgUnits.pathOf(dto.orgUnitId);
        if (!path) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
        this.authorization.assertInScope(principal, path);
      },
    );
    return this.start(principal, {
      orgUnitId: dto.orgUnitId,
      strategy: dto.strategy,
      maxCandidatesPerNeed: k,
      offerIds: dto.offerIds ?? null,
      offerFilter: dto.offerFilter ?? {},
      needFilter: dto.needFilter ?? {},
    });
  }

  /** The same request again, as a new allocation (a stale or discarded plan is re-run this way). */
  async rerun(principal: Principal, id: string): Promise<AllocationDto> {
    const row = await this.readable(principal, 'allocations.create', id);
    return this.start(principal, {
      orgUnitId: row.orgUnitId,
      strategy: row.strategy,
      maxCandidatesPerNeed: row.maxCandidatesPerNeed,
      offerIds: row.offerIds,
      offerFilter: row.offerFilter,
      needFilter: row.needFilter,
      rerunOf: id,
    });
  }

  async get(principal: Principal, id: string): Promise<AllocationDto> {
    const row = await this.readable(principal, 'allocations.read', id);
    return this.present(row);
  }

  async list(principal: Principal, query: ListAllocationsQueryDto): Promise<Page<AllocationDto>> {
    if (!principal.orgPath) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    const { rows, total } = await this.repository.list(principal.orgPath, query.state, pageWindow(query));
    const unassigned = await this.repository.unassignedCounts(rows.map((r) => r.id));
    return {
      items: rows.map((row) => this.presented(row, unassigned.get(row.id)!)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async lines(
    principal: Principal,
    id: string,
    query: AllocationLinesQueryDto,
  ): Promise<Page<AllocationLineDto>> {
    await this.readable(principal, 'allocations.read', id);
    const { rows, total } = await this.repository.lines(id, query.lines, pageWindow(query));
    return { items: rows.map(line), total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * For the approval of a plan's lines (the matches module): a done, fresh plan of the caller's scope and
   * its assigned lines (all, or those of `needIds`). Its author may not approve it (SELF_APPROVAL).
   */
  async approvable(
    principal: Principal,
    id: string,
    needIds?: readonly string[],
  ): Promise<{ allocationId: string; createdBy: string; lines: { needId: string; offerId: string }[] }> {
    const row = await this.readable(principal, 'allocations.approve', id);
    if (row.state !== 'done')
      throw new DomainError(MatchingErrorCode.ALLOCATION_NOT_APPROVABLE, { state: row.state });
    const maxAgeMinutes = this.config.matching.allocation.planMaxAgeMinutes;
    if (row.finishedAt!.getTime() + maxAgeMinutes * 60_000 < this.clock.now().getTime())
      throw new DomainError(MatchingErrorCode.ALLOCATION_STALE, {
        finishedAt: row.finishedAt!.toISOString(),
        maxAgeMinutes,
      });
    if (row.createdBy === principal.userId)
      await this.audit.auditDenials(principal, 'allocations.approve', { type: 'allocation', id }, () => {
        throw new DomainError(AuthorizationErrorCode.SELF_APPROVAL);
      });
    const assigned = (await this.repository.lineEntities(id))
      .filter((l) => l.offerId !== null)
      .map((l) => ({ needId: l.needId, offerId: l.offerId! }));
    if (!needIds) return { allocationId: id, createdBy: row.createdBy, lines: assigned };
    const known = new Set(assigned.map((l) => l.needId));
    const unknown = needIds.filter((n) => !known.has(n));
    if (unknown.length > 0)
      throw new DomainError(MatchingErrorCode.ALLOCATION_LINES_UNKNOWN, { needIds: unknown.slice(0, 20) });
    const wanted = new Set(needIds);
    return {
      allocationId: id,
      createdBy: row.createdBy,
      lines: assigned.filter((l) => wanted.has(l.needId)),
    };
  }

  async discard(principal: Principal, id: string): Promise<AllocationDto> {
    const row = await this.readable(principal, 'allocations.discard', id);
    await this.repository.transaction(async (manager) => {
      if (!(await this.repository.discard(manager, id, principal.userId, this.clock.now())))
        throw new DomainError(MatchingErrorCode.ALLOCATION_NOT_DISCARDABLE, { state: row.state });
      await this.audit.record(
        {
          action: 'allocation.discard',
          outcome: 'success',
          actor: principal,
          target: { type: 'allocation', id },
          details: { from: row.state },
        },
        manager,
      );
    });
    return this.present((await this.repository.row(id))!);
  }

  // ───────────────────────────── internals ─────────────────────────────

  private async start(
    principal: Principal,
    request: Omit<Parameters<AllocationsRepository['insert']>[1], 'createdBy'> & { rerunOf?: string },
  ): Promise<AllocationDto> {
    const { rerunOf, ...values } = request;
    const id = await this.repository.transaction(async (manager) => {
      const created = await this.repository.insert(manager, { ...values, createdBy: principal.userId });
      await this.audit.record(
        {
          action: 'allocation.create',
          outcome: 'success',
          actor: principal,
          target: { type: 'allocation', id: created },
          details: {
            orgUnitId: values.orgUnitId,
            strategy: values.strategy,
            k: values.maxCandidatesPerNeed,
            offers: values.offerIds?.length ?? 'filter',
            ...(rerunOf ? { rerunOf } : {}),
          },
        },
        manager,
      );
      return created;
    });
    try {
      await this.jobs.enqueue(JobName.AllocationRun, { allocationId: id }, { jobId: `allocation-${id}` });
    } catch (error) {
      this.logger.error({ err: error, allocation: id }, '批量分配任务未能入队');
      await this.repository.fail(id, MatchingErrorCode.ALLOCATION_QUEUE_UNAVAILABLE, {}, this.clock.now());
      throw new DomainError(MatchingErrorCode.ALLOCATION_QUEUE_UNAVAILABLE);
    }
    return this.present((await this.repository.row(id))!);
  }

  /** The allocation, if its unit lies in the caller's subtree; else 404 / 403 (audited as `action`). */
  private readable(principal: Principal, action: string, id: string): Promise<AllocationRow> {
    return this.audit.auditDenials(principal, action, { type: 'allocation', id }, async () => {
      const row = await this.repository.row(id);
      if (!row) throw new DomainError(MatchingErrorCode.ALLOCATION_NOT_FOUND);
      this.authorization.assertInScope(principal, row.orgUnitPath);
      return row;
    });
  }

  private async present(row: AllocationRow): Promise<AllocationDto> {
    return this.presented(row, (await this.repository.unassignedCounts([row.id])).get(row.id)!);
  }

  private presented(row: AllocationRow, unassigned: Record<UnassignedReason, number>): AllocationDto {
    const maxAgeMs = this.config.matching.allocation.planMaxAgeMinutes * 60_000;
    const validUntil =
      row.state === 'done' && row.finishedAt ? new Date(row.finishedAt.getTime() + maxAgeMs) : null;
    const score = (value: string | null) => (value === null ? null : shown(Number(value) / SCORE_SCALE));
    const optimalTotal = score(row.optimalTotal);
    const greedyTotal = score(row.greedyTotal);
    return {
      id: row.id,
      orgUnitId: row.orgUnitId,
      orgUnitName: row.orgUnitName,
      strategy: row.strategy,
      maxCandidatesPerNeed: row.maxCandidatesPerNeed,
      offerIds: row.offerIds,
      offerFilter: row.offerFilter,
      needFilter: row.needFilter,
      state: row.state,
      progress: { phase: row.phase, done: row.progressDone, total: row.progressTotal },
      errorCode: row.errorCode,
      errorMessage: row.errorCode ? (errorSpec(row.errorCode)?.message ?? null) : null,
      result:
        row.state === 'done' || (row.state === 'discarded' && row.total !== null)
          ? {
              needs: row.needCount!,
              offers: row.offerCount!,
              edges: row.edgeCount!,
              assigned: row.assigned!,
              unassigned,
              total: score(row.total)!,
              optimalTotal,
              bound: score(row.bound),
              greedyTotal: greedyTotal!,
              greedyRatio:
                optimalTotal !== null && Number(row.optimalTotal) > 0
                  ? shown(Number(row.greedyTotal) / Number(row.optimalTotal))
                  : null,
              seconds: (row.solveMs ?? 0) / 1000,
            }
          : null,
      stale: validUntil !== null && validUntil.getTime() < this.clock.now().getTime(),
      validUntil: validUntil?.toISOString() ?? null,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      finishedAt: row.finishedAt?.toISOString() ?? null,
      discardedAt: row.discardedAt?.toISOString() ?? null,
    };
  }
}

function line(row: AllocationLineRow): AllocationLineDto {
  const reason = row.reason as UnassignedReason | null;
  return {
    needId: row.needId,
    itemCode: row.itemCode,
    itemName: row.itemName,
    urgency: row.urgency,
    unitName: row.unitName,
    offerId: row.offerId,
    offerTitle: row.offerTitle,
    partnerName: row.partnerName,
    total: row.score === null ? null : shown(row.score / SCORE_SCALE),
    breakdown: row.breakdown,
    reason,
    reasonMessage: reason ? UNASSIGNED_REASON_MESSAGES[reason] : null,
  };
}
