import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chinaToday } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData, maskName } from '../../common/masking';
import { pageWindow } from '../../common/pagination/pagination';
import { AppConfig } from '../../config';
import type { Cause } from '../archives/archive.enums';
import { ArchivesService } from '../archives/archives.service';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { MenuCategory } from '../menu/menu.enums';
import { OrgUnitsService } from '../org-units/org-units.service';
import { HEAD_BENEFICIARY, type ReceiptMode } from './aid-ledger.enums';
import { AidLedgerErrorCode } from './aid-ledger.errors';
import { AidLedgerRepository, type LedgerCriteria, type LedgerListRow } from './aid-ledger.repository';
import {
  AidLedgerEntryDto,
  AidLedgerPageDto,
  HouseholdAidQueryDto,
  ListAidLedgerQueryDto,
} from './dto/aid-ledger.dto';
import { causeAddressed, type HouseholdCauses } from './rules/aid-cause.rule';
import { aidLimitViolations, OVERRIDABLE, type AidLimitViolation } from './rules/aid-limits.rule';

/** What the matches module asks at approval. */
export interface AidApprovalCheck {
  archiveId: string;
  category: MenuCategory;
  causeCode: Cause;
  /** Cash amount or declared value of goods/service, in fen. */
  valueFen: number;
  /** The moment of approval; its China-time day is the day the rules judge. */
  at: Date;
  /** 不重复救助 only: an approver's written reason (the caps are never overridden). */
  override?: { reason: string; approverId: string };
  /**
   * Aid of this household approved but not yet confirmed (so not yet in the ledger), e.g. the
   * household's other active matches: counted like rows; a duplicate found among them is named
   * `pending:<ref>` (e.g. the match id) instead of a ledger row id. A function is called after the
   * household's lock is taken, so aid another approval of the household commits meanwhile is counted.
   */
  pending?: readonly PendingAid[] | (() => Promise<readonly PendingAid[]>);
}

export interface PendingAid {
  ref: string;
  category: MenuCategory;
  causeCode: Cause;
  valueFen: number;
  at: Date;
}

export interface AidApprovalResult {
  /** The duplicate-cause violation the approver's override let through, if any (it has been audited). */
  overridden: Extract<AidLimitViolation, { code: 'AID_DUPLICATE_CAUSE' }> | null;
}

/** A ledger row to write when a match is confirmed. */
export interface AidRecord {
  archiveId: string;
  /** `head` or a member's id (as the need's beneficiary). */
  beneficiaryKey?: string;
  offerId?: string | null;
  partnerId?: string | null;
  menuItemId?: string | null;
  category: MenuCategory;
  causeCode: Cause;
  valueFen: number;
  /** When it was received (its China-time day is the row's date). */
  at: Date;
  receivedVia: ReceiptMode;
  matchId?: string | null;
  /** Who recorded it; null for the system. */
  recordedBy: string | null;
}

const REASON_MIN = 4;
const REASON_MAX = 500;
const NOTE_MAX = 200;

/**
 * The aid ledger (帮扶台账): its rules at approval, its rows at confirmation, reversals, and its reads.
 * checkAtApproval, record and reverse run inside the caller's transaction (`manager`), serialised per
 * household by a transaction-scoped lock, so two approvals for one household cannot both pass a cap.
 */
