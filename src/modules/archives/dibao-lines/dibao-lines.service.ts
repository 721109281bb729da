import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { AppConfig } from '../../../config';
import { DomainError } from '../../../common/errors';
import { Page, pageOf, pageWindow } from '../../../common/pagination/pagination';
import { AuditService } from '../../audit/audit.service';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import type { Principal } from '../../auth/principal';
import { OrgUnitsService } from '../../org-units/org-units.service';
import { ArchivesErrorCode } from '../archives.errors';
import { chinaDate } from '../rules/rule-violation';
import type { DibaoLineEntity } from './dibao-line.entity';
import {
  CorrectDibaoLineDto,
  CreateDibaoLineDto,
  DibaoLineCreatedDto,
  DibaoLineDto,
  DibaoRecheckArchiveDto,
  ListDibaoLinesQueryDto,
  LookupDibaoLineQueryDto,
  WithdrawDibaoLineDto,
} from './dibao-lines.dto';
import { DibaoLinesRepository } from './dibao-lines.repository';
import { DibaoLinesErrorCode } from './dibao-lines.errors';
import { DIBAO_LINE_SETTER_LEVELS, dibaoRegionCandidates, regionCovers } from './dibao-region.rule';

/** The dated 低保 line table: lookups for the archive rules, and the archivist's additions. */
@Injectable()
export class DibaoLinesService {
  constructor(
    private readonly repository: DibaoLinesRepository,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * The line in force for `regionCode` on `date` (YYYY-MM-DD, China time): that of the most specific of
   * its district, city and province that has one in force on the date.
   */
  lineFor(regionCode: string, date: string, manager?: EntityManager): Promise<DibaoLineEntity | null> {
    return this.repository.lineInForce(dibaoRegionCandidates(regionCode), date, manager);
  }

  /** The monthly line in fen in force on `date` for each region (null where none is known). */
  async monthlyFenByRegion(regionCodes: Iterable<string>, date: string): Promise<Map<string, number | null>> {
    const lines = new Map<string, number | null>();
    for (const region of new Set(regionCodes))
      lines.set(region, (await this.lineFor(region, date))?.monthlyAmountFen ?? null);
    return lines;
  }

  async list(query: ListDibaoLinesQueryDto): Promise<Page<DibaoLineDto>> {
    const { rows, total } = await this.repository.list(query.regionPrefix, pageWindow(query));
    return pageOf(rows.map(toDto), total, query);
  }

  async lookup(query: LookupDibaoLineQueryDto): Promise<DibaoLineDto> {
    const line = await this.lineFor(query.regionCode, query.date ?? chinaDate(this.clock.now()));
    if (!line) throw new DomainError(ArchivesErrorCode.DIBAO_LINE_NOT_FOUND);
    return toDto(line);
  }

  /**
   * Adds a dated line. Archivists and approvers of a province, city or district union (or the national
   * one) set lines for their own region and below; a grassroots union carries its district's region code
   * but does not publish standards. A line is never dated before today — except by an approver, within
   * `archives.dibaoBackdateMaxDays` and with a written reason, since real standards are often announced
   * after the date they take effect; the archives judged on the line it replaces are listed for re-check.
   */
  async create(principal: Principal, dto: CreateDibaoLineDto): Promise<DibaoLineCreatedDto> {
    await this.assertSetsLinesFor(principal, 'dibao-lines.create', dto.regionCode);
    const today = chinaDate(this.clock.now());
    const backdated = dto.effectiveFrom < today;
    if (backdated) this.assertMayBackdate(principal, dto.effectiveFrom, today, dto.backdateReason);
    const result = await this.repository.transaction(async (manager) => {
      const inserted = await this.repository.insertIfAbsent(manager, {
        regionCode: dto.regionCode,
        effectiveFrom: dto.effectiveFrom,
        monthlyAmountFen: dto.monthlyAmountFen,
        source: dto.source ?? null,
        createdBy: principal.userId,
      });
      if (!inserted) {
        throw new DomainError(ArchivesErrorCode.DIBAO_LINE_EXISTS, {
          regionCode: dto.regionCode,
          effectiveFrom: dto.effectiveFrom,
        });
      }
      const recheck = backdated ? await this.archivesToRecheck(manager, inserted) : [];
      await this.audit.record(
        {
          action: backdated ? 'dibao-line.create-backdated' : 'dibao-line.create',
          outcome: 'success',
          actor: principal,
          target: { type: 'dibao-line', id: inserted.id },
          details: {
            regionCode: inserted.regionCode,
            effectiveFrom: inserted.effectiveFrom,
            monthlyAmountFen: inserted.monthlyAmountFen,
            ...(backdated
              ? { backdateReason: dto.backdateReason, today, recheckArchiveIds: recheck.map((a) => a.id) }
              : {}),
          },
        },
        manager,
      );
      return { line: inserted, recheck };
    });
    return { ...toDto(result.line), recheckArchives: result.recheck };
  }

  /** Corrects a line not yet in force (no archive can have been judged on it); audited with before/after. */
  async correct(principal: Principal, id: string, dto: CorrectDibaoLineDto): Promise<DibaoLineDto> {
    const line = await this.repository.transaction(async (manager) => {
      const current = await this.notYetInForce(manager, principal, id, 'dibao-lines.correct');
      const today = chinaDate(this.clock.now());
      const next = {
        effectiveFrom: dto.effectiveFrom ?? current.effectiveFrom,
        monthlyAmountFen: dto.monthlyAmountFen ?? current.monthlyAmountFen,
        source: dto.source ?? current.source,
      };
      if (next.effectiveFrom <= today) {
        throw new DomainError(DibaoLinesErrorCode.DIBAO_LINE_BACKDATED, {
          effectiveFrom: next.effectiveFrom,
          today,
        });
      }
      if (!(await this.repository.update(manager, id, next))) {
        throw new DomainError(ArchivesErrorCode.DIBAO_LINE_EXISTS, {
          regionCode: current.regionCode,
          effectiveFrom: next.effectiveFrom,
        });
      }
      await this.audit.record(
        {
          action: 'dibao-line.correct',
          outcome: 'success',
          actor: principal,
          target: { type: 'dibao-line', id },
          details: {
            regionCode: current.regionCode,
            before: {
              effectiveFrom: current.effectiveFrom,
              monthlyAmountFen: current.monthlyAmountFen,
              source: current.source,
            },
            after: next,
            reason: dto.reason,
          },
        },
        manager,
      );
      return (await this.repository.lockById(manager, id))!;
    });
    return toDto(line);
  }

  /** Withdraws a line not yet in force; the audit row keeps what it said. */
  async withdraw(principal: Principal, id: string, dto: WithdrawDibaoLineDto): Promise<void> {
    await this.repository.transaction(async (manager) => {
      const current = await this.notYetInForce(manager, principal, id, 'dibao-lines.withdraw');
      await this.repository.delete(manager, id);
      await this.audit.record(
        {
          action: 'dibao-line.withdraw',
          outcome: 'success',
          actor: principal,
          target: { type: 'dibao-line', id },
          details: {
            regionCode: current.regionCode,
            effectiveFrom: current.effectiveFrom,
            monthlyAmountFen: current.monthlyAmountFen,
            source: current.source,
            reason: dto.reason,
          },
        },
        manager,
      );
    });
  }

  private async notYetInForce(
    manager: EntityManager,
    principal: Principal,
    id: string,
    action: string,
  ): Promise<DibaoLineEntity> {
    const line = await this.repository.lockById(manager, id);
    if (!line) throw new DomainError(DibaoLinesErrorCode.DIBAO_LINE_ID_NOT_FOUND);
    await this.assertSetsLinesFor(principal, action, line.regionCode);
    const today = chinaDate(this.clock.now());
    if (line.effectiveFrom <= today) {
      throw new DomainError(DibaoLinesErrorCode.DIBAO_LINE_IN_FORCE, {
        effectiveFrom: line.effectiveFrom,
        today,
      });
    }
    return line;
  }

  /** Whether the caller's unit publishes standards and its region covers `regionCode`; refusals audited. */
  private async assertSetsLinesFor(principal: Principal, action: string, regionCode: string): Promise<void> {
    const unit = principal.orgUnitId ? await this.orgUnits.findById(principal.orgUnitId) : null;
    // An industry union (产业工会) has a federation's rank but no government's standard to publish.
    if (!unit || unit.industry || !DIBAO_LINE_SETTER_LEVELS.includes(unit.level)) {
      await this.audit.recordDenied(principal, action, {
        code: AuthorizationErrorCode.ACCESS_DENIED,
        regionCode,
      });
      throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED);
    }
    if (unit.level !== 'national' && !regionCovers(unit.regionCode, regionCode)) {
      await this.audit.recordDenied(principal, action, {
        code: AuthorizationErrorCode.OUT_OF_SCOPE,
        regionCode,
      });
      throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    }
  }

