import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors';
import { AuditService } from '../../audit/audit.service';
import { AuthorizationService } from '../../auth/authorization/authorization.service';
import type { Principal } from '../../auth/principal';
import { ArchivesErrorCode } from '../archives.errors';
import { ArchivesService } from '../archives.service';
import { chinaDate } from '../rules/rule-violation';
import type { ArchiveAidExclusionEntity } from './archive-aid-exclusion.entity';
import { AidExclusionsRepository } from './aid-exclusions.repository';
import { ArchiveAidExclusionDto, MarkAidExclusionDto } from './aid-exclusions.dto';

/**
 * 本年度不纳入帮扶: staff in scope mark an active archive as left out of this (or next) year's aid, with
 * the reason; the archive stays active and eligible in other years. Audited.
 */
@Injectable()
export class AidExclusionsService {
  constructor(
    private readonly exclusions: AidExclusionsRepository,
    private readonly archives: ArchivesService,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async mark(
    principal: Principal,
    archiveId: string,
    dto: MarkAidExclusionDto,
  ): Promise<ArchiveAidExclusionDto> {
    const row = await this.audit.auditDenials(
      principal,
      'archives.exclude-aid-year',
      { type: 'archive', id: archiveId },
      () =>
        this.exclusions.transaction(async (manager) => {
          const archive = await this.archives.loadForUpdate(manager, archiveId);
          this.authorization.assertInScope(principal, archive.orgUnit.path);
          if (archive.status !== 'active') {
            throw new DomainError(ArchivesErrorCode.ARCHIVE_AID_EXCLUSION_NOT_ACTIVE, {
              status: archive.status,
            });
          }
          const thisYear = Number(chinaDate(this.clock.now()).slice(0, 4));
          if (dto.year !== thisYear && dto.year !== thisYear + 1) {
            throw new DomainError(ArchivesErrorCode.ARCHIVE_AID_EXCLUSION_YEAR_INVALID, {
              year: dto.year,
              allowed: [thisYear, thisYear + 1],
            });
          }
          if (await this.exclusions.exists(manager, archiveId, dto.year)) {
            throw new DomainError(ArchivesErrorCode.ARCHIVE_AID_EXCLUSION_EXISTS, { year: dto.year });
          }
          const saved = await this.exclusions.insert(manager, {
            archiveId,
            year: dto.year,
            reason: dto.reason,
            markedBy: principal.userId,
          });
          await this.audit.record(
            {
              action: 'archive.exclude-aid-year',
              outcome: 'success',
              actor: principal,
              target: { type: 'archive', id: archiveId },
              details: { year: saved.year, reason: saved.reason },
            },
            manager,
          );
          return saved;
        }),
    );
    return toDto(row);
  }
}

export function toDto(row: ArchiveAidExclusionEntity): ArchiveAidExclusionDto {
  return {
    id: row.id,
    archiveId: row.archiveId,
    year: row.year,
    reason: row.reason,
    markedBy: row.markedBy,
    markedAt: row.markedAt.toISOString(),
  };
}
