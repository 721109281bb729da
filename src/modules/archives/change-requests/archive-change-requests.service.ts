import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors';
import { findUnmaskedPersonalData } from '../../../common/masking';
import { AuditService } from '../../audit/audit.service';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import { AuthorizationService } from '../../auth/authorization/authorization.service';
import type { Principal } from '../../auth/principal';
import { ArchivesErrorCode } from '../archives.errors';
import { ArchivesService, type LoadedArchive } from '../archives.service';
import type { ArchiveChangeRequestEntity, ProposedChange } from './archive-change-request.entity';
import { ArchiveChangeRequestsRepository } from './archive-change-requests.repository';
import { ChangeRequestsErrorCode } from './change-requests.errors';
import type {
  ChangeRequestResponseDto,
  CreateChangeRequestDto,
  DecideChangeRequestDto,
} from './change-requests.dto';

/**
 * 变更申请: a caseworker in scope proposes a category or income change of an active archive; a reviewer in
 * scope who is not the requester approves it (the change is applied, rules re-run, versioned) or rejects
 * it. Each step is one transaction with the archive row locked, and audited.
 */
@Injectable()
export class ArchiveChangeRequestsService {
  constructor(
    private readonly repository: ArchiveChangeRequestsRepository,
    private readonly archives: ArchivesService,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async request(
    principal: Principal,
    archiveId: string,
    dto: CreateChangeRequestDto,
  ): Promise<ChangeRequestResponseDto> {
    this.assertNoPersonalData(dto.reason);
    const changes: ProposedChange = {
      ...(dto.category !== undefined ? { category: dto.category } : {}),
      ...(dto.headMonthlyIncomeFen !== undefined ? { headMonthlyIncomeFen: dto.headMonthlyIncomeFen } : {}),
      ...(dto.incomeItems
        ? {
            incomeItems: dto.incomeItems.map((i) => ({
              kind: i.kind,
              monthlyAmountFen: i.monthlyAmountFen,
              note: i.note ?? null,
            })),
          }
        : {}),
      ...(dto.memberIncomes
        ? {
            memberIncomes: dto.memberIncomes.map((m) => ({
              memberId: m.memberId,
              monthlyIncomeFen: m.monthlyIncomeFen,
            })),
          }
        : {}),
    };
    if (Object.keys(changes).length === 0)
      throw new DomainError(ChangeRequestsErrorCode.CHANGE_REQUEST_EMPTY);
    return this.audit.auditDenials(
      principal,
      'archives.request-change',
      { type: 'archive', id: archiveId },
      () =>
        this.repository.transaction(async (manager) => {
          const archive = await this.archives.loadForUpdate(manager, archiveId);
          this.assertStaffInScope(principal, archive);
          this.assertActiveAt(archive, dto.version);
          const unknown = (changes.memberIncomes ?? [])
            .map((m) => m.memberId)
            .filter((memberId) => !archive.members.some((m) => m.id === memberId));
          if (unknown.length > 0) {
            throw new DomainError(ChangeRequestsErrorCode.CHANGE_REQUEST_MEMBER_INVALID, {
              memberIds: unknown,
            });
          }
          const pending = await this.repository.pendingOf(manager, archiveId);
          if (pending) {
            throw new DomainError(ChangeRequestsErrorCode.CHANGE_REQUEST_PENDING_EXISTS, {
              requestId: pending.id,
            });
          }
          const saved = await this.repository.insert(manager, {
            archiveId,
            baseVersion: archive.version,
            changes,
            reason: dto.reason,
            requestedBy: principal.userId,
            requestedAt: this.clock.now(),
          });
          await this.audit.record(
            {
              action: 'archive.request-change',
              outcome: 'success',
              actor: principal,
              target: { type: 'archive', id: archiveId },
              details: { changeRequestId: saved.id, fields: Object.keys(changes) },
            },
            manager,
          );
          return responseOf(saved, null);
        }),
    );
  }

  /** The archive's change requests, newest first, for staff in scope; the read is audited. */
  async list(principal: Principal, archiveId: string): Promise<ChangeRequestResponseDto[]> {
    return this.audit.auditDenials(
      principal,
      'archives.list-change-requests',
      { type: 'archive', id: archiveId },
      async () => {
        const archive = await this.archives.load(archiveId);
        this.assertStaffInScope(principal, archive);
        const rows = await this.repository.listOf(archiveId);
        await this.audit.recordRead(principal, 'archive', archiveId, { view: 'change-requests' });
        return rows.map((r) => responseOf(r, null));
      },
    );
  }

  /**
   * A reviewer in scope, not the requester, decides at the archive version it read. Approval applies the
   * change (422 when the archive would break a rule, e.g. a category its income does not support).
   */
  async decide(
    principal: Principal,
    archiveId: string,
    requestId: string,
    dto: DecideChangeRequestDto,
  ): Promise<ChangeRequestResponseDto> {
    this.assertNoPersonalData(dto.note);
    return this.audit.auditDenials(
      principal,
      'archives.decide-change-request',
      { type: 'archive', id: archiveId },
      () =>
        this.repository.transaction(async (manager) => {
          const archive = await this.archives.loadForUpdate(manager, archiveId);
          this.assertStaffInScope(principal, archive);
          const request = await this.repository.lock(manager, archiveId, requestId);
          if (!request) throw new DomainError(ChangeRequestsErrorCode.CHANGE_REQUEST_NOT_FOUND);
          if (request.status !== 'pending') {
            throw new DomainError(ChangeRequestsErrorCode.CHANGE_REQUEST_ALREADY_DECIDED, {
              status: request.status,
            });
          }
          this.assertActiveAt(archive, dto.version);
          this.authorization.assertNotSelf(principal, request.requestedBy);
          let archiveVersion: number | null = null;
          if (dto.decision === 'approve') {
            const after = await this.archives.applyReviewedChange(
              manager,
              archiveId,
              request.changes,
              principal,
            );
            archiveVersion = after.version;
          }
          const decided = await this.repository.decide(manager, request.id, {
            status: dto.decision === 'approve' ? 'approved' : 'rejected',
            decidedBy: principal.userId,
            decidedAt: this.clock.now(),
            decisionNote: dto.note ?? null,
          });
          await this.audit.record(
            {
              action: 'archive.decide-change-request',
              outcome: 'success',
              actor: principal,
              target: { type: 'archive', id: archiveId },
              details: {
                changeRequestId: request.id,
                decision: dto.decision,
                requestedBy: request.requestedBy,
                fields: Object.keys(request.changes),
                ...(archiveVersion !== null ? { version: archiveVersion } : {}),
              },
            },
            manager,
          );
          return responseOf(decided, archiveVersion);
        }),
    );
  }

  private assertStaffInScope(principal: Principal, archive: LoadedArchive): void {
    if (principal.kind !== 'staff') throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED);
    this.authorization.assertInScope(principal, archive.orgUnit.path);
  }

  private assertActiveAt(archive: LoadedArchive, version: number): void {
    if (archive.version !== version) {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT, { currentVersion: archive.version });
    }
    if (archive.status !== 'active') {
      throw new DomainError(ChangeRequestsErrorCode.CHANGE_REQUEST_ARCHIVE_NOT_ACTIVE, {
        status: archive.status,
      });
    }
  }

  private assertNoPersonalData(...texts: Array<string | null | undefined>): void {
    for (const text of texts) {
      if (text && findUnmaskedPersonalData(text).length > 0) {
        throw new DomainError(ChangeRequestsErrorCode.CHANGE_REQUEST_TEXT_CONTAINS_PERSONAL_DATA);
      }
    }
  }
}

function responseOf(r: ArchiveChangeRequestEntity, archiveVersion: number | null): ChangeRequestResponseDto {
  return {
    id: r.id,
    archiveId: r.archiveId,
    status: r.status,
    baseVersion: r.baseVersion,
    changes: r.changes,
    reason: r.reason,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt.toISOString(),
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
    archiveVersion,
  };
}