  private assertMayBackdate(
    principal: Principal,
    effectiveFrom: string,
    today: string,
    reason: string | undefined,
  ): void {
    if (principal.kind !== 'staff' || !principal.roles.includes('approver')) {
      throw new DomainError(DibaoLinesErrorCode.DIBAO_LINE_BACKDATED, { effectiveFrom, today });
    }
    const maxDays = this.config.archives.dibaoBackdateMaxDays;
    const earliest = addDays(today, -maxDays);
    if (effectiveFrom < earliest) {
      throw new DomainError(DibaoLinesErrorCode.DIBAO_LINE_BACKDATE_TOO_FAR, {
        effectiveFrom,
        earliest,
        maxDays,
      });
    }
    if (!reason) throw new DomainError(DibaoLinesErrorCode.DIBAO_LINE_BACKDATE_REASON_REQUIRED);
  }

  /** Archives applied for on or after the new line's date whose line in force is now this one. */
  private async archivesToRecheck(
    manager: EntityManager,
    line: DibaoLineEntity,
  ): Promise<DibaoRecheckArchiveDto[]> {
    const candidates = await this.repository.archivesAppliedSince(
      manager,
      line.regionCode,
      line.effectiveFrom,
      RECHECK_LIMIT,
    );
    const out: DibaoRecheckArchiveDto[] = [];
    for (const archive of candidates) {
      const inForce = await this.lineFor(archive.regionCode, archive.appliedOn, manager);
      if (inForce?.id === line.id) {
        out.push({
          id: archive.id,
          archiveNo: archive.archiveNo,
          status: archive.status,
          appliedOn: archive.appliedOn,
        });
      }
    }
    return out;
  }
}

const RECHECK_LIMIT = 500;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function toDto(line: DibaoLineEntity): DibaoLineDto {
  return {
    id: line.id,
    regionCode: line.regionCode,
    effectiveFrom: line.effectiveFrom,
    monthlyAmountFen: line.monthlyAmountFen,
    source: line.source,
    createdBy: line.createdBy,
    createdAt: line.createdAt.toISOString(),
  };
}
