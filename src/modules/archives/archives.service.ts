/**
 * ArchivesService — the archive data side (建档立卡: records, rules, versions, consents, reveals).
 *
 * Used by the workflow (ArchiveWorkflowService) and seeds; these signatures are kept stable:
 *
 *   loadForUpdate(manager, id): Promise<LoadedArchive>
 *       SELECT … FOR UPDATE of the archive row, then its unit, members and income items (in order).
 *       Throws 404 ARCHIVE_NOT_FOUND. Call inside your transaction.
 *   load(id, manager?): Promise<LoadedArchive>                      the same without a lock
 *       (one statement: the household comes as JSON subqueries of the archive's row)
 *   validateForSubmission(manager, archive, now, options?): Promise<RuleViolation[]>
 *       五清 + household figures vs the 低保 line in force on the application date (`appliedOn`, else
 *       `now`'s date) + identity + one archive per
 *       household (takes advisory locks per person, so call it in the transaction that changes status)
 *       + consents (skip with `{ consents: false }`). Empty array = passes. The duplicate messages name
 *       the other unit only for staff: `options.viewer`, else the principal of the current request.
 *   assertNoViolations(violations): void
 *       Throws 422 ARCHIVE_RULES_FAILED with details `{ violations }` when there is any.
 *   snapshot(archive): ArchiveSnapshot                               take one BEFORE changing the entity
 *   recordVersion(manager, before, after, actor, action): Promise<void>
 *       Writes an `archive_versions` row: the field-level diff (identifiers masked) between `before`
 *       (a snapshot, or null for a creation) and `after` (the saved archive, reloaded, or a snapshot of
 *       it); `after.version` is the version number, so save the change first (an UPDATE through TypeORM's
 *       query builder bumps @VersionColumn by itself). Skipped when nothing changed.
 *   versionsOf(archiveId, manager?): Promise<ArchiveVersionEntity[]>  newest first (for the history)
 *   toDetailDto(archive, manager?, viewer?, related?): Promise<ArchiveDetailDto>
 *       masked full record, with consents (`related`: read with the archive by loadDetail, else read here)
 *   toListDto(archive): ArchiveListItemDto                            masked list row (needs `orgUnit`)
 *   assertCanRead(principal, archive): void                           worker owns it / staff in scope (403)
 *
 * Pure rules for seeds: `submissionRuleViolations` (rules/archive-rules.ts), `householdFigures`,
 * `categoryViolations`, `assetFlags`/`withAssetFlags`, `fiveClearsStatus`, `identityViolations`,
 * `householdDuplicateViolations`, `consentProblems`, `diffArchives`.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { requestContext } from '../../common/context/request-context';
import {
  archiveField,
  decryptField,
  FieldCipher,
  MaskedFieldCache,
  memberField,
  type FieldContext,
} from '../../common/crypto';
import { CommonErrorCode, DomainError } from '../../common/errors';
import { findUnmaskedPersonalData, maskBankAccount, maskIdNumber, maskPhone } from '../../common/masking';
import { Page, pageOf, pageWindow } from '../../common/pagination/pagination';
import { parseIdNumber } from '../../common/validation';
import { AppConfig } from '../../config';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { OrgUnitsService } from '../org-units/org-units.service';
import { BASIC_LEVELS } from '../org-units/rules/org-unit.rule';
import { UsersService } from '../users/users.service';
import { ArchiveEntity } from './archive.entity';
import { OPEN_ARCHIVE_STATUSES, type ArchiveStatus } from './archive.enums';
import type { ArchiveMemberEntity } from './archive-household.entities';
import { ArchivesErrorCode } from './archives.errors';
import {
  ArchivesRepository,
  type ArchiveListRow,
  type ArchiveRelated,
  type ArchiveWithUnit,
  type LoadedArchive,
  type NewIncomeItem,
  type NewMember,
} from './archives.repository';
import type { ProposedChange } from './change-requests/archive-change-request.entity';
import { ChangeRequestsErrorCode } from './change-requests/change-requests.errors';
import { ArchiveConsentEntity } from './consents/archive-consent.entity';
import { consentProblems } from './consents/consent-problems.rule';
import { DibaoLinesService } from './dibao-lines/dibao-lines.service';
import { ListArchivesQueryDto, RecordConsentDto, RevealArchiveFieldDto } from './dto/archive-actions.dto';
import {
  CreateArchiveDto,
  HeadInputDto,
  HeadUpdateDto,
  IncomeItemInputDto,
  MemberInputDto,
  UpdateArchiveDto,
} from './dto/archive-input.dto';
import {
  ArchiveConsentDto,
  ArchiveDetailDto,
  ArchiveDraftWarningDto,
  ArchiveListItemDto,
  RevealedArchiveFieldDto,
} from './dto/archive.response.dto';
import { submissionRuleViolations, type HouseholdFacts } from './rules/archive-rules';
import { withAssetFlags } from './rules/assets.rule';
import { fiveClearsStatus } from './rules/five-clears.rule';
import {
  householdFigures,
  type HouseholdFigures,
  type HouseholdIncomeInput,
} from './rules/household-figures.rule';
import { householdDuplicateViolations, type HouseholdPerson } from './rules/household-duplicate.rule';
import { identityViolations, type IdentityMember } from './rules/identity.rule';
import { ageOn, chinaDate, type RuleViolation } from './rules/rule-violation';
import type { ArchiveVersionEntity } from './versions/archive-version.entity';
import {
  diffArchives,
  snapshotArchive,
  type ArchiveSnapshot,
  type SensitiveValue,
} from './versions/archive-diff';

export type { LoadedArchive, ArchiveWithUnit } from './archives.repository';
export type { RuleViolation } from './rules/rule-violation';
export type { ArchiveSnapshot } from './versions/archive-diff';

/** Audit actions of the data side (`<target-type>.<verb>`). */
export const ArchiveAuditAction = {
  CREATE: 'archive.create',
  UPDATE: 'archive.update',
  READ: 'archive.read',
  LIST: 'archive.list',
  REVEAL: 'archive.reveal',
  CONSENT: 'archive.consent-record',
  /** A non-staff caller hit the one-archive-per-household check: a possible probe for who is in an archive. */
  DUPLICATE_HIT: 'archive.duplicate-hit',
} as const;

/** Who is recorded as having changed a version: a principal, or null for jobs. */
export type VersionActor = Pick<Principal, 'userId'> | null;

/** Statuses in which the owner (worker) or a caseworker edits freely; in `active` only caseworkers, rules re-run. */
const DRAFT_STATUSES: readonly ArchiveStatus[] = ['draft', 'returned'];

/** A member as the service works with it before writing: the row values plus the plaintext ID (never stored). */
interface PreparedMember {
  row: NewMember;
  idNumber: string;
  /** A stored member (matched by id) now carries another ID number: someone else, whose consents are not these. */
  idNumberChanged: boolean;
  statedGender: 'male' | 'female' | null;
  statedBirthDate: string | null;
}

