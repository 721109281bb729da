import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { calendarDays } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { requestContext } from '../../common/context/request-context';
import { decryptField, FieldCipher, objectionContactField } from '../../common/crypto';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData, maskName, maskPhone } from '../../common/masking';
import { Page, pageOf, pageWindow, PaginationQueryDto } from '../../common/pagination/pagination';
import { AppConfig } from '../../config';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal, StaffRole } from '../auth/principal';
import type { OrgUnitEntity } from '../org-units/org-unit.entity';
import { BASIC_LEVELS } from '../org-units/rules/org-unit.rule';
import { OPEN_ARCHIVE_STATUSES, type ArchiveFlag, type ArchiveStatus } from './archive.enums';
import type { ArchiveEntity } from './archive.entity';
import { ArchivesErrorCode } from './archives.errors';
import { chinaDate } from './rules/rule-violation';
import {
  actorMay,
  type ActorFacts,
  findTransition,
  transitionRefusalCode,
  targetStatus,
  type Transition,
  type TransitionActor,
  type WorkflowCommand,
} from './workflow/archive-transitions.rule';
import type { ArchiveObjectionEntity, HomeVisitRecord } from './workflow/archive-workflow.entities';
import { ArchiveWorkflowErrorCode } from './workflow/archive-workflow.errors';
import { ArchiveWorkflowChanges, ArchiveWorkflowRepository } from './workflow/archive-workflow.repository';
import { ARCHIVE_RECORDS, type ArchiveRecordsPort } from './workflow/archive-records.port';
import type {
  AcceptTransferDto,
  ApproveArchiveDto,
  CancelArchiveDto,
  ConvertArchiveDto,
  ExitArchiveDto,
  RejectTransferDto,
  ReopenArchiveDto,
  ResolveObjectionDto,
  ReverifyArchiveDto,
  ReviewArchiveDto,
  SubmitArchiveDto,
  TransferArchiveDto,
  VerifyArchiveDto,
} from './workflow/dto/workflow-commands.dto';
import type {
  ArchiveHistoryEntryDto,
  ArchiveWorkflowStateDto,
  ListObjectionsQueryDto,
  ListPublicNoticesQueryDto,
  LodgeObjectionDto,
  ObjectionLodgedDto,
  ObjectionResponseDto,
  PublicNoticeDto,
} from './workflow/dto/workflow-responses.dto';
import { addMonths, noticePeriod, workingCalendar, type WorkingCalendar } from './workflow/working-days.rule';
import { ObjectionRateLimit } from './workflow/objection-rate-limit';

/** The statuses a 转正 round passes through before the archive is active (and formal) again. */
const CONVERSION_CHAIN: readonly ArchiveStatus[] = ['submitted', 'verifying', 'approving', 'publicizing'];
/** The daily jobs act as this actor in events and the audit log. */
const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;
/** Active archives are visited every six months (DESIGN §2, Visits). */
const VISIT_INTERVAL_MONTHS = 6;
const SWEEP_BATCH = 200;
/** History steps whose note and details the owner worker does not see (they may identify the objector). */
const OBJECTION_COMMANDS: ReadonlySet<string> = new Set(['lodge-objection', 'resolve-objection']);

/** What a command adds to the archive, the event and the audit row; `null` (jobs only) skips the archive. */
interface CommandEffect {
  changes?: ArchiveWorkflowChanges;
  details?: Record<string, unknown>;
  reasons?: string[];
  visit?: HomeVisitRecord | null;
  note?: string | null;
}

interface CommandContext {
  manager: EntityManager;
  archive: ArchiveEntity;
  unit: OrgUnitEntity;
  transition: Transition;
  now: Date;
  today: string;
}

interface CommandInput {
  command: WorkflowCommand;
  decision?: string;
  /** The version the client read; absent for jobs and objection resolutions (their rows are locked). */
  version?: number;
  note?: string | null;
}

/**
 * The identification workflow (submit → review → verify → approve → public notice → active), objections,
 * dynamic management (exit, cancel, transfer, convert) and the daily sweeps. Every command is one
 * transaction: the archive row is locked, checked (scope, version, state, role and unit level,
 * separation of duties), moved, and the step written to `archive_events` and the audit log together.
 */
@Injectable()
export class ArchiveWorkflowService {
  private readonly logger = new Logger(ArchiveWorkflowService.name);
  private readonly calendar: WorkingCalendar;

  constructor(
    private readonly repository: ArchiveWorkflowRepository,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly cipher: FieldCipher,
    private readonly rateLimit: ObjectionRateLimit,
    @Inject(ARCHIVE_RECORDS) private readonly records: ArchiveRecordsPort,
  ) {
    // The official holidays (config/holidays.yml) plus any local extra days.
    const days = calendarDays(config.calendar.years, config.archives);
    this.calendar = workingCalendar(days.holidays, days.makeUpWorkdays);
  }

  // ---- identification ------------------------------------------------------------------------