@Injectable()
export class AidLedgerService {
  constructor(
    private readonly repository: AidLedgerRepository,
    private readonly archives: ArchivesService,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * The rules at approval: one-off cap, annual cap per household and category, 不重复救助. Throws the
   * first violation as 422 (details name the earlier row for a duplicate cause, and list every
   * violation); a duplicate cause alone passes with an approver's written reason, audited in `manager`.
   */
  async checkAtApproval(manager: EntityManager, check: AidApprovalCheck): Promise<AidApprovalResult> {
    assertTransaction(manager, 'checkAtApproval');
    await this.repository.lockHousehold(manager, check.archiveId);
    const pending = typeof check.pending === 'function' ? await check.pending() : (check.pending ?? []);
    const ledger = [
      ...(await this.repository.householdRows(manager, check.archiveId)),
      ...pending.map((p) => ({
        id: `pending:${p.ref}`,
        date: chinaToday(p.at),
        category: p.category,
        cause: p.causeCode,
        valueFen: p.valueFen,
        reverses: null,
      })),
    ];
    const violations = aidLimitViolations(
      {
        date: chinaToday(check.at),
        category: check.category,
        cause: check.causeCode,
        valueFen: check.valueFen,
      },
      ledger,
      this.config.aidLedger,
    );
    if (violations.length === 0) return { overridden: null };
    const blocking = violations.filter((v) => !OVERRIDABLE.has(v.code) || !check.override);
    if (blocking.length > 0) throw violationError(blocking[0]!, violations);
    const duplicate = violations.find(
      (v): v is Extract<AidLimitViolation, { code: 'AID_DUPLICATE_CAUSE' }> =>
        v.code === 'AID_DUPLICATE_CAUSE',
    )!;
    const reason = check.override!.reason.trim();
    if (
      reason.length < REASON_MIN ||
      reason.length > REASON_MAX ||
      findUnmaskedPersonalData(reason).length > 0
    )
      throw new DomainError(AidLedgerErrorCode.AID_OVERRIDE_REASON_REQUIRED, {
        earlierRowId: duplicate.earlierRowId,
      });
    await this.audit.record(
      {
        action: 'aid-ledger.override-duplicate',
        outcome: 'success',
        actor: { userId: check.override!.approverId, kind: 'staff' },
        target: { type: 'archive', id: check.archiveId },
        details: {
          earlierRowId: duplicate.earlierRowId,
          earlierDate: duplicate.earlierDate,
          cause: duplicate.cause,
          category: check.category,
          valueFen: check.valueFen,
          reason,
        },
      },
      manager,
    );
    return { overridden: duplicate };
  }

  /** The cause of hardship aid of this category addresses for the household (config `causeByCategory`). */
  causeAddressed(category: MenuCategory, household: HouseholdCauses): Cause {
    return causeAddressed(category, household, this.config.aidLedger.causeByCategory);
  }

  /** Writes the ledger row of a confirmed match, in the caller's transaction; audited. Returns its id. */
  async record(manager: EntityManager, entry: AidRecord): Promise<{ id: string }> {
    assertTransaction(manager, 'record');
    if (!Number.isSafeInteger(entry.valueFen) || entry.valueFen < 0)
      throw new Error(`aid ledger value must be a whole, non-negative number of fen: ${entry.valueFen}`);
    await this.repository.lockHousehold(manager, entry.archiveId);
    const row = await this.repository.insert(manager, {
      archiveId: entry.archiveId,
      beneficiaryKey: entry.beneficiaryKey ?? HEAD_BENEFICIARY,
      offerId: entry.offerId ?? null,
      partnerId: entry.partnerId ?? null,
      menuItemId: entry.menuItemId ?? null,
      category: entry.category,
      cause: entry.causeCode,
      valueFen: entry.valueFen,
      aidDate: chinaToday(entry.at),
      receivedVia: entry.receivedVia,
      matchId: entry.matchId ?? null,
      reverses: null,
      note: null,
      recordedBy: entry.recordedBy,
    });
    await this.audit.record(
      {
        action: 'aid-ledger.record',
        outcome: 'success',
        actor: entry.recordedBy ? undefined : { kind: 'system', username: 'system' },
        target: { type: 'aid-ledger', id: row.id },
        details: {
          archiveId: entry.archiveId,
          matchId: entry.matchId ?? null,
          category: entry.category,
          cause: entry.causeCode,
          valueFen: entry.valueFen,
        },
      },
      manager,
    );
    return { id: row.id };
  }

  /**
   * A correction: a new row with the original's facts and the value negated (the original stays as it
   * was). 404 for an unknown row, 409 for a row already reversed or a reversal; audited.
   */
  async reverse(
    manager: EntityManager,
    rowId: string,
    reason: string,
    actor: Principal | { userId: string | null },
  ): Promise<{ id: string }> {
    assertTransaction(manager, 'reverse');
    const note = reason.trim();
    if (note.length < 1 || note.length > NOTE_MAX || findUnmaskedPersonalData(note).length > 0)
      throw new DomainError(AidLedgerErrorCode.AID_LEDGER_TEXT_INVALID, { field: 'reason' });
    const first = await this.repository.findById(manager, rowId);
    if (!first) throw new DomainError(AidLedgerErrorCode.AID_LEDGER_ROW_NOT_FOUND);
    await this.repository.lockHousehold(manager, first.archiveId);
    if (first.reverses !== null) throw new DomainError(AidLedgerErrorCode.AID_LEDGER_REVERSAL_NOT_REVERSIBLE);
    if (await this.repository.isReversed(manager, rowId))
      throw new DomainError(AidLedgerErrorCode.AID_LEDGER_ALREADY_REVERSED);
    const row = await this.repository.insert(manager, {
      archiveId: first.archiveId,
      beneficiaryKey: first.beneficiaryKey,
      offerId: first.offerId,
      partnerId: first.partnerId,
      menuItemId: first.menuItemId,
      category: first.category,
      cause: first.cause,
      valueFen: -first.valueFen,
      aidDate: first.aidDate,
      receivedVia: first.receivedVia,
      matchId: first.matchId,
      reverses: first.id,
      note,
      recordedBy: actor.userId,
    });
    await this.audit.record(
      {
        action: 'aid-ledger.reverse',
        outcome: 'success',
        actor: 'kind' in actor ? actor : { userId: actor.userId, kind: actor.userId ? 'staff' : 'system' },
        target: { type: 'aid-ledger', id: row.id },
        details: { reverses: first.id, archiveId: first.archiveId, valueFen: -first.valueFen, reason: note },
      },
      manager,
    );
    return { id: row.id };
  }

  /**
   * For the matcher's fairness factor: net aid (reversals net out) each household received in the 12
   * months up to `today` (YYYY-MM-DD, China time; default the clock's), in fen. Every id gets an entry.
   */
  async valueLast12Months(archiveIds: readonly string[], today?: string): Promise<Map<string, number>> {
    const day = today ?? chinaToday(this.clock.now());
    // From the day after the same date a year before: 2026-12-05 counts from 2025-12-06.
    const from = new Date(`${day}T00:00:00Z`);
    from.setUTCFullYear(from.getUTCFullYear() - 1);
    from.setUTCDate(from.getUTCDate() + 1);
    const sums = await this.repository.valueSince(archiveIds, from.toISOString().slice(0, 10));
    return new Map(archiveIds.map((id) => [id, Math.max(0, sums.get(id) ?? 0)]));
  }

  /** `GET /archives/:id/aid`: who may read the archive may read its ledger; audited as a read. */
  async forArchive(
    principal: Principal,
    archiveId: string,
    query: HouseholdAidQueryDto,
  ): Promise<AidLedgerPageDto> {
    await this.audit.auditDenials(
      principal,
      'archives.read-aid',
      { type: 'archive', id: archiveId },
      async () => {
        const archive = await this.archives.load(archiveId);
        this.archives.assertCanRead(principal, archive);
      },
    );
    const page = await this.page({ archiveId, ...period(query) }, query);
    await this.audit.recordRead(principal, 'archive', archiveId, {
      view: 'aid',
      from: query.from,
      to: query.to,
      page: query.page,
      returned: page.items.length,
      total: page.total,
    });
    return page;
  }

  /** `GET /aid-ledger`: staff, over their subtree (or a unit in it), filtered; totals; audited. */
  async list(principal: Principal, query: ListAidLedgerQueryDto): Promise<AidLedgerPageDto> {
    const scopePath = await this.audit.auditDenials(
      principal,
      'aid-ledger.list',
      { type: 'org-unit', id: query.orgUnitId ?? null },
      () => this.orgUnits.listScopePath(principal, query.orgUnitId),
    );
    const page = await this.page(
      {
        scopePath,
        category: query.category,
        offerId: query.offerId,
        partnerId: query.partnerId,
        ...period(query),
      },
      query,
    );
    await this.audit.record({
      action: 'aid-ledger.list',
      outcome: 'success',
      actor: principal,
      target: { type: 'aid-ledger', id: null },
      details: {
        filters: {
          orgUnitId: query.orgUnitId,
          category: query.category,
          offerId: query.offerId,
          partnerId: query.partnerId,
          from: query.from,
          to: query.to,
        },
        page: query.page,
        pageSize: query.pageSize,
        returned: page.items.length,
        total: page.total,
      },
    });
    return page;
  }

  private async page(criteria: LedgerCriteria, query: HouseholdAidQueryDto): Promise<AidLedgerPageDto> {
    const [{ rows, total }, totals] = await Promise.all([
      this.repository.list(criteria, pageWindow(query)),
      this.repository.totals(criteria),
    ]);
    return { items: rows.map(toDto), total, page: query.page, pageSize: query.pageSize, totals };
  }
}

function period(query: HouseholdAidQueryDto): { from?: string; to?: string } {
  if (query.from && query.to && query.from > query.to)
    throw new DomainError(AidLedgerErrorCode.AID_LEDGER_PERIOD_INVALID, { from: query.from, to: query.to });
  return { from: query.from, to: query.to };
}

function assertTransaction(manager: EntityManager, method: string): void {
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error(`AidLedgerService.${method} 必须在事务中调用 (must run inside the caller's transaction)`);
}

function violationError(first: AidLimitViolation, all: AidLimitViolation[]): DomainError {
  const { code, ...details } = first;
  return new DomainError(AidLedgerErrorCode[code], { ...details, violations: all.map((v) => v.code) });
}

function toDto(row: LedgerListRow): AidLedgerEntryDto {
  const isHead = row.beneficiaryKey === HEAD_BENEFICIARY;
  return {
    id: row.id,
    archiveId: row.archiveId,
    archiveNo: row.archiveNo,
    headName: maskName(row.headName) ?? '',
    beneficiary: {
      kind: isHead ? 'head' : 'member',
      memberId: isHead ? null : row.beneficiaryKey,
      relation: isHead ? null : row.memberRelation,
      name: maskName(isHead ? row.headName : row.memberName),
    },
    offerId: row.offerId,
    offerTitle: row.offerTitle,
    partnerId: row.partnerId,
    partnerName: row.partnerName,
    itemCode: row.itemCode,
    itemName: row.itemName,
    category: row.category,
    cause: row.cause,
    valueFen: row.valueFen,
    date: row.aidDate,
    receivedVia: row.receivedVia,
    matchId: row.matchId,
    reverses: row.reverses,
    reversedBy: row.reversedBy,
    note: row.note,
    orgUnitId: row.unitId,
    orgUnitName: row.unitName,
    createdAt: row.createdAt.toISOString(),
  };
}