@Injectable()
export class ArchivesService {
  constructor(
    private readonly repository: ArchivesRepository,
    private readonly dibaoLines: DibaoLinesService,
    private readonly cipher: FieldCipher,
    private readonly maskedFields: MaskedFieldCache,
    private readonly orgUnits: OrgUnitsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  // ───────────────────────────── exports for the workflow and seeds ─────────────────────────────

  async loadForUpdate(manager: EntityManager, id: string): Promise<LoadedArchive> {
    const archive = await this.repository.loadForUpdate(manager, id);
    if (!archive) throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_FOUND);
    return archive;
  }

  /** The worker's archive that has not ended (draft to active, or transferring), if it has one (needs). */
  ownedUnendedArchiveId(ownerUserId: string): Promise<string | null> {
    return this.repository.findUnendedOwned(ownerUserId);
  }

  async load(id: string, manager?: EntityManager): Promise<LoadedArchive> {
    const archive = await this.repository.load(id, manager);
    if (!archive) throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_FOUND);
    return archive;
  }

  /** `load` with the consents and aid exclusions a detail page shows, in the same statement. */
  private async loadDetail(
    id: string,
    manager?: EntityManager,
  ): Promise<{ archive: LoadedArchive; related: ArchiveRelated }> {
    const found = await this.repository.loadDetail(id, manager);
    if (!found) throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_FOUND);
    return found;
  }

  async validateForSubmission(
    manager: EntityManager,
    archive: LoadedArchive,
    now: Date,
    options: { consents?: boolean; viewer?: Principal } = {},
  ): Promise<RuleViolation[]> {
    // The application's date, not today's: an archive is judged by the line in force when it was applied for.
    const applicationDate = archive.appliedOn ?? chinaDate(now);
    const line = await this.dibaoLines.lineFor(archive.regionCode, applicationDate, manager);
    const facts = this.factsOf(archive);
    const violations = submissionRuleViolations(facts, {
      dibaoLineFen: line?.monthlyAmountFen ?? null,
      marginalMultiple: this.config.archives.marginalMultiple,
      excludedIncomeKinds: this.config.archives.excludedIncomeKinds,
      dibaoCertificateEvidence:
        archive.dibaoCertificateNo !== null &&
        (await this.repository.hasEvidence(manager, archive.id, 'dibao_certificate')),
      applicationDate,
      now,
    });
    violations.push(...(await this.duplicateViolations(manager, archive, options.viewer, archive.id)));
    if (options.consents !== false) {
      const consents = await this.repository.consentsOf(manager, archive.id);
      violations.push(...consentProblems(archive.members, consents, now));
    }
    return violations;
  }

  assertNoViolations(violations: readonly RuleViolation[]): void {
    if (violations.length > 0) {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_RULES_FAILED, { violations });
    }
  }

  snapshot(archive: LoadedArchive): ArchiveSnapshot {
    return snapshotArchive(
      { archive, members: archive.members, incomeItems: archive.incomeItems },
      (kind, ciphertext, blindIndex, field) => this.sensitive(kind, ciphertext, blindIndex, field),
    );
  }

  async recordVersion(
    manager: EntityManager,
    before: ArchiveSnapshot | null,
    after: LoadedArchive | ArchiveSnapshot,
    actor: VersionActor,
    action: string,
  ): Promise<void> {
    const afterSnapshot = 'fields' in after ? after : this.snapshot(after);
    const diff = diffArchives(before, afterSnapshot);
    if (Object.keys(diff).length === 0) return;
    await this.repository.insertVersion(manager, {
      archiveId: afterSnapshot.archiveId,
      version: afterSnapshot.version,
      changedBy: actor?.userId ?? null,
      changedAt: this.clock.now(),
      action,
      diff,
    });
  }

  versionsOf(archiveId: string, manager?: EntityManager): Promise<ArchiveVersionEntity[]> {
    return this.repository.versionsOf(archiveId, manager);
  }

  async toDetailDto(
    archive: LoadedArchive,
    manager?: EntityManager,
    viewer?: Principal,
    related?: ArchiveRelated,
  ): Promise<ArchiveDetailDto> {
    const consents =
      related?.consents ??
      (await this.repository.consentsOf(manager ?? this.repository.defaultManager, archive.id));
    const aidExclusions =
      related?.aidExclusions ??
      (await this.repository.aidExclusionsOf(manager ?? this.repository.defaultManager, archive.id));
    const draftWarnings = await this.draftWarnings(
      manager ?? this.repository.defaultManager,
      archive,
      viewer,
    );
    const today = chinaDate(this.clock.now());
    return {
      id: archive.id,
      archiveNo: archive.archiveNo,
      kind: archive.kind,
      category: archive.category,
      status: archive.status,
      orgUnitId: archive.orgUnitId,
      orgUnitName: archive.orgUnit?.name ?? null,
      ownerUserId: archive.ownerUserId,
      regionCode: archive.regionCode,
      address: archive.address,
      head: {
        name: archive.headName,
        idNumber:
          this.masked(
            'id_number',
            archive.headIdNumberCiphertext,
            archiveField(archive, 'head_id_number_ciphertext'),
          ) ?? '',
        birthDate: archive.headBirthDate,
        gender: archive.headGender,
        age: ageOn(archive.headBirthDate, today),
        phone: this.masked(
          'phone',
          archive.headPhoneCiphertext,
          archiveField(archive, 'head_phone_ciphertext'),
        ),
        employer: archive.employer,
        employmentStatus: archive.employmentStatus,
        monthlyIncomeFen: archive.headMonthlyIncomeFen,
        bankAccount: this.masked(
          'bank_account',
          archive.bankAccountCiphertext,
          archiveField(archive, 'bank_account_ciphertext'),
        ),
      },
      members: archive.members.map((m) => ({
        id: m.id,
        relation: m.relation,
        name: m.name,
        idNumber: this.masked('id_number', m.idNumberCiphertext, memberField(m)) ?? '',
        birthDate: m.birthDate,
        gender: m.gender,
        age: ageOn(m.birthDate, today),
        occupation: m.occupation,
        monthlyIncomeFen: m.monthlyIncomeFen,
        health: m.health,
        schoolingStage: m.schoolingStage,
      })),
      incomeItems: archive.incomeItems.map((i) => ({
        id: i.id,
        kind: i.kind,
        monthlyAmountFen: i.monthlyAmountFen,
        note: i.note,
      })),
      housingType: archive.housingType,
      housingAreaSqm: archive.housingAreaSqm === null ? null : Number(archive.housingAreaSqm),
      hasVehicle: archive.hasVehicle,
      hasSecondProperty: archive.hasSecondProperty,
      hasBusinessLicence: archive.hasBusinessLicence,
      assetNotes: archive.assetNotes,
      causes: [...archive.causes],
      primaryCause: archive.primaryCause,
      householdSituation: archive.householdSituation,
      causeDescription: archive.causeDescription,
      skills: archive.skills,
      jobWishes: archive.jobWishes,
      stateOfMind: archive.stateOfMind,
      dibaoCertificateNo: archive.dibaoCertificateNo,
      incidentOn: archive.incidentOn,
      incidentIncomeLossFen: archive.incidentIncomeLossFen,
      incidentExpenseFen: archive.incidentExpenseFen,
      fiveClears: fiveClearsStatus(archive),
      householdSize: archive.householdSize,
      monthlyIncomeFen: archive.monthlyIncomeFen,
      perCapitaIncomeFen: archive.perCapitaIncomeFen,
      flags: [...archive.flags],
      consents: consents.map(consentDto),
      createdBy: archive.createdBy,
      submittedBy: archive.submittedBy,
      submittedAt: iso(archive.submittedAt),
      appliedOn: archive.appliedOn,
      noticeStartsOn: archive.noticeStartsOn,
      noticeEndsOn: archive.noticeEndsOn,
      activatedAt: iso(archive.activatedAt),
      lastVerifiedAt: iso(archive.lastVerifiedAt),
      relapseWatchUntil: archive.relapseWatchUntil,
      nextVisitDueOn: archive.nextVisitDueOn,
      transferToUnitId: archive.transferToUnitId,
      createdAt: archive.createdAt.toISOString(),
      updatedAt: archive.updatedAt.toISOString(),
      version: archive.version,
      draftWarnings,
      aidExclusions: aidExclusions.map((e) => ({
        year: e.year,
        reason: e.reason,
        markedBy: e.markedBy,
        markedAt: e.markedAt.toISOString(),
      })),
    };
  }

  /**
   * For staff, while the archive is being prepared: its people who also appear in someone else's draft.
   * A draft reserves no one, so this only warns — whichever is submitted first binds the duplicate rule.
   * Workers are told nothing (typing an ID number must not reveal who is applying elsewhere).
   */
  private async draftWarnings(
    manager: EntityManager,
    archive: LoadedArchive,
    viewer: Principal | undefined,
  ): Promise<ArchiveDraftWarningDto[]> {
    if (viewer?.kind !== 'staff' || !DRAFT_STATUSES.includes(archive.status)) return [];
    const people = [
      { field: 'head.idNumber', bidx: archive.headIdNumberBlindIndex },
      ...archive.members.map((m, i) => ({ field: `members.${i}.idNumber`, bidx: m.idNumberBlindIndex })),
    ];
    const drafts = await this.repository.findArchivesOf(
      manager,
      people.map((p) => p.bidx),
      archive.id,
      ['draft'],
    );
    return people.flatMap(({ field, bidx }) => {
      const units = [
        ...new Set(drafts.filter((d) => d.idNumberBlindIndex === bidx).map((d) => d.orgUnitName)),
      ];
      if (units.length === 0) return [];
      return [
        {
          code: 'PERSON_IN_OTHER_DRAFT',
          field,
          message: `此人也在「${units.sort().join('」「')}」尚未提交的草稿档案中；草稿不占用名额，先提交的档案按一户一档校验`,
        },
      ];
    });
  }

  toListDto(archive: ArchiveListRow): ArchiveListItemDto {
    return {
      id: archive.id,
      archiveNo: archive.archiveNo,
      kind: archive.kind,
      category: archive.category,
      status: archive.status,
      orgUnitId: archive.orgUnitId,
      orgUnitName: archive.orgUnit?.name ?? null,
      headName: archive.headName,
      headIdNumber:
        this.masked(
          'id_number',
          archive.headIdNumberCiphertext,
          archiveField(archive, 'head_id_number_ciphertext'),
        ) ?? '',
      primaryCause: archive.primaryCause,
      householdSize: archive.householdSize,
      perCapitaIncomeFen: archive.perCapitaIncomeFen,
      flags: [...archive.flags],
      createdAt: archive.createdAt.toISOString(),
      updatedAt: archive.updatedAt.toISOString(),
      version: archive.version,
    };
  }

  /** A worker reads only its own archives; staff only archives of units in their subtree. */
  assertCanRead(principal: Principal, archive: LoadedArchive | ArchiveWithUnit): void {
    if (principal.kind === 'worker') {
      this.authorization.assertWorkerOwns(principal, archive.ownerUserId);
      return;
    }
    this.authorization.assertInScope(principal, archive.orgUnit.path);
  }

  /**
   * Applies an approved change request (category, head income, income items, member incomes) to the
   * archive locked in `manager`'s transaction: figures recomputed, every rule but consents re-run (422),
   * a version recorded for `actor` (the reviewer). Returns the archive as saved.
   */
  async applyReviewedChange(
    manager: EntityManager,
    id: string,
    change: ProposedChange,
    actor: Principal,
  ): Promise<LoadedArchive> {
    const now = this.clock.now();
    const archive = await this.loadForUpdate(manager, id);
    const before = this.snapshot(archive);
    if (change.category !== undefined) archive.category = change.category;
    if (change.headMonthlyIncomeFen !== undefined) archive.headMonthlyIncomeFen = change.headMonthlyIncomeFen;
    const idNumbers = this.memberIdNumbers(archive.members);
    const members = archive.members.map((m) => {
      const kept = this.keepMember(m, idNumbers);
      const income = change.memberIncomes?.find((i) => i.memberId === m.id);
      if (income) kept.row.monthlyIncomeFen = income.monthlyIncomeFen;
      return kept;
    });
    const incomeItems = change.incomeItems
      ? change.incomeItems.map((item, position) => ({ ...item, position }))
      : archive.incomeItems.map(incomeRowOf);
    this.applyHouseholdFigures(archive, members, incomeItems);
    if (!(await this.repository.saveArchive(manager, archive))) {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT, { currentVersion: null });
    }
    if (change.memberIncomes)
      await this.repository.replaceMembers(
        manager,
        id,
        members.map((m) => m.row),
        now,
      );
    if (change.incomeItems) await this.repository.replaceIncomeItems(manager, id, incomeItems);
    const after = await this.loadForUpdate(manager, id);
    this.assertNoViolations(
      await this.validateForSubmission(manager, after, now, { consents: false, viewer: actor }),
    );
    await this.recordVersion(manager, before, after, actor, 'change-request');
    return after;
  }

  // ───────────────────────────────────────── commands ─────────────────────────────────────────

  /**
   * A new draft: a worker's own application (its grassroots union, itself as owner) or a caseworker
   * entering one for a household of a grassroots unit in its scope. Identity and the one-archive-per-
   * household check run now; the rest at submission.
   */
  async create(principal: Principal, dto: CreateArchiveDto): Promise<ArchiveDetailDto> {
    const now = this.clock.now();
    const placement = await this.deniedIsAudited(principal, 'archives.create', null, () =>
      this.placeNew(principal, dto),
    );
    // The row id is chosen before the insert: the head's identifiers are encrypted for this row.
    const id = randomUUID();
    const head = this.sealHead(dto.head, id);
    const members = this.resolveMembers(dto.members ?? [], []);
    const incomeItems = incomeRows(dto.incomeItems ?? []);
    const figures = this.figuresOf(dto.head.monthlyIncomeFen, members, incomeItems);
    const assets = {
      hasVehicle: dto.hasVehicle ?? false,
      hasSecondProperty: dto.hasSecondProperty ?? false,
      hasBusinessLicence: dto.hasBusinessLicence ?? false,
    };
    const saved = await this.repository.transaction(async (manager) => {
      if (placement.ownerUserId) {
        // A worker holds at most one archive that has not ended (a household applies once, 一户一档).
        const unended = await this.repository.lockOwnerAndFindUnended(manager, placement.ownerUserId);
        if (unended)
          throw new DomainError(ArchivesErrorCode.ARCHIVE_OWNER_HAS_OPEN_ARCHIVE, { archiveId: unended });
      }
      await this.repository.insertArchive(manager, {
        id,
        kind: dto.kind,
        category: dto.category,
        status: 'draft',
        orgUnitId: placement.orgUnitId,
        ownerUserId: placement.ownerUserId,
        ...head.columns,
        address: dto.address ?? null,
        regionCode: dto.regionCode,
        housingType: dto.housingType ?? null,
        housingAreaSqm: dto.housingAreaSqm == null ? null : dto.housingAreaSqm.toFixed(2),
        ...assets,
        assetNotes: dto.assetNotes ?? null,
        causes: dto.causes ?? [],
        primaryCause: dto.primaryCause ?? null,
        householdSituation: dto.householdSituation ?? null,
        causeDescription: dto.causeDescription ?? null,
        skills: dto.skills ?? null,
        jobWishes: dto.jobWishes ?? null,
        stateOfMind: dto.stateOfMind ?? null,
        dibaoCertificateNo: dto.dibaoCertificateNo ?? null,
        incidentOn: dto.incidentOn ?? null,
        incidentIncomeLossFen: dto.incidentIncomeLossFen ?? null,
        incidentExpenseFen: dto.incidentExpenseFen ?? null,
        ...figures,
        flags: withAssetFlags([], assets),
        createdBy: principal.userId,
      });
      await this.repository.replaceMembers(
        manager,
        id,
        members.map((m) => m.row),
        now,
      );
      await this.repository.replaceIncomeItems(manager, id, incomeItems);
      const after = await this.loadForUpdate(manager, id);
      this.assertNoViolations([
        ...identityViolations({
          head: {
            idNumber: head.idNumber,
            statedGender: dto.head.gender,
            statedBirthDate: dto.head.birthDate,
          },
          members: members.map(identityMember),
          now,
        }),
        ...(await this.duplicateViolations(manager, after, principal, null)),
      ]);
      await this.recordVersion(manager, null, after, principal, 'create');
      await this.audit.record(
        {
          action: ArchiveAuditAction.CREATE,
          outcome: 'success',
          actor: principal,
          target: { type: 'archive', id },
          details: {
            kind: after.kind,
            category: after.category,
            orgUnitId: after.orgUnitId,
            members: members.length,
          },
        },
        manager,
      );
      return after;
    });
    return this.toDetailDto(saved, undefined, principal);
  }

  /**
   * Changes an archive at `dto.version`. Draft/returned: the owner or a caseworker in scope; active: a
   * caseworker in scope, and every rule (except consents) must still pass. Members and income items are
   * replaced as whole lists; figures and asset flags are recomputed.
   */
  async update(principal: Principal, id: string, dto: UpdateArchiveDto): Promise<ArchiveDetailDto> {
    const now = this.clock.now();
    const saved = await this.deniedIsAudited(principal, 'archives.update', id, () =>
      this.repository.transaction(async (manager) => {
        const archive = await this.loadForUpdate(manager, id);
        this.assertCanEdit(principal, archive);
        if (archive.version !== dto.version) {
          throw new DomainError(ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT, {
            currentVersion: archive.version,
          });
        }
        const before = this.snapshot(archive);
        const existingIds = this.memberIdNumbers(archive.members);
        const headBlindIndexBefore = archive.headIdNumberBlindIndex;
        const headIdNumber = this.applyHead(archive, dto.head);
        applyScalars(archive, dto);
        const members = dto.members
          ? this.resolveMembers(dto.members, archive.members, existingIds)
          : archive.members.map((m) => this.keepMember(m, existingIds));
        const incomeItems = dto.incomeItems
          ? incomeRows(dto.incomeItems)
          : archive.incomeItems.map(incomeRowOf);
        this.applyHouseholdFigures(archive, members, incomeItems);
        archive.flags = withAssetFlags(archive.flags, archive);

        if (!(await this.repository.saveArchive(manager, archive))) {
          throw new DomainError(ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT, { currentVersion: null });
        }
        // A consent is the person's: once the record names someone else, theirs no longer counts.
        const consentsWithdrawn = await this.repository.withdrawConsents(
          manager,
          id,
          {
            head: archive.headIdNumberBlindIndex !== headBlindIndexBefore,
            memberIds: members.flatMap((m) => (m.idNumberChanged && m.row.id ? [m.row.id] : [])),
          },
          'subject-id-changed',
          now,
        );
        if (dto.members)
          await this.repository.replaceMembers(
            manager,
            id,
            members.map((m) => m.row),
            now,
          );
        if (dto.incomeItems) await this.repository.replaceIncomeItems(manager, id, incomeItems);
        // Read back as stored (under the lock taken above), with what the answer shows: nothing below
        // changes consents or aid exclusions.
        const { archive: after, related } = await this.loadDetail(id, manager);
        if (after.status === 'active') {
          // Category and income decide what help the household gets: on an active archive they change only
          // through a change request a reviewer approves (POST /archives/:id/change-requests).
          const fields = Object.keys(diffArchives(before, this.snapshot(after))).filter(needsReview);
          if (fields.length > 0) {
            throw new DomainError(ChangeRequestsErrorCode.ARCHIVE_CHANGE_NEEDS_REVIEW, { fields });
          }
        }

        const violations =
          after.status === 'active'
            ? await this.validateForSubmission(manager, after, now, { consents: false, viewer: principal })
            : [
                ...identityViolations({
                  head: {
                    idNumber: headIdNumber,
                    statedGender: dto.head?.gender,
                    statedBirthDate: dto.head?.birthDate,
                  },
                  members: members.map(identityMember),
                  now,
                }),
                ...(await this.duplicateViolations(manager, after, principal, id)),
              ];
        if (after.status === 'active') {
          // validateForSubmission checks identity from the stored numbers; the stated gender/birth date
          // of this request are only here.
          violations.push(
            ...identityViolations({
              head: {
                idNumber: headIdNumber,
                statedGender: dto.head?.gender,
                statedBirthDate: dto.head?.birthDate,
              },
              members: members.map(identityMember),
              now,
            }).filter((v) => v.code.endsWith('_MISMATCH')),
          );
        }
        this.assertNoViolations(violations);

        const afterSnapshot = this.snapshot(after);
        await this.recordVersion(manager, before, afterSnapshot, principal, 'update');
        await this.audit.record(
          {
            action: ArchiveAuditAction.UPDATE,
            outcome: 'success',
            actor: principal,
            target: { type: 'archive', id },
            details: {
              status: after.status,
              version: after.version,
              fields: Object.keys(diffArchives(before, afterSnapshot)).slice(0, 60),
              consentsWithdrawn,
            },
          },
          manager,
        );
        return { after, related };
      }),
    );
    return this.toDetailDto(saved.after, undefined, principal, saved.related);
  }

  /** One archive, masked; the read is audited. */
  async get(principal: Principal, id: string): Promise<ArchiveDetailDto> {
    const { archive, related } = await this.deniedIsAudited(principal, 'archives.read', id, async () => {
      const found = await this.loadDetail(id);
      this.assertCanRead(principal, found.archive);
      return found;
    });
    await this.audit.recordRead(principal, 'archive', archive.id, { status: archive.status });
    return this.toDetailDto(archive, undefined, principal, related);
  }

  /** Masked rows in the caller's scope (workers: their own); the listing is audited with its filters. */
  async list(principal: Principal, query: ListArchivesQueryDto): Promise<Page<ArchiveListItemDto>> {
    let scopePath: string | undefined;
    let ownerUserId: string | undefined;
    if (principal.kind === 'worker') {
      ownerUserId = principal.userId;
    } else {
      scopePath = await this.deniedIsAudited(principal, 'archives.list', query.orgUnitId ?? null, () =>
        this.orgUnits.listScopePath(principal, query.orgUnitId),
      );
    }
    const { rows, total } = await this.repository.list(
      {
        scopePath,
        ownerUserId,
        statuses: query.status,
        kind: query.kind,
        category: query.category,
        cause: query.cause,
        flag: query.flag,
        q: query.q,
      },
      pageWindow(query),
    );
    await this.audit.record({
      action: ArchiveAuditAction.LIST,
      outcome: 'success',
      actor: principal,
      target: { type: 'archive', id: null },
      details: {
        // `q` may be a person's name: only whether it was used.
        filters: {
          status: query.status,
          kind: query.kind,
          category: query.category,
          cause: query.cause,
          orgUnitId: query.orgUnitId,
          flag: query.flag,
          q: query.q === undefined ? undefined : true,
        },
        page: query.page,
        pageSize: query.pageSize,
        // Ids of a 100-row page would not fit the audit row's size limit; the filters and page identify it.
        returned: rows.length,
        total,
      },
    });
    return pageOf(
      rows.map((r) => this.toListDto(r)),
      total,
      query,
    );
  }

  /** One identifier in clear, for a caseworker, reviewer or approver in scope; audited with the reason. */
  async reveal(
    principal: Principal,
    id: string,
    dto: RevealArchiveFieldDto,
  ): Promise<RevealedArchiveFieldDto> {
    if (findUnmaskedPersonalData(dto.reason).length > 0) {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_REASON_CONTAINS_PERSONAL_DATA);
    }
    const archive = await this.deniedIsAudited(principal, 'archives.reveal', id, async () => {
      const found = await this.load(id);
      if (principal.kind !== 'staff') throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED);
      this.authorization.assertInScope(principal, found.orgUnit.path);
      return found;
    });
    const ciphertext = revealCiphertext(archive, dto.field);
    if (ciphertext === undefined || ciphertext.token === null) {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_REVEAL_FIELD_EMPTY, { field: dto.field });
    }
    const value = decryptField(this.cipher, ciphertext.token, ciphertext.field);
    await this.audit.record({
      action: ArchiveAuditAction.REVEAL,
      outcome: 'success',
      actor: principal,
      target: { type: 'archive', id: archive.id },
      details: { field: dto.field, reason: dto.reason },
    });
    return { archiveId: archive.id, field: dto.field, value };
  }

  /**
   * Records a consent the household gave (PIPL): by the owner worker or a caseworker in scope, while the
   * archive is open. The archive row is locked so the member cannot be removed meanwhile.
   */
  async recordConsent(principal: Principal, id: string, dto: RecordConsentDto): Promise<ArchiveConsentDto> {
    const now = this.clock.now();
    const grantedAt = new Date(dto.grantedAt);
    if (grantedAt.getTime() > now.getTime() + 5 * 60_000) {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_CONSENT_IN_FUTURE);
    }
    const consent = await this.deniedIsAudited(principal, 'archives.consent', id, () =>
      this.repository.transaction(async (manager) => {
        const archive = await this.loadForUpdate(manager, id);
        if (principal.kind === 'worker') this.authorization.assertWorkerOwns(principal, archive.ownerUserId);
        else this.authorization.assertInScope(principal, archive.orgUnit.path);
        if (!OPEN_ARCHIVE_STATUSES.includes(archive.status)) {
          throw new DomainError(ArchivesErrorCode.ARCHIVE_CONSENT_NOT_ALLOWED, { status: archive.status });
        }
        const memberId = dto.subject === 'member' ? (dto.memberId ?? null) : null;
        const member = memberId ? archive.members.find((m) => m.id === memberId) : undefined;
        if (memberId && !member) {
          throw new DomainError(ArchivesErrorCode.ARCHIVE_CONSENT_MEMBER_INVALID);
        }
        // No one consents before they are born (the DTO already bounds the date by PIPL and now).
        const subjectBirth = member ? member.birthDate : archive.headBirthDate;
        if (chinaDate(grantedAt) < subjectBirth) {
          throw new DomainError(CommonErrorCode.VALIDATION_FAILED, {
            fields: [{ field: 'grantedAt', problems: ['签署时间不能早于同意主体的出生日期'] }],
          });
        }
        const saved = await this.repository.insertConsent(manager, {
          archiveId: archive.id,
          subject: dto.subject,
          memberId,
          purpose: dto.purpose,
          kind: dto.kind,
          textVersion: dto.textVersion,
          grantedAt,
          recordedBy: principal.userId,
          byGuardian: dto.byGuardian ?? false,
          guardianName: dto.byGuardian ? (dto.guardianName ?? null) : null,
          withdrawnAt: null,
        });
        await this.audit.record(
          {
            action: ArchiveAuditAction.CONSENT,
            outcome: 'success',
            actor: principal,
            target: { type: 'archive', id: archive.id },
            details: {
              consentId: saved.id,
              subject: saved.subject,
              memberId: saved.memberId,
              purpose: saved.purpose,
              kind: saved.kind,
              textVersion: saved.textVersion,
              byGuardian: saved.byGuardian,
            },
          },
          manager,
        );
        return saved;
      }),
    );
    return consentDto(consent);
  }

  // ───────────────────────────────────────── internals ─────────────────────────────────────────

  /** Where a new archive goes and whose it is. */
  private async placeNew(
    principal: Principal,
    dto: CreateArchiveDto,
  ): Promise<{ orgUnitId: string; ownerUserId: string | null }> {
    if (principal.kind === 'worker') {
      // A worker applies for itself, at its own union: choosing another unit or owner is not its call.
      if (dto.orgUnitId !== undefined || dto.ownerUserId !== undefined) {
        throw new DomainError(AuthorizationErrorCode.NOT_OWNER);
      }
      const unit = principal.orgUnitId ? await this.orgUnits.findById(principal.orgUnitId) : null;
      if (!unit || !BASIC_LEVELS.includes(unit.level))
        throw new DomainError(ArchivesErrorCode.ARCHIVE_ORG_UNIT_INVALID);
      return { orgUnitId: unit.id, ownerUserId: principal.userId };
    }
    const unitId = dto.orgUnitId ?? principal.orgUnitId;
    const unit = unitId ? await this.orgUnits.findById(unitId) : null;
    if (!unit) throw new DomainError(ArchivesErrorCode.ARCHIVE_ORG_UNIT_INVALID);
    this.authorization.assertInScope(principal, unit.path);
    if (!BASIC_LEVELS.includes(unit.level)) throw new DomainError(ArchivesErrorCode.ARCHIVE_ORG_UNIT_INVALID);
    if (dto.ownerUserId === undefined) return { orgUnitId: unit.id, ownerUserId: null };
    const owner = await this.users.findById(dto.ownerUserId);
    if (!owner || owner.kind !== 'worker' || owner.orgUnitId !== unit.id || owner.disabledAt !== null) {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_OWNER_INVALID);
    }
    return { orgUnitId: unit.id, ownerUserId: owner.id };
  }

  private assertCanEdit(principal: Principal, archive: LoadedArchive): void {
    if (principal.kind === 'worker') {
      this.authorization.assertWorkerOwns(principal, archive.ownerUserId);
      if (!DRAFT_STATUSES.includes(archive.status)) {
        throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_EDITABLE, { status: archive.status });
      }
      return;
    }
    this.authorization.assertInScope(principal, archive.orgUnit.path);
    if (!principal.roles.includes('caseworker')) throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED);
    if (!DRAFT_STATUSES.includes(archive.status) && archive.status !== 'active') {
      throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_EDITABLE, { status: archive.status });
    }
  }

  /** The encrypted, indexed head columns of a new archive, plus the plaintext ID for the identity rule. */
  private sealHead(
    head: HeadInputDto,
    archiveId: string,
  ): { columns: Partial<ArchiveEntity>; idNumber: string } {
    const at = (column: Parameters<typeof archiveField>[1]) => archiveField({ id: archiveId }, column);
    const parsed = parseIdNumber(head.idNumber, { now: this.clock.now() });
    if (!parsed.ok) {
      // The DTO validated it; a failure here means the clock moved past a birth date typed as today.
      throw new DomainError(ArchivesErrorCode.ARCHIVE_RULES_FAILED, {
        violations: identityViolations({
          head: { idNumber: head.idNumber },
          members: [],
          now: this.clock.now(),
        }),
      });
    }
    return {
      idNumber: parsed.idNumber,
      columns: {
        headName: head.name,
        headIdNumberCiphertext: this.cipher.encrypt(parsed.idNumber, at('head_id_number_ciphertext')),
        headIdNumberBlindIndex: this.cipher.blindIndex(parsed.idNumber, 'id_number'),
        headBirthDate: parsed.birthDate,
        headGender: parsed.gender,
        headPhoneCiphertext: head.phone ? this.cipher.encrypt(head.phone, at('head_phone_ciphertext')) : null,
        headPhoneBlindIndex: head.phone ? this.cipher.blindIndex(head.phone, 'phone') : null,
        employer: head.employer ?? null,
        employmentStatus: head.employmentStatus,
        headMonthlyIncomeFen: head.monthlyIncomeFen,
        bankAccountCiphertext: head.bankAccount
          ? this.cipher.encrypt(head.bankAccount, at('bank_account_ciphertext'))
          : null,
      },
    };
  }

  /** Applies a head update to the entity; returns the head's plaintext ID number (new or stored). */
  private applyHead(archive: LoadedArchive, head: HeadUpdateDto | undefined): string {
    if (head?.idNumber !== undefined) {
      const parsed = parseIdNumber(head.idNumber, { now: this.clock.now() });
      if (parsed.ok) {
        archive.headIdNumberCiphertext = this.cipher.encrypt(
          parsed.idNumber,
          archiveField(archive, 'head_id_number_ciphertext'),
        );
        archive.headIdNumberBlindIndex = this.cipher.blindIndex(parsed.idNumber, 'id_number');
        archive.headBirthDate = parsed.birthDate;
        archive.headGender = parsed.gender;
      }
    }
    if (head) {
      if (head.name !== undefined) archive.headName = head.name;
      if (head.phone !== undefined) {
        archive.headPhoneCiphertext = head.phone
          ? this.cipher.encrypt(head.phone, archiveField(archive, 'head_phone_ciphertext'))
          : null;
        archive.headPhoneBlindIndex = head.phone ? this.cipher.blindIndex(head.phone, 'phone') : null;
      }
      if (head.employer !== undefined) archive.employer = head.employer;
      if (head.employmentStatus !== undefined) archive.employmentStatus = head.employmentStatus;
      if (head.monthlyIncomeFen !== undefined) archive.headMonthlyIncomeFen = head.monthlyIncomeFen;
      if (head.bankAccount !== undefined) {
        archive.bankAccountCiphertext = head.bankAccount
          ? this.cipher.encrypt(head.bankAccount, archiveField(archive, 'bank_account_ciphertext'))
          : null;
      }
    }
    return (
      head?.idNumber ??
      decryptField(
        this.cipher,
        archive.headIdNumberCiphertext,
        archiveField(archive, 'head_id_number_ciphertext'),
      )
    );
  }

  private memberIdNumbers(members: readonly ArchiveMemberEntity[]): Map<string, string> {
    return new Map(
      members.map((m) => [m.id, decryptField(this.cipher, m.idNumberCiphertext, memberField(m))]),
    );
  }

  /** Household size and income figures, income kinds excluded as configured (archives.excludedIncomeKinds). */
  private figuresOf(
    headMonthlyIncomeFen: HouseholdIncomeInput['headMonthlyIncomeFen'],
    members: readonly PreparedMember[],
    incomeItems: HouseholdIncomeInput['incomeItems'],
  ): HouseholdFigures {
    return householdFigures(
      { headMonthlyIncomeFen, members: members.map((m) => m.row), incomeItems },
      this.config.archives.excludedIncomeKinds,
    );
  }

  /** Recomputes the archive's figures from its head income and the household as it will be saved. */
  private applyHouseholdFigures(
    archive: ArchiveEntity,
    members: readonly PreparedMember[],
    incomeItems: HouseholdIncomeInput['incomeItems'],
  ): void {
    Object.assign(archive, this.figuresOf(archive.headMonthlyIncomeFen, members, incomeItems));
  }

  private keepMember(m: ArchiveMemberEntity, idNumbers: Map<string, string>): PreparedMember {
    const { archive: _a, archiveId: _id, ...row } = m;
    return {
      row,
      idNumber: idNumbers.get(m.id) ?? '',
      idNumberChanged: false,
      statedGender: null,
      statedBirthDate: null,
    };
  }

  /**
   * The member list as sent, matched to stored members: by `id`, else by the ID number (so a re-typed
   * member keeps its row and consents). An unknown `id` is a violation, not a silent insert.
   */
  private resolveMembers(
    input: readonly MemberInputDto[],
    existing: readonly ArchiveMemberEntity[],
    existingIdNumbers: Map<string, string> = new Map(),
  ): PreparedMember[] {
    const now = this.clock.now();
    const unknown: RuleViolation[] = [];
    const byBlindIndex = new Map(existing.map((m) => [m.idNumberBlindIndex, m]));
    const used = new Set<string>();
    const prepared = input.map((dto, index): PreparedMember => {
      const stored = dto.id ? existing.find((m) => m.id === dto.id) : undefined;
      if (dto.id && !stored) {
        unknown.push({
          rule: 'identity',
          code: 'MEMBER_UNKNOWN',
          field: `members.${index}.id`,
          message: `第 ${index + 1} 位家庭成员的 id 不属于本档案`,
        });
      }
      const idNumber = dto.idNumber ?? (stored ? (existingIdNumbers.get(stored.id) ?? '') : '');
      const parsed = parseIdNumber(idNumber, { now });
      const blindIndex = parsed.ok ? this.cipher.blindIndex(parsed.idNumber, 'id_number') : '';
      const match = stored ?? (blindIndex ? byBlindIndex.get(blindIndex) : undefined);
      const id = match && !used.has(match.id) ? match.id : undefined;
      if (id) used.add(id);
      // A new member's row id is chosen now: its ID number is encrypted for that row.
      const rowId = id ?? randomUUID();
      return {
        idNumber,
        idNumberChanged: match !== undefined && id !== undefined && match.idNumberBlindIndex !== blindIndex,
        statedGender: dto.gender ?? null,
        statedBirthDate: dto.birthDate ?? null,
        row: {
          id,
          newId: id ? undefined : rowId,
          relation: dto.relation,
          name: dto.name,
          idNumberCiphertext: parsed.ok
            ? this.cipher.encrypt(parsed.idNumber, memberField({ id: rowId }))
            : '',
          idNumberBlindIndex: blindIndex,
          birthDate: parsed.ok ? parsed.birthDate : '1900-01-01',
          gender: parsed.ok ? parsed.gender : 'male',
          occupation: dto.occupation ?? null,
          monthlyIncomeFen: dto.monthlyIncomeFen,
          health: dto.health,
          schoolingStage: dto.schoolingStage,
          position: index,
        },
      };
    });
    // A member without a usable ID number cannot be stored: report them all before writing anything.
    const missing = prepared.flatMap((p, index): RuleViolation[] =>
      p.row.idNumberBlindIndex || unknown.some((u) => u.field === `members.${index}.id`)
        ? []
        : [
            {
              rule: 'identity',
              code: 'MEMBER_ID_NUMBER_REQUIRED',
              field: `members.${index}.idNumber`,
              message: `第 ${index + 1} 位家庭成员须填写有效的身份证号码`,
            },
          ],
    );
    this.assertNoViolations([...unknown, ...missing]);
    return prepared;
  }

  /**
   * Duplicate check for the archive as stored in this transaction (locks each person first). Staff are
   * told the other unit; anyone else gets a generic violation, and the hit is audited (outside this
   * transaction, which the 422 rolls back) since repeated hits are how someone would probe who is in a
   * hardship archive. `targetId` is null for a creation (the new row does not survive the 422).
   */
  private async duplicateViolations(
    manager: EntityManager,
    archive: LoadedArchive,
    viewer: Principal | undefined,
    targetId: string | null,
  ): Promise<RuleViolation[]> {
    const people: HouseholdPerson[] = [
      { field: 'head.idNumber', idNumberBlindIndex: archive.headIdNumberBlindIndex },
      ...archive.members.map((m, i) => ({
        field: `members.${i}.idNumber`,
        idNumberBlindIndex: m.idNumberBlindIndex,
      })),
    ];
    const indexes = people.map((p) => p.idNumberBlindIndex);
    await this.repository.lockPeople(manager, indexes);
    const matches = await this.repository.findArchivesOf(manager, indexes, archive.id);
    const caller = viewer ?? requestContext.current()?.principal;
    const namesUnits = caller === undefined || caller.kind === 'staff';
    const violations = householdDuplicateViolations(people, matches, archive.id, { namesUnits });
    const hits = violations.filter((v) => v.code === 'PERSON_ALREADY_IN_ARCHIVE');
    if (hits.length > 0 && caller) {
      await this.audit.record({
        action: ArchiveAuditAction.DUPLICATE_HIT,
        outcome: 'denied',
        actor: caller,
        target: { type: 'archive', id: targetId },
        details: { fields: hits.map((v) => v.field) },
      });
    }
    return violations;
  }

  private factsOf(archive: LoadedArchive): HouseholdFacts {
    return {
      category: archive.category,
      causes: archive.causes,
      primaryCause: archive.primaryCause,
      householdSituation: archive.householdSituation,
      causeDescription: archive.causeDescription,
      skills: archive.skills,
      jobWishes: archive.jobWishes,
      stateOfMind: archive.stateOfMind,
      headMonthlyIncomeFen: archive.headMonthlyIncomeFen,
      head: {
        idNumber: decryptField(
          this.cipher,
          archive.headIdNumberCiphertext,
          archiveField(archive, 'head_id_number_ciphertext'),
        ),
      },
      members: archive.members.map((m) => ({
        idNumber: decryptField(this.cipher, m.idNumberCiphertext, memberField(m)),
        relation: m.relation,
        schoolingStage: m.schoolingStage,
        monthlyIncomeFen: m.monthlyIncomeFen,
      })),
      incomeItems: archive.incomeItems,
      dibaoCertificateNo: archive.dibaoCertificateNo,
      incidentOn: archive.incidentOn,
      incidentIncomeLossFen: archive.incidentIncomeLossFen,
      incidentExpenseFen: archive.incidentExpenseFen,
    };
  }

  private sensitive(
    kind: 'id_number' | 'phone' | 'bank_account',
    ciphertext: string | null,
    blindIndex: string | null,
    field: FieldContext,
  ): SensitiveValue {
    if (!ciphertext) return { masked: null, fingerprint: null };
    // With a stored blind index only the masked form is needed: the cache's (the same mask of the same
    // token decrypted at the same place). Every write takes two snapshots; each decrypted every field.
    if (blindIndex) return { masked: this.masked(kind, ciphertext, field), fingerprint: blindIndex };
    const plain = decryptField(this.cipher, ciphertext, field);
    return { masked: mask(kind, plain), fingerprint: this.cipher.blindIndex(plain, kind) };
  }

  /**
   * The masked value of a stored identifier; one that does not decrypt fails the request (logged). Pages
   * show the same ciphertexts over and over: their masked forms are kept (MaskedFieldCache).
   */
  private masked(
    kind: 'id_number' | 'phone' | 'bank_account',
    ciphertext: string | null,
    field: FieldContext,
  ): string | null {
    return this.maskedFields.masked(kind, ciphertext, field);
  }

  private deniedIsAudited<T>(
    principal: Principal,
    action: string,
    targetId: string | null,
    work: () => Promise<T>,
  ): Promise<T> {
    return this.audit.auditDenials(principal, action, { type: 'archive', id: targetId }, work);
  }
}