  /** 提交: the owner worker or a caseworker in scope; every submission rule must pass (422 lists them all). */
  async submit(principal: Principal, id: string, dto: SubmitArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note);
    return this.command(
      principal,
      id,
      { command: 'submit', version: dto.version, note: dto.note },
      async (ctx) => {
        const violations = await this.records.validateForSubmission(ctx.manager, ctx.archive.id, ctx.now);
        if (violations.length > 0)
          throw new DomainError(ArchivesErrorCode.ARCHIVE_RULES_FAILED, { violations });
        return {
          changes: {
            submittedBy: principal.userId,
            submittedAt: ctx.now,
            // The application date: the first submission's, kept when a returned archive comes back.
            appliedOn: ctx.archive.appliedOn ?? ctx.today,
            noticeStartsOn: null,
            noticeEndsOn: null,
          },
          details: { resubmission: ctx.archive.status === 'returned' },
        };
      },
    );
  }

  /** 基层审查 by a reviewer of the archive's own union, who neither entered nor ever submitted it. */
  async review(principal: Principal, id: string, dto: ReviewArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note, ...(dto.reasons ?? []));
    return this.command(
      principal,
      id,
      { command: 'review', decision: dto.decision, version: dto.version, note: dto.note },
      async (ctx) => {
        await this.assertNotEnteredOrSubmitted(principal, ctx);
        return { reasons: dto.reasons ?? [] };
      },
    );
  }

  /** 复核 by a reviewer of the unit above, with the home-visit record (入户核实). */
  async verify(principal: Principal, id: string, dto: VerifyArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note, dto.visit.findings, ...dto.visit.visitors, ...(dto.reasons ?? []));
    return this.command(
      principal,
      id,
      { command: 'verify', decision: dto.decision, version: dto.version, note: dto.note },
      async (ctx) => {
        await this.assertNotEnteredOrSubmitted(principal, ctx);
        const submittedOn = ctx.archive.submittedAt ? chinaDate(ctx.archive.submittedAt) : null;
        if (dto.visit.date > ctx.today || (submittedOn && dto.visit.date < submittedOn)) {
          throw new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_VISIT_DATE_INVALID, {
            date: dto.visit.date,
          });
        }
        const visit: HomeVisitRecord = {
          date: dto.visit.date,
          visitors: dto.visit.visitors,
          findings: dto.visit.findings,
        };
        const changes: ArchiveWorkflowChanges =
          dto.decision === 'pass'
            ? { lastVerifiedAt: ctx.now, flags: without(ctx.archive.flags, 'stale_verification') }
            : {};
        return { changes, visit, reasons: dto.reasons ?? [], details: { visitDate: visit.date } };
      },
    );
  }

  /**
   * 审定 by an approver in scope who neither entered nor ever submitted the archive, nor reviewed or
   * verified it in this round. Approval opens the public notice: from the next working day, for the
   * configured working days.
   */
  async approve(principal: Principal, id: string, dto: ApproveArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note, ...(dto.reasons ?? []));
    return this.command(
      principal,
      id,
      { command: 'approve', decision: dto.decision, version: dto.version, note: dto.note },
      async (ctx) => {
        await this.assertNotEnteredOrSubmitted(principal, ctx);
        const deciders = await this.repository.deciderIdsSinceSubmit(ctx.manager, ctx.archive.id, [
          'review',
          'verify',
        ]);
        if (deciders.includes(principal.userId)) {
          throw new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_SAME_PERSON_DECIDES_TWICE);
        }
        if (dto.decision !== 'approve') return { reasons: dto.reasons ?? [] };
        const notice = noticePeriod(ctx.today, this.config.archives.publicNoticeWorkingDays, this.calendar);
        return {
          changes: { noticeStartsOn: notice.startsOn, noticeEndsOn: notice.endsOn },
          details: { noticeStartsOn: notice.startsOn, noticeEndsOn: notice.endsOn },
        };
      },
    );
  }

  // ---- dynamic management ----------------------------------------------------------------------

  /** 脱困: the household leaves hardship and is watched for relapse (返困), with a visit due at the end. */
  async exit(principal: Principal, id: string, dto: ExitArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note, dto.reason);
    return this.command(
      principal,
      id,
      { command: 'exit', version: dto.version, note: dto.note },
      async (ctx) => {
        const watchUntil = addMonths(ctx.today, this.config.archives.relapseWatchMonths);
        return {
          changes: {
            relapseWatchUntil: watchUntil,
            nextVisitDueOn: watchUntil,
            flags: with_(without(ctx.archive.flags, 'stale_verification'), 'relapse_watch'),
          },
          reasons: [dto.reason],
          details: { relapseWatchUntil: watchUntil },
        };
      },
    );
  }

  /**
   * 复核 of an active archive: a home visit (two checkers at least) or a document check, recorded by a
   * reviewer in scope. The check's date becomes the archive's last verification (never earlier than the
   * one it had), which clears the `stale_verification` flag when it lies within the configured months; a
   * home visit also sets the next visit due. The change is a version of the archive and a workflow step.
   */
  async reverify(
    principal: Principal,
    id: string,
    dto: ReverifyArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note, dto.check.findings, ...dto.check.checkers);
    if (dto.method === 'home_visit' && dto.check.checkers.length < 2) {
      throw new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_REVERIFY_CHECKERS_TOO_FEW);
    }
    return this.command(
      principal,
      id,
      { command: 'reverify', version: dto.version, note: dto.note },
      async (ctx) => {
        const { archive } = ctx;
        const previous = archive.lastVerifiedAt ?? archive.activatedAt ?? archive.createdAt;
        if (dto.check.date > ctx.today || dto.check.date < chinaDate(previous)) {
          throw new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_REVERIFY_DATE_INVALID, {
            date: dto.check.date,
          });
        }
        const checkedAt = chinaStartOf(dto.check.date);
        const verifiedAt =
          archive.lastVerifiedAt && archive.lastVerifiedAt.getTime() > checkedAt.getTime()
            ? archive.lastVerifiedAt
            : checkedAt;
        const stale = verifiedAt.getTime() <= this.staleCutoff().getTime();
        const flags = stale
          ? with_(archive.flags, 'stale_verification')
          : without(archive.flags, 'stale_verification');
        return {
          changes: {
            lastVerifiedAt: verifiedAt,
            flags,
            ...(dto.method === 'home_visit'
              ? { nextVisitDueOn: addMonths(dto.check.date, VISIT_INTERVAL_MONTHS) }
              : {}),
          },
          visit: { date: dto.check.date, visitors: dto.check.checkers, findings: dto.check.findings },
          details: { method: dto.method, checkDate: dto.check.date, stale },
        };
      },
    );
  }

  /**
   * 返困: an exited household falls back into hardship. A caseworker in scope reopens the archive as
   * `returned` with the reason; it then needs a new submission and the whole chain (review, verification,
   * approval, notice) before it is active again, with its number and history kept. Refused while a person
   * of the household is in another open archive (they may have been archived anew since the exit).
   */
  async reopen(principal: Principal, id: string, dto: ReopenArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note, dto.reason);
    return this.command(
      principal,
      id,
      { command: 'reopen', version: dto.version, note: dto.note },
      async (ctx) => {
        const violations = (
          await this.records.validateForSubmission(ctx.manager, ctx.archive.id, ctx.now)
        ).filter((v) => v.code === 'PERSON_ALREADY_IN_ARCHIVE' || v.code === 'HOUSEHOLD_DUPLICATE_ARCHIVE');
        if (violations.length > 0) {
          throw new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_REOPEN_PERSON_ELSEWHERE, { violations });
        }
        const today = ctx.today;
        const withinWatch = ctx.archive.relapseWatchUntil !== null && ctx.archive.relapseWatchUntil >= today;
        return {
          changes: {
            flags: without(ctx.archive.flags, 'relapse_watch'),
            relapseWatchUntil: null,
            // A new application: judged on the 低保 line in force when it is submitted again.
            appliedOn: null,
            noticeStartsOn: null,
            noticeEndsOn: null,
            nextVisitDueOn: null,
          },
          reasons: [dto.reason],
          details: { relapse: true, withinWatch },
        };
      },
    );
  }

  /** 注销 with a coded reason. */
  async cancel(principal: Principal, id: string, dto: CancelArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note);
    return this.command(
      principal,
      id,
      { command: 'cancel', version: dto.version, note: dto.note },
      async () => ({
        changes: { nextVisitDueOn: null },
        details: {
          cancelReason: dto.reason,
          ...(dto.reason === 'ineligible' ? { failedRule: dto.failedRule } : {}),
        },
      }),
    );
  }

  /** 移交: completes only when the receiving union accepts; until then the archive is `transferring`. */
  async transfer(
    principal: Principal,
    id: string,
    dto: TransferArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note);
    return this.command(
      principal,
      id,
      { command: 'transfer', version: dto.version, note: dto.note },
      async (ctx) => {
        const target = await this.repository.findUnit(dto.toUnitId, ctx.manager);
        if (!target || !BASIC_LEVELS.includes(target.level) || target.id === ctx.archive.orgUnitId) {
          throw new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_TRANSFER_TARGET_INVALID, {
            toUnitId: dto.toUnitId,
          });
        }
        return {
          changes: { transferToUnitId: target.id, statusBeforeTransfer: ctx.archive.status },
          details: { fromUnitId: ctx.archive.orgUnitId, toUnitId: target.id },
        };
      },
    );
  }

  /** The receiving union takes the archive over: number, history and status are kept. */
  async acceptTransfer(
    principal: Principal,
    id: string,
    dto: AcceptTransferDto,
  ): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note);
    return this.command(
      principal,
      id,
      { command: 'accept-transfer', version: dto.version, note: dto.note },
      async (ctx) => {
        const requester = await this.repository.lastTransferRequester(ctx.manager, ctx.archive.id);
        this.authorization.assertNotSelf(principal, requester);
        return {
          changes: {
            orgUnitId: ctx.archive.transferToUnitId!,
            transferToUnitId: null,
            statusBeforeTransfer: null,
          },
          details: { fromUnitId: ctx.archive.orgUnitId, toUnitId: ctx.archive.transferToUnitId },
        };
      },
    );
  }

  /** The receiving union refuses: the archive stays where it was, in the status it had. */
  async rejectTransfer(
    principal: Principal,
    id: string,
    dto: RejectTransferDto,
  ): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note);
    return this.command(
      principal,
      id,
      { command: 'reject-transfer', version: dto.version, note: dto.note },
      async (ctx) => ({
        changes: { transferToUnitId: null, statusBeforeTransfer: null },
        details: { fromUnitId: ctx.archive.orgUnitId, toUnitId: ctx.archive.transferToUnitId },
      }),
    );
  }

  /**
   * 转正: a temporary archive becomes formal (and so escapes the 2-year expiry), never by one person. A
   * draft or returned one changes kind now and then goes through the chain like any application. An
   * active one is submitted again: every submission rule re-runs (422), then review, verification,
   * approval and notice; it becomes formal at activation, and a return or rejection on the way ends the
   * conversion with the archive active (temporary) again. Whoever starts it decides on none of the steps.
   */
  async convert(principal: Principal, id: string, dto: ConvertArchiveDto): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note);
    return this.command(
      principal,
      id,
      { command: 'convert', version: dto.version, note: dto.note },
      async (ctx) => {
        if (ctx.archive.status !== 'active') {
          return { changes: { kind: 'formal' }, details: { fromKind: 'temporary', toKind: 'formal' } };
        }
        const violations = await this.records.validateForSubmission(ctx.manager, ctx.archive.id, ctx.now);
        if (violations.length > 0)
          throw new DomainError(ArchivesErrorCode.ARCHIVE_RULES_FAILED, { violations });
        return {
          changes: {
            conversionRequestedAt: ctx.now,
            submittedBy: principal.userId,
            submittedAt: ctx.now,
            // Judged as a formal application today, on the 低保 line in force now.
            appliedOn: ctx.today,
            noticeStartsOn: null,
            noticeEndsOn: null,
          },
          details: { fromKind: 'temporary', toKind: 'formal', throughReview: true },
        };
      },
    );
  }

  // ---- public notice and objections ---------------------------------------------------------------

  /** Archives in notice today: masked name, unit, category, dates — nothing else. No login. */
  async publicNotices(query: ListPublicNoticesQueryDto): Promise<Page<PublicNoticeDto>> {
    let unitPath: string | undefined;
    if (query.orgUnitId) {
      const unit = await this.repository.findUnit(query.orgUnitId);
      if (!unit) return pageOf([], 0, query);
      unitPath = unit.path;
    }
    const today = chinaDate(this.clock.now());
    const { rows, total } = await this.repository.publicNotices(
      today,
      { unitPath, category: query.category },
      pageWindow(query),
    );
    return pageOf(
      rows.map((r) => ({
        archiveId: r.archiveId,
        maskedName: maskName(r.headName) ?? '',
        unitName: r.unitName,
        category: r.category,
        noticeStartsOn: r.noticeStartsOn,
        noticeEndsOn: r.noticeEndsOn,
      })),
      total,
      query,
    );
  }

  /**
   * 异议, by anyone, during the notice. Counted per IP. An archive not in notice answers 404 whether or
   * not it exists, so the endpoint tells strangers nothing about other archives.
   */
  async lodgeObjection(
    archiveId: string,
    dto: LodgeObjectionDto,
    ip: string | null = requestContext.current()?.ip ?? null,
  ): Promise<ObjectionLodgedDto> {
    await this.rateLimit.enforce(ip);
    this.assertNoPersonalData(dto.reason);
    return this.repository.transaction(async (manager) => {
      const now = this.clock.now();
      const today = chinaDate(now);
      const archive = await this.repository.lockArchive(manager, archiveId);
      if (
        !archive ||
        archive.status !== 'publicizing' ||
        !archive.noticeStartsOn ||
        !archive.noticeEndsOn ||
        today < archive.noticeStartsOn ||
        today > archive.noticeEndsOn
      ) {
        throw new DomainError(ArchiveWorkflowErrorCode.PUBLIC_NOTICE_NOT_FOUND);
      }
      // The row id is chosen first: the contact is encrypted for this objection's row.
      const objectionId = randomUUID();
      const objection = await this.repository.insertObjection(manager, {
        id: objectionId,
        archiveId,
        lodgedAt: now,
        noticeStartsOn: archive.noticeStartsOn,
        reason: dto.reason,
        contactCiphertext: dto.contact
          ? this.cipher.encrypt(dto.contact, objectionContactField(objectionId))
          : null,
      });
      await this.repository.insertEvent(manager, {
        archiveId,
        at: now,
        archiveVersion: archive.version,
        actorId: null,
        actorRole: 'public',
        command: 'lodge-objection',
        decision: null,
        fromStatus: archive.status,
        toStatus: archive.status,
        note: null,
        reasons: [],
        visit: null,
        details: { objectionId: objection.id },
      });
      await this.audit.record(
        {
          action: 'archive.lodge-objection',
          outcome: 'success',
          actor: null,
          target: { type: 'archive', id: archiveId },
          details: { objectionId: objection.id, withContact: !!dto.contact },
        },
        manager,
      );
      return { id: objection.id, lodgedAt: objection.lodgedAt.toISOString(), status: objection.status };
    });
  }

  /** The archive's objections for staff in scope (contact masked); the read is audited. */
  async listObjections(
    principal: Principal,
    archiveId: string,
    query: ListObjectionsQueryDto,
  ): Promise<ObjectionResponseDto[]> {
    return this.deniedIsAudited(principal, 'archives.list-objections', archiveId, async () => {
      const archive = await this.repository.findArchive(archiveId);
      if (!archive) throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_FOUND);
      const unit = await this.mustFindUnit(archive.orgUnitId);
      this.authorization.assertInScope(principal, unit.path);
      const objections = await this.repository.listObjections(archiveId, query.status);
      await this.audit.recordRead(principal, 'archive', archiveId, { view: 'objections' });
      return objections.map((o) => this.objectionResponse(o));
    });
  }

  /**
   * Upholding an objection during the notice sends the archive back to `verifying` (notice cleared);
   * dismissing one needs a note. The archive stays locked while the objection is decided. Nobody judges
   * an objection against their own work: not whoever entered or submitted the archive, nor the approver
   * whose decision opened the notice.
   */
  async resolveObjection(
    principal: Principal,
    archiveId: string,
    objectionId: string,
    dto: ResolveObjectionDto,
  ): Promise<ArchiveWorkflowStateDto> {
    this.assertNoPersonalData(dto.note);
    return this.command(
      principal,
      archiveId,
      { command: 'resolve-objection', decision: dto.decision, note: dto.note },
      async (ctx) => {
        await this.assertNotEnteredOrSubmitted(principal, ctx);
        const approver = await this.repository.lastApproverId(ctx.manager, ctx.archive.id);
        if (approver && approver === principal.userId) {
          throw new DomainError(ArchiveWorkflowErrorCode.OBJECTION_OWN_APPROVAL);
        }
        const objection = await this.repository.lockObjection(ctx.manager, archiveId, objectionId);
        if (!objection) throw new DomainError(ArchiveWorkflowErrorCode.OBJECTION_NOT_FOUND);
        if (objection.status !== 'open') {
          throw new DomainError(ArchiveWorkflowErrorCode.OBJECTION_ALREADY_RESOLVED, {
            status: objection.status,
          });
        }
        await this.repository.resolveObjection(ctx.manager, objection.id, {
          status: dto.decision === 'uphold' ? 'upheld' : 'dismissed',
          resolutionNote: dto.note ?? null,
          resolvedBy: principal.userId,
          resolvedAt: ctx.now,
        });
        const backToVerifying = ctx.transition.to === 'verifying';
        return {
          changes: backToVerifying ? { noticeStartsOn: null, noticeEndsOn: null } : {},
          details: { objectionId: objection.id },
        };
      },
    );
  }

  // ---- history -------------------------------------------------------------------------------------

  /**
   * Workflow steps and field-level changes, newest first; for staff in scope and the owner worker (who
   * sees return reasons but not which staff member acted, nor what an objection or its resolution said:
   * that could tell the household who objected). Audited as a read of the archive.
   */
  async history(
    principal: Principal,
    id: string,
    query: PaginationQueryDto,
  ): Promise<Page<ArchiveHistoryEntryDto>> {
    return this.deniedIsAudited(principal, 'archives.read-history', id, async () => {
      const archive = await this.repository.findArchive(id);
      if (!archive) throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_FOUND);
      const isWorker = principal.kind === 'worker';
      if (isWorker) {
        this.authorization.assertWorkerOwns(principal, archive.ownerUserId);
      } else {
        await this.assertStaffSees(principal, archive);
      }
      const { rows, total } = await this.repository.history(id, pageWindow(query));
      await this.audit.recordRead(principal, 'archive', id, { view: 'history' });
      const items = rows.map((r): ArchiveHistoryEntryDto => {
        const hideActor = isWorker && r.actorId !== principal.userId;
        const hideContent = isWorker && OBJECTION_COMMANDS.has(r.action);
        return {
          type: r.type,
          at: r.at.toISOString(),
          actorId: hideActor ? null : r.actorId,
          actorName: hideActor ? null : r.actorName,
          actorRole: r.actorRole,
          action: r.action,
          decision: r.decision,
          fromStatus: r.fromStatus,
          toStatus: r.toStatus,
          note: hideContent ? null : r.note,
          reasons: hideContent ? [] : (r.reasons ?? []),
          visit: r.visit,
          details: hideContent ? {} : (r.details ?? {}),
          version: r.version,
          diff: r.diff,
        };
      });
      return pageOf(items, total, query);
    });
  }

  // ---- daily jobs ----------------------------------------------------------------------------------

  /**
   * Archives whose notice ended (before today, China time) with no open objection become active with
   * the next number of their unit's region for the year. One transaction per archive; conditions are
   * re-checked under the row lock, so running twice (or concurrently) activates each archive once.
   */
  async activatePublicized(): Promise<{ activated: number }> {
    let activated = 0;
    await this.sweep(
      (limit) => this.repository.publicizedDueIds(chinaDate(this.clock.now()), limit),
      async (id) => {
        const done = await this.systemCommand(id, { command: 'activate' }, async (ctx) => {
          if (!ctx.archive.noticeEndsOn || ctx.archive.noticeEndsOn >= ctx.today) return null;
          if ((await this.repository.countOpenObjections(ctx.manager, ctx.archive.id)) > 0) return null;
          let archiveNo = ctx.archive.archiveNo;
          if (!archiveNo) {
            const year = Number(ctx.today.slice(0, 4));
            const seq = await this.repository.nextArchiveSeq(ctx.manager, ctx.unit.regionCode, year);
            archiveNo = `${ctx.unit.regionCode}-${year}-${String(seq).padStart(5, '0')}`;
          }
          // A 转正 round that passed the whole chain: the archive is formal from now on.
          const converted = ctx.archive.conversionRequestedAt !== null;
          return {
            changes: {
              archiveNo,
              activatedAt: ctx.now,
              nextVisitDueOn: addMonths(ctx.today, VISIT_INTERVAL_MONTHS),
              ...(converted ? { kind: 'formal' as const } : {}),
            },
            details: { archiveNo, ...(converted ? { fromKind: 'temporary', toKind: 'formal' } : {}) },
          };
        });
        if (done) activated += 1;
        return done;
      },
    );
    return { activated };
  }

  /**
   * Temporary archives (临时救助) older than the configured years — since activation, or since creation
   * if never activated — are cancelled with reason `temporary_expired`.
   */
  async cancelExpiredTemporary(): Promise<{ cancelled: number }> {
    let cancelled = 0;
    const years = this.config.archives.temporaryArchiveMaxAgeYears;
    const cutoff = () => {
      const d = this.clock.now();
      d.setUTCFullYear(d.getUTCFullYear() - years);
      return d;
    };
    await this.sweep(
      (limit) => this.repository.expiredTemporaryIds(cutoff(), OPEN_ARCHIVE_STATUSES, limit),
      async (id) => {
        const done = await this.systemCommand(id, { command: 'expire-temporary' }, async (ctx) => {
          const since = ctx.archive.activatedAt ?? ctx.archive.createdAt;
          if (since.getTime() > cutoff().getTime()) return null;
          return {
            changes: { transferToUnitId: null, statusBeforeTransfer: null, nextVisitDueOn: null },
            details: { cancelReason: 'temporary_expired', maxAgeYears: years },
          };
        });
        if (done) cancelled += 1;
        return done;
      },
    );
    return { cancelled };
  }

  /**
   * Drafts nobody changed for `archives.draftExpiryDays` are cancelled with reason `draft_expired`,
   * audited as the system: an abandoned draft should not linger with a household's personal data.
   */
  async expireStaleDrafts(): Promise<{ expired: number }> {
    let expired = 0;
    const days = this.config.archives.draftExpiryDays;
    const cutoff = () => new Date(this.clock.now().getTime() - days * 86_400_000);
    await this.sweep(
      (limit) => this.repository.staleDraftIds(cutoff(), limit),
      async (id) => {
        const done = await this.systemCommand(id, { command: 'expire-draft' }, async (ctx) => {
          if (ctx.archive.updatedAt.getTime() > cutoff().getTime()) return null;
          return {
            changes: { nextVisitDueOn: null },
            details: { cancelReason: 'draft_expired', draftExpiryDays: days },
          };
        });
        if (done) expired += 1;
        return done;
      },
    );
    return { expired };
  }

  /**
   * Active archives not verified for the configured months get `stale_verification`; those verified
   * since lose it. Not a status change: recorded as a `flag-stale` step and audited per archive.
   */
  async flagStale(): Promise<{ flagged: number; cleared: number }> {
    let flagged = 0;
    let cleared = 0;
    const cutoff = () => this.staleCutoff();
    await this.sweep(
      (limit) => this.repository.staleFlagMismatchIds(cutoff(), limit),
      async (id) => {
        let stale = false;
        const done = await this.flagStep(id, 'flag-stale', 'stale_verification', (archive) => {
          if (archive.status !== 'active') return null;
          const since = archive.lastVerifiedAt ?? archive.activatedAt ?? archive.createdAt;
          stale = since.getTime() <= cutoff().getTime();
          return stale === archive.flags.includes('stale_verification') ? null : stale;
        });
        if (done && stale) flagged += 1;
        else if (done) cleared += 1;
        return done;
      },
    );
    return { flagged, cleared };
  }

  /**
   * Exited archives whose relapse watch (返困观察, `relapseWatchMonths` after the exit) ended before today
   * lose the `relapse_watch` flag; the watch's end date stays on the archive. Recorded as an
   * `end-relapse-watch` step, a version and an audit row per archive; running twice changes nothing.
   */
  async endRelapseWatch(): Promise<{ ended: number }> {
    let ended = 0;
    await this.sweep(
      (limit) => this.repository.relapseWatchEndedIds(chinaDate(this.clock.now()), limit),
      async (id) => {
        const today = chinaDate(this.clock.now());
        const done = await this.flagStep(id, 'end-relapse-watch', 'relapse_watch', (archive) =>
          archive.status === 'exited' &&
          archive.flags.includes('relapse_watch') &&
          (archive.relapseWatchUntil === null || archive.relapseWatchUntil < today)
            ? false
            : null,
        );
        if (done) ended += 1;
        return done;
      },
    );
    return { ended };
  }

  /**
   * A daily job's flag change on one archive, under its row lock: `decide` says whether the flag is to be
   * set (true), removed (false) or left (null: the archive no longer qualifies). Not a status change: a
   * version, a `command` step and an audit row.
   */
  private flagStep(
    id: string,
    command: 'flag-stale' | 'end-relapse-watch',
    flag: ArchiveFlag,
    decide: (archive: ArchiveEntity) => boolean | null,
  ): Promise<boolean> {
    return this.repository.transaction(async (manager) => {
      const archive = await this.repository.lockArchive(manager, id);
      if (!archive) return false;
      const set = decide(archive);
      if (set === null) return false;
      const flags = set ? with_(archive.flags, flag) : without(archive.flags, flag);
      const before = await this.records.snapshot(manager, id);
      const updated = await this.repository.updateArchive(manager, id, archive.version, { flags });
      if (!updated) return false;
      await this.records.recordVersion(manager, before, null, command);
      const details = { flag, set };
      await this.repository.insertEvent(manager, {
        archiveId: id,
        at: this.clock.now(),
        archiveVersion: updated.version,
        actorId: null,
        actorRole: 'system',
        command,
        decision: null,
        fromStatus: archive.status,
        toStatus: archive.status,
        note: null,
        reasons: [],
        visit: null,
        details,
      });
      await this.audit.record(
        {
          action: `archive.${command}`,
          outcome: 'success',
          actor: SYSTEM_ACTOR,
          ip: null,
          target: { type: 'archive', id },
          details,
        },
        manager,
      );
      return true;
    });
  }

  /** Verified at or before this instant means stale (the configured months before now). */
  private staleCutoff(): Date {
    const d = this.clock.now();
    d.setUTCMonth(d.getUTCMonth() - this.config.archives.staleVerificationMonths);
    return d;
  }

  // ---- the command pipeline ----------------------------------------------------------------------

  /**
   * One staff or worker command in one transaction. Checks, in order: the archive exists (404); the
   * caller may see it (403); the version is the one the caller read (409); the state allows the command
   * (409 with the current status); the caller's role and unit level fit the transition (403); then the
   * command's own checks in `effect`. A 403 is recorded as `access.denied` after the rollback.
   */
  private command(
    principal: Principal,
    archiveId: string,
    input: CommandInput,
    effect: (ctx: CommandContext) => Promise<CommandEffect>,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.deniedIsAudited(principal, `archives.${input.command}`, archiveId, () =>
      this.repository.transaction(async (manager) => {
        const archive = await this.repository.lockArchive(manager, archiveId);
        if (!archive) throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_FOUND);
        const unit = await this.mustFindUnit(archive.orgUnitId, manager);
        const receiving = archive.transferToUnitId
          ? await this.repository.findUnit(archive.transferToUnitId, manager)
          : null;
        if (principal.kind === 'worker') {
          this.authorization.assertWorkerOwns(principal, archive.ownerUserId);
        } else if (!this.inScope(principal, unit) && !(receiving && this.inScope(principal, receiving))) {
          throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
        }
        if (input.version !== undefined && input.version !== archive.version) {
          throw new DomainError(ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT, {
            currentVersion: archive.version,
          });
        }
        const transition = this.transitionFor(archive, input);
        const facts: ActorFacts = {
          kind: principal.kind,
          roles: principal.roles,
          isOwner: principal.kind === 'worker' && archive.ownerUserId === principal.userId,
          isOwnUnit: principal.kind === 'staff' && principal.orgUnitId === unit.id,
          isParentUnit:
            principal.kind === 'staff' && !!unit.parentId && principal.orgUnitId === unit.parentId,
          inScope: this.inScope(principal, unit),
          receivingInScope: !!receiving && this.inScope(principal, receiving),
        };
        const allowed = actorMay(transition, facts);
        if (!allowed.ok) throw this.actorRefusal(transition, allowed.reason);

        const now = this.clock.now();
        const ctx: CommandContext = { manager, archive, unit, transition, now, today: chinaDate(now) };
        const effectResult = await effect(ctx);
        return this.apply(ctx, input, effectResult, principal, actingRole(transition, principal));
      }),
    );
  }

  /** A job's step on one archive; false when the archive no longer qualifies (or `effect` says so). */
  private systemCommand(
    archiveId: string,
    input: CommandInput,
    effect: (ctx: CommandContext) => Promise<CommandEffect | null>,
  ): Promise<boolean> {
    return this.repository.transaction(async (manager) => {
      const archive = await this.repository.lockArchive(manager, archiveId);
      if (!archive) return false;
      const lookup = findTransition(archive.status, archive.kind, input.command, input.decision);
      if (!lookup.ok) return false;
      const unit = await this.mustFindUnit(archive.orgUnitId, manager);
      const now = this.clock.now();
      const ctx: CommandContext = {
        manager,
        archive,
        unit,
        transition: lookup.transition,
        now,
        today: chinaDate(now),
      };
      const effectResult = await effect(ctx);
      if (!effectResult) return false;
      await this.apply(ctx, input, effectResult, null, 'system');
      return true;
    });
  }

  /** Moves the archive, writes the step and the audit row (last: it holds the audit chain lock). */
  private async apply(
    ctx: CommandContext,
    input: CommandInput,
    effect: CommandEffect,
    principal: Principal | null,
    actorRole: string,
  ): Promise<ArchiveWorkflowStateDto> {
    const { archive, manager, transition, now } = ctx;
    const converting = archive.conversionRequestedAt !== null;
    const to = targetStatus(transition, archive.status, archive.statusBeforeTransfer, converting);
    const changes: ArchiveWorkflowChanges = { ...effect.changes };
    if (to !== archive.status) changes.status = to;
    // A 转正 round lasts while the archive is in the chain; leaving it (activated, or refused and back to
    // active as a temporary archive, or closed) ends it.
    const conversionEnded = converting && !CONVERSION_CHAIN.includes(to);
    if (conversionEnded) changes.conversionRequestedAt = null;
    const details = {
      ...(conversionEnded && to === 'active' && transition.command !== 'activate'
        ? { conversionRefused: true }
        : {}),
      ...effect.details,
    };
    let current = archive;
    if (Object.keys(changes).length > 0) {
      // Every saved change is also a version with its field-level diff (status, notice dates, unit, number…).
      const before = await this.records.snapshot(manager, archive.id);
      const updated = await this.repository.updateArchive(manager, archive.id, archive.version, changes);
      if (!updated)
        throw new DomainError(ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT, {
          currentVersion: archive.version,
        });
      await this.records.recordVersion(manager, before, principal?.userId ?? null, input.command);
      current = updated;
    }
    const note = effect.note !== undefined ? effect.note : (input.note ?? null);
    await this.repository.insertEvent(manager, {
      archiveId: archive.id,
      at: now,
      archiveVersion: current.version,
      actorId: principal?.userId ?? null,
      actorRole,
      command: input.command,
      decision: input.decision ?? null,
      fromStatus: archive.status,
      toStatus: to,
      note: note || null,
      reasons: effect.reasons ?? [],
      visit: effect.visit ?? null,
      details,
    });
    await this.audit.record(
      {
        action: `archive.${input.command}`,
        outcome: 'success',
        actor: principal ?? SYSTEM_ACTOR,
        ...(principal ? {} : { ip: null }),
        target: { type: 'archive', id: archive.id },
        details: {
          from: archive.status,
          to,
          ...(input.decision ? { decision: input.decision } : {}),
          ...(effect.reasons?.length ? { reasonCount: effect.reasons.length } : {}),
          ...details,
        },
      },
      manager,
    );
    return stateDto(current);
  }

  /**
   * Separation of duties: nobody decides on an archive they entered or submitted. Every submit event
   * counts, not just `submittedBy`, which a resubmission after a return overwrites.
   */
  private async assertNotEnteredOrSubmitted(principal: Principal, ctx: CommandContext): Promise<void> {
    this.authorization.assertNotSelf(principal, ctx.archive.createdBy);
    this.authorization.assertNotSelf(principal, ctx.archive.submittedBy);
    for (const submitter of await this.repository.submitterIds(ctx.manager, ctx.archive.id)) {
      this.authorization.assertNotSelf(principal, submitter);
    }
  }

  private transitionFor(archive: ArchiveEntity, input: CommandInput): Transition {
    const lookup = findTransition(archive.status, archive.kind, input.command, input.decision);
    if (lookup.ok) return lookup.transition;
    throw new DomainError(
      transitionRefusalCode(lookup.reason),
      lookup.reason === 'kind' ? { kind: archive.kind } : { status: archive.status, command: input.command },
    );
  }

  private actorRefusal(transition: Transition, reason: 'role' | 'unit'): DomainError {
    if (reason === 'role')
      return new DomainError(AuthorizationErrorCode.ACCESS_DENIED, {
        action: `archives.${transition.command}`,
      });
    const relation = transition.actors.find(
      (a): a is Extract<TransitionActor, { kind: 'staff' }> => a.kind === 'staff',
    )?.unit;
    if (relation === 'own' || relation === 'parent') {
      return new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL, { required: relation });
    }
    return new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
  }

  private inScope(principal: Principal, unit: OrgUnitEntity): boolean {
    return this.authorization.isInScope(principal, unit.path);
  }

  /** Staff see an archive of their subtree, and one being transferred into it. */
  private async assertStaffSees(principal: Principal, archive: ArchiveEntity): Promise<void> {
    const unit = await this.mustFindUnit(archive.orgUnitId);
    if (this.inScope(principal, unit)) return;
    if (archive.transferToUnitId) {
      const receiving = await this.repository.findUnit(archive.transferToUnitId);
      if (receiving && this.inScope(principal, receiving)) return;
    }
    throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
  }

  private async mustFindUnit(id: string, manager?: EntityManager): Promise<OrgUnitEntity> {
    const unit = await this.repository.findUnit(id, manager);
    // The foreign key guarantees the unit; its absence is a broken database, not a client error.
    if (!unit) throw new Error(`archive unit ${id} missing`);
    return unit;
  }

  /** Notes, reasons and findings are shown to other people: no ID or phone numbers in free text. */
  private assertNoPersonalData(...texts: Array<string | null | undefined>): void {
    for (const text of texts) {
      if (text && findUnmaskedPersonalData(text).length > 0) {
        throw new DomainError(ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA);
      }
    }
  }

  /** Runs `handle` over every id `next` finds, in batches, skipping ids that no longer qualify. */
  private async sweep(
    next: (limit: number) => Promise<string[]>,
    handle: (id: string) => Promise<boolean>,
  ): Promise<void> {
    const skipped = new Set<string>();
    for (;;) {
      const ids = (await next(SWEEP_BATCH + skipped.size)).filter((id) => !skipped.has(id));
      if (ids.length === 0) return;
      for (const id of ids) {
        try {
          if (!(await handle(id))) skipped.add(id);
        } catch (error) {
          // One broken archive must not stop the sweep; it is retried on the next run.
          this.logger.error({ archiveId: id, err: error }, '档案定时任务处理失败');
          skipped.add(id);
        }
      }
    }
  }

  private objectionResponse(o: ArchiveObjectionEntity): ObjectionResponseDto {
    let contact: string | null = null;
    if (o.contactCiphertext) {
      // One that does not decrypt fails the request, logged with its row; never a made-up placeholder.
      contact = maskPhone(decryptField(this.cipher, o.contactCiphertext, objectionContactField(o.id)));
    }
    return {
      id: o.id,
      archiveId: o.archiveId,
      lodgedAt: o.lodgedAt.toISOString(),
      noticeStartsOn: o.noticeStartsOn,
      reason: o.reason,
      contact,
      status: o.status,
      resolutionNote: o.resolutionNote,
      resolvedBy: o.resolvedBy,
      resolvedAt: o.resolvedAt?.toISOString() ?? null,
    };
  }

  private deniedIsAudited<T>(
    principal: Principal,
    action: string,
    targetId: string,
    work: () => Promise<T>,
  ): Promise<T> {
    return this.audit.auditDenials(principal, action, { type: 'archive', id: targetId }, work);
  }
}

