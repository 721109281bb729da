import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
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
  CreateDibaoLineDto,
  DibaoLineDto,
  ListDibaoLinesQueryDto,
  LookupDibaoLineQueryDto,
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
  ) {}

  /**
   * The line in force for `regionCode` on `date` (YYYY-MM-DD, China time): that of the most specific of
   * its district, city and province that has one in force on the date.
   */
  lineFor(regionCode: string, date: string, manager?: EntityManager): Promise<DibaoLineEntity | null> {
    return this.repository.lineInForce(dibaoRegionCandidates(regionCode), date, manager);
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
   * Adds a dated line. Archivists of a province, city or district union (or the national one) set lines
   * for their own region and below; a grassroots union carries its district's region code but does not
   * publish standards. Rows are never edited and never backdated: archives checked against the old line
   * stay explainable, so a correction is a new row from today or later (China time).
   */
  async create(principal: Principal, dto: CreateDibaoLineDto): Promise<DibaoLineDto> {
    const unit = principal.orgUnitId ? await this.orgUnits.findById(principal.orgUnitId) : null;
    // An industry union (产业工会) has a federation's rank but no government's standard to publish.
    if (!unit || unit.industry || !DIBAO_LINE_SETTER_LEVELS.includes(unit.level)) {
      await this.audit.recordDenied(principal, 'dibao-lines.create', {
        code: AuthorizationErrorCode.ACCESS_DENIED,
        regionCode: dto.regionCode,
      });
      throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED);
    }
    if (unit.level !== 'national' && !regionCovers(unit.regionCode, dto.regionCode)) {
      await this.audit.recordDenied(principal, 'dibao-lines.create', {
        code: AuthorizationErrorCode.OUT_OF_SCOPE,
        regionCode: dto.regionCode,
      });
      throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    }
    const today = chinaDate(this.clock.now());
    if (dto.effectiveFrom < today) {
      throw new DomainError(DibaoLinesErrorCode.DIBAO_LINE_BACKDATED, {
        effectiveFrom: dto.effectiveFrom,
        today,
      });
    }
    const line = await this.repository.transaction(async (manager) => {
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
      await this.audit.record(
        {
          action: 'dibao-line.create',
          outcome: 'success',
          actor: principal,
          target: { type: 'dibao-line', id: inserted.id },
          details: {
            regionCode: inserted.regionCode,
            effectiveFrom: inserted.effectiveFrom,
            monthlyAmountFen: inserted.monthlyAmountFen,
          },
        },
        manager,
      );
      return inserted;
    });
    return toDto(line);
  }
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