/** Version paths of an active archive that change only through an approved change request. */
function needsReview(path: string): boolean {
  return (
    path === 'category' ||
    path === 'head.monthlyIncomeFen' ||
    path === 'householdSize' ||
    path === 'monthlyIncomeFen' ||
    path === 'perCapitaIncomeFen' ||
    path.startsWith('incomeItems.') ||
    /^members\.\d+\.monthlyIncomeFen$/.test(path)
  );
}

function mask(kind: 'id_number' | 'phone' | 'bank_account', value: string): string | null {
  if (kind === 'id_number') return maskIdNumber(value);
  if (kind === 'phone') return maskPhone(value);
  return maskBankAccount(value);
}

function identityMember(m: PreparedMember): IdentityMember {
  return {
    idNumber: m.idNumber,
    statedGender: m.statedGender,
    statedBirthDate: m.statedBirthDate,
    relation: m.row.relation,
    schoolingStage: m.row.schoolingStage,
  };
}

function incomeRows(items: readonly IncomeItemInputDto[]): NewIncomeItem[] {
  return items.map((item, position) => ({
    kind: item.kind,
    monthlyAmountFen: item.monthlyAmountFen,
    note: item.note ?? null,
    position,
  }));
}

function incomeRowOf(item: {
  kind: NewIncomeItem['kind'];
  monthlyAmountFen: number;
  note: string | null;
  position: number;
}): NewIncomeItem {
  return {
    kind: item.kind,
    monthlyAmountFen: item.monthlyAmountFen,
    note: item.note,
    position: item.position,
  };
}