/** The capacity a caller acted in: the first of the transition's staff roles it holds, or `worker`. */
function actingRole(transition: Transition, principal: Principal): string {
  if (principal.kind === 'worker') return 'worker';
  for (const actor of transition.actors) {
    if (actor.kind !== 'staff') continue;
    const role = actor.roles.find((r: StaffRole) => principal.roles.includes(r));
    if (role) return role;
  }
  return principal.roles[0] ?? principal.kind;
}

/** 00:00 China time of a YYYY-MM-DD date. */
function chinaStartOf(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

function without(flags: readonly ArchiveFlag[], flag: ArchiveFlag): ArchiveFlag[] {
  return flags.filter((f) => f !== flag);
}

function with_(flags: readonly ArchiveFlag[], flag: ArchiveFlag): ArchiveFlag[] {
  return flags.includes(flag) ? [...flags] : [...flags, flag];
}

export function stateDto(a: ArchiveEntity): ArchiveWorkflowStateDto {
  return {
    id: a.id,
    archiveNo: a.archiveNo,
    kind: a.kind,
    category: a.category,
    status: a.status as ArchiveStatus,
    orgUnitId: a.orgUnitId,
    flags: a.flags,
    submittedAt: a.submittedAt?.toISOString() ?? null,
    noticeStartsOn: a.noticeStartsOn,
    noticeEndsOn: a.noticeEndsOn,
    activatedAt: a.activatedAt?.toISOString() ?? null,
    lastVerifiedAt: a.lastVerifiedAt?.toISOString() ?? null,
    conversionRequestedAt: a.conversionRequestedAt?.toISOString() ?? null,
    relapseWatchUntil: a.relapseWatchUntil,
    nextVisitDueOn: a.nextVisitDueOn,
    transferToUnitId: a.transferToUnitId,
    version: a.version,
  };
}