/** Copies the plain (non-head, non-list) fields of an update onto the entity. */
function applyScalars(archive: ArchiveEntity, dto: UpdateArchiveDto): void {
  if (dto.category !== undefined) archive.category = dto.category;
  if (dto.regionCode !== undefined) archive.regionCode = dto.regionCode;
  if (dto.address !== undefined) archive.address = dto.address;
  if (dto.housingType !== undefined) archive.housingType = dto.housingType;
  if (dto.housingAreaSqm !== undefined) {
    archive.housingAreaSqm = dto.housingAreaSqm === null ? null : dto.housingAreaSqm.toFixed(2);
  }
  if (dto.hasVehicle !== undefined) archive.hasVehicle = dto.hasVehicle;
  if (dto.hasSecondProperty !== undefined) archive.hasSecondProperty = dto.hasSecondProperty;
  if (dto.hasBusinessLicence !== undefined) archive.hasBusinessLicence = dto.hasBusinessLicence;
  if (dto.assetNotes !== undefined) archive.assetNotes = dto.assetNotes;
  if (dto.causes !== undefined) archive.causes = dto.causes;
  if (dto.primaryCause !== undefined) archive.primaryCause = dto.primaryCause;
  if (dto.householdSituation !== undefined) archive.householdSituation = dto.householdSituation;
  if (dto.causeDescription !== undefined) archive.causeDescription = dto.causeDescription;
  if (dto.skills !== undefined) archive.skills = dto.skills;
  if (dto.jobWishes !== undefined) archive.jobWishes = dto.jobWishes;
  if (dto.stateOfMind !== undefined) archive.stateOfMind = dto.stateOfMind;
  if (dto.dibaoCertificateNo !== undefined) archive.dibaoCertificateNo = dto.dibaoCertificateNo;
  if (dto.incidentOn !== undefined) archive.incidentOn = dto.incidentOn;
  if (dto.incidentIncomeLossFen !== undefined) archive.incidentIncomeLossFen = dto.incidentIncomeLossFen;
  if (dto.incidentExpenseFen !== undefined) archive.incidentExpenseFen = dto.incidentExpenseFen;
}

/** The stored ciphertext a reveal field names and where it is stored (undefined: no such member). */
function revealCiphertext(
  archive: LoadedArchive,
  field: string,
): { token: string | null; field: FieldContext } | undefined {
  if (field === 'headIdNumber')
    return {
      token: archive.headIdNumberCiphertext,
      field: archiveField(archive, 'head_id_number_ciphertext'),
    };
  if (field === 'headPhone')
    return { token: archive.headPhoneCiphertext, field: archiveField(archive, 'head_phone_ciphertext') };
  if (field === 'bankAccount')
    return { token: archive.bankAccountCiphertext, field: archiveField(archive, 'bank_account_ciphertext') };
  const index = /^members\.(\d+)\.idNumber$/.exec(field);
  const member = index ? archive.members[Number(index[1])] : undefined;
  return member ? { token: member.idNumberCiphertext, field: memberField(member) } : undefined;
}

function consentDto(c: ArchiveConsentEntity): ArchiveConsentDto {
  return {
    id: c.id,
    subject: c.subject,
    memberId: c.memberId,
    purpose: c.purpose,
    kind: c.kind,
    textVersion: c.textVersion,
    grantedAt: c.grantedAt.toISOString(),
    recordedBy: c.recordedBy,
    byGuardian: c.byGuardian,
    guardianName: c.guardianName,
    withdrawnAt: iso(c.withdrawnAt),
    withdrawalReason: c.withdrawalReason,
  };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
