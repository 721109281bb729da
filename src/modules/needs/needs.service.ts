import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData, maskName } from '../../common/masking';
import { Page, pageOf, pageWindow } from '../../common/pagination/pagination';
import { OutboxService } from '../../infra/outbox/outbox.service';
import { SearchListService } from '../../infra/search/search-list';
import { ArchivesService } from '../archives/archives.service';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { MenuService } from '../menu/menu.service';
import { renderNotification } from '../notifications/notification-events';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  CreateNeedDto,
  ListNeedsQueryDto,
  NeedCommandDto,
  NeedCreatedDto,
  NeedDto,
  NeedHistoryDto,
  ScreenNeedDto,
} from './dto/needs.dto';
import { NeedEntity } from './need.entity';
import type { NeedRejectReason, NeedState } from './needs.enums';
import { NeedsErrorCode } from './needs.errors';
import { NEEDS_LIST_SORT, needsScopeFilter, needsSearchFilter } from './needs-search.query';
import { NeedMatchRow, NeedRow, NeedsRepository, NeedUniqueViolation } from './needs.repository';
import {
  availableNeedCommands,
  findNeedTransition,
  needActorMay,
  type NeedCommand,
  type NeedTransition,
} from './rules/need-transitions.rule';
import { needInputProblems, screeningViolations } from './rules/need-screening.rule';

export const NEEDS_INDEX = 'needs';
const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;
const DAY_MS = 86_400_000;
/** Needs expired per transaction by the daily job. */
const EXPIRY_BATCH = 200;

/** Who moves a need: a principal, or the system (automatic screening, the daily job). */
type Mover = Principal | 'system';

/**
 * Needs (需求/点单): a worker orders a menu item for its household (or a caseworker on its behalf), the
 * automatic screening rejects it or queues it for a reviewer of the archive's unit or above, who opens or
 * rejects it; open needs expire after the item's validity. Every move is a history row, an audit row and
 * an outbox row (the `needs` search index), in the transaction that makes it.
 */
@Injectable()
export class NeedsService {
  constructor(
    private readonly repository: NeedsRepository,
    private readonly archives: ArchivesService,
    private readonly menu: MenuService,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly outbox: OutboxService,
    private readonly searchLists: SearchListService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, dto: CreateNeedDto): Promise<NeedCreatedDto> {
    const item = await this.menu.findItem(dto.itemCode);
    if (!item || !item.active)
      throw new DomainError(NeedsErrorCode.NEED_ITEM_NOT_FOUND, { code: dto.itemCode });
    const tags = dto.tags ?? [];
    for (const problem of needInputProblems(item, { quantity: dto.quantity, tags })) {
      if (problem.code === 'quantity')
        throw new DomainError(NeedsErrorCode.NEED_QUANTITY_OUT_OF_RANGE, {
          field: 'quantity',
          max: problem.max,
        });
      throw new DomainError(NeedsErrorCode.NEED_TAGS_INVALID, { tags: problem.tags });
    }
    if (dto.description && findUnmaskedPersonalData(dto.description).length > 0)
      throw new DomainError(NeedsErrorCode.NEED_TEXT_CONTAINS_PERSONAL_DATA, { field: 'description' });

    const archive = await this.audit.auditDenials(
      principal,
      'needs.create',
      { type: 'archive', id: dto.archiveId ?? null },
      async () => {
        let archiveId = dto.archiveId;
        if (principal.kind === 'worker') {
          archiveId ??= (await this.archives.ownedUnendedArchiveId(principal.userId)) ?? undefined;
          if (!archiveId) throw new DomainError(NeedsErrorCode.NEED_ARCHIVE_REQUIRED);
        } else if (!archiveId) {
          throw new DomainError(NeedsErrorCode.NEED_ARCHIVE_ID_REQUIRED);
        }
        const loaded = await this.archives.load(archiveId);
        this.archives.assertCanRead(principal, loaded);
        return loaded;
      },
    );
    const beneficiaryKey = dto.beneficiaryMemberId ?? 'head';
    const existing = await this.repository.findOpenDuplicate(archive.id, item.id, beneficiaryKey);
    if (existing) throw new DomainError(NeedsErrorCode.NEED_DUPLICATE, { needId: existing });

    const violations = screeningViolations(item, archive, { memberId: dto.beneficiaryMemberId ?? null });
    let id: string;
    try {
      id = await this.repository.transaction(async (manager) => {
        const now = this.clock.now();
        const need = await this.repository.insert(manager, {
          archiveId: archive.id,
          menuItemId: item.id,
          beneficiaryKey,
          quantity: dto.quantity,
          urgency: dto.urgency,
          tags,
          description: dto.description || null,
          preferredMode: dto.preferredMode ?? 'any',
          regionCode: dto.regionCode ?? archive.regionCode,
          contactPreference: dto.contactPreference,
          state: 'submitted',
          rejectReasons: [],
          createdBy: principal.userId,
          onBehalf: principal.kind !== 'worker',
          stateChangedAt: now,
        });
        await this.repository.insertHistory(manager, {
          needId: need.id,
          at: now,
          actorId: principal.userId,
          actorKind: principal.kind === 'worker' ? 'worker' : 'staff',
          command: 'submit',
          fromState: null,
          toState: 'submitted',
          reasons: [],
          note: principal.kind === 'worker' ? null : '工作人员代为申请',
        });
        await this.audit.record(
          {
            action: 'need.create',
            outcome: 'success',
            actor: principal,
            target: { type: 'need', id: need.id },
            details: {
              archiveId: archive.id,
              item: item.code,
              onBehalf: principal.kind !== 'worker',
              urgency: dto.urgency,
            },
          },
          manager,
        );
        const decision = violations.length > 0 ? 'fail' : 'pass';
        await this.move(manager, need, transitionOf(need.state, 'auto-screen', decision), 'system', {
          reasons: violations,
        });
        await this.outbox.record(manager, NEEDS_INDEX, [need.id]);
        return need.id;
      });
    } catch (error) {
      if (!(error instanceof NeedUniqueViolation)) throw error;
      // A concurrent order of the same item for the same person committed first.
      const winner = await this.repository.findOpenDuplicate(archive.id, item.id, beneficiaryKey);
      throw new DomainError(NeedsErrorCode.NEED_DUPLICATE, { needId: winner });
    }
    await this.outbox.nudge();
    const row = await this.repository.row(id);
    return { ...this.toDto(row!), screeningViolations: violations };
  }

  /** One need, masked; the read is audited. */
  async get(principal: Principal, id: string): Promise<NeedDto> {
    const row = await this.readable(principal, 'needs.read', id);
    await this.audit.recordRead(principal, 'need', id, { state: row.state });
    return this.toDto(row);
  }

  async history(principal: Principal, id: string): Promise<NeedHistoryDto[]> {
    await this.readable(principal, 'needs.read', id);
    const rows = await this.repository.history(id);
    await this.audit.recordRead(principal, 'need', id, { view: 'history' });
    return rows.map((h) => ({
      at: h.at.toISOString(),
      actorId: h.actorId,
      actorKind: h.actorKind,
      command: h.command,
      fromState: h.fromState,
      toState: h.toState,
      reasons: [...h.reasons],
      note: h.note,
    }));
  }

  /**
   * Workers: their household's needs (SQL). Staff: needs of archives in their subtree, answered by the
   * `needs` search index (text and filters, the subtree pushed into the engine) and re-read from
   * PostgreSQL with the subtree and filters checked again (SearchListService): a need the index still
   * places in the subtree after it left it never shows. Audited with the filters.
   */
  async list(principal: Principal, query: ListNeedsQueryDto): Promise<Page<NeedDto>> {
    const sort = query.sort ?? 'urgency';
    const criteria = {
      states: query.state,
      itemCode: query.itemCode,
      category: query.category,
      urgency: query.urgency,
      createdFrom: query.createdFrom ? chinaMidnight(query.createdFrom) : undefined,
      createdBefore: query.createdTo
        ? new Date(chinaMidnight(query.createdTo).getTime() + DAY_MS)
        : undefined,
    };
    const window = pageWindow(query);
    let rows: NeedRow[];
    let total: number;
    if (principal.kind === 'worker') {
      ({ rows, total } = await this.repository.list(
        { ...criteria, ownerUserId: principal.userId, q: query.q },
        window,
        sort,
      ));
    } else {
      const scopePath = await this.audit.auditDenials(
        principal,
        'needs.list',
        { type: 'org-unit', id: query.orgUnitId ?? null },
        () => this.orgUnits.listScopePath(principal, query.orgUnitId),
      );
      ({ rows, total } = await this.searchLists.page({
        index: NEEDS_INDEX,
        q: query.q,
        filter: needsSearchFilter(criteria),
        scope: needsScopeFilter(scopePath),
        sort: NEEDS_LIST_SORT[sort],
        offset: window.skip,
        limit: window.take,
        reload: (ids) => this.repository.confirmRows(ids, { ...criteria, scopePath }),
      }));
    }
    await this.audit.record({
      action: 'need.list',
      outcome: 'success',
      actor: principal,
      target: { type: 'need', id: null },
      details: {
        filters: {
          state: query.state,
          itemCode: query.itemCode,
          category: query.category,
          urgency: query.urgency,
          orgUnitId: query.orgUnitId,
          createdFrom: query.createdFrom,
          createdTo: query.createdTo,
          q: query.q === undefined ? undefined : true,
        },
        sort,
        page: query.page,
        pageSize: query.pageSize,
        returned: rows.length,
        total,
      },
    });
    return pageOf(
      rows.map((r) => this.toDto(r)),
      total,
      query,
    );
  }

  /** The worker, or a caseworker in scope on its behalf, withdraws a need before it is matched. */
  async withdraw(principal: Principal, id: string, dto: NeedCommandDto): Promise<NeedDto> {
    return this.command(principal, id, dto.version, 'needs.withdraw', 'withdraw', undefined, {
      note: dto.note ?? null,
    });
  }

  /** A reviewer of the archive's unit or above opens or rejects a need waiting in `screening`. */
  async screen(principal: Principal, id: string, dto: ScreenNeedDto): Promise<NeedDto> {
    const reasons = dto.decision === 'reject' ? (dto.reasons ?? []) : [];
    if (dto.decision === 'reject' && reasons.length === 0)
      throw new DomainError(NeedsErrorCode.NEED_REJECT_REASONS_REQUIRED);
    return this.command(principal, id, dto.version, 'needs.screen', 'screen', dto.decision, {
      reasons,
      note: dto.note ?? null,
      // Nobody screens a need they ordered on a worker's behalf.
      check: (need) => this.authorization.assertNotSelf(principal, need.createdBy),
    });
  }

  /** The daily sweep: open needs past their validity become `expired`. Safe to run again. */
  async expireOverdue(): Promise<{ expired: number }> {
    let expired = 0;
    for (;;) {
      const now = this.clock.now();
      const ids = await this.repository.openExpiredIds(now, EXPIRY_BATCH);
      if (ids.length === 0) break;
      let moved = 0;
      await this.repository.transaction(async (manager) => {
        for (const id of ids) {
          const need = await this.repository.findForUpdate(manager, id);
          if (!need || need.state !== 'open' || !need.expiresAt || need.expiresAt > now) continue;
          await this.move(manager, need, transitionOf('open', 'expire'), 'system', {
            note: '有效期内未对接，自动过期',
          });
          await this.outbox.record(manager, NEEDS_INDEX, [id]);
          moved += 1;
        }
      });
      expired += moved;
      if (moved === 0 || ids.length < EXPIRY_BATCH) break;
    }
    if (expired > 0) await this.outbox.nudge();
    return { expired };
  }

  /**
   * The need follows its match (issue 13 §1), inside the match's transaction: `match` on approval (the
   * need must be open: else 409 NEED_INVALID_TRANSITION naming its state), `release` when the match leaves
   * the active path (back to `open`; a need whose validity has meanwhile passed expires at once),
   * `fulfil` on confirmation, `close` when the match closes. History, audit (as the system) and outbox rows.
   */
  async followMatch(
    manager: EntityManager,
    id: string,
    command: Extract<NeedCommand, 'match' | 'release' | 'fulfil' | 'close'>,
    note: string,
  ): Promise<NeedState> {
    const need = await this.repository.findForUpdate(manager, id);
    if (!need) throw new DomainError(NeedsErrorCode.NEED_NOT_FOUND);
    const transition = findNeedTransition(need.state, command);
    if (!transition)
      throw new DomainError(NeedsErrorCode.NEED_INVALID_TRANSITION, { state: need.state, command });
    await this.move(manager, need, transition, 'system', { note });
    const now = this.clock.now();
    if (command === 'release' && need.expiresAt && need.expiresAt <= now)
      await this.move(manager, need, transitionOf('open', 'expire'), 'system', {
        note: '匹配终止时需求已过有效期，自动过期',
      });
    await this.outbox.record(manager, NEEDS_INDEX, [id]);
    return need.state;
  }

  /**
   * For the matcher (issue 12): needs of `ids` with their household facts, re-read from PostgreSQL and
   * restricted to `criteria` (states, a subtree, item codes). No access check: the caller has made it.
   */
  matchRows(
    ids: string[],
    criteria: { states?: NeedState[]; scopePath?: string; itemCodes?: readonly string[] } = {},
  ): Promise<NeedMatchRow[]> {
    return this.repository.matchRows(ids, criteria);
  }

  /** Batch allocation: the open needs under `scopePath` (no access check: the caller has made it). */
  openIdsIn(
    scopePath: string,
    filter: { itemCodes?: readonly string[]; categories?: readonly string[]; urgencies?: readonly string[] },
    limit: number,
  ): Promise<string[]> {
    return this.repository.openIdsIn(scopePath, filter, limit);
  }

  /**
   * The row, if the caller may read it (workers: their household's; staff: their subtree); else 403/404,
   * the denial audited as `action`. The matcher uses it for a need's suggestions (same 404/403 as GET).
   */
  async readable(principal: Principal, action: string, id: string): Promise<NeedRow> {
    return this.audit.auditDenials(principal, action, { type: 'need', id }, async () => {
      const row = await this.repository.row(id);
      if (!row) throw new DomainError(NeedsErrorCode.NEED_NOT_FOUND);
      if (principal.kind === 'worker') this.authorization.assertWorkerOwns(principal, row.archiveOwnerUserId);
      else this.authorization.assertInScope(principal, row.unitPath);
      return row;
    });
  }

  // ───────────────────────────── internals ─────────────────────────────

  /**
   * Locks the need, checks who may (403), the version (409) and the state machine (409 naming the state),
   * moves it, records audit and outbox rows, all in one transaction.
   */
  private async command(
    principal: Principal,
    id: string,
    version: number,
    action: string,
    command: NeedCommand,
    decision: string | undefined,
    options: { reasons?: NeedRejectReason[]; note: string | null; check?: (need: NeedEntity) => void },
  ): Promise<NeedDto> {
    await this.audit.auditDenials(principal, action, { type: 'need', id }, () =>
      this.repository.transaction(async (manager) => {
        const need = await this.repository.findForUpdate(manager, id);
        if (!need) throw new DomainError(NeedsErrorCode.NEED_NOT_FOUND);
        const row = (await this.repository.row(id, manager))!;
        const probe = findNeedTransition(need.state, command, decision) ?? NEED_TRANSITION_PROBE[command];
        const may = needActorMay(probe, {
          kind: principal.kind,
          roles: principal.roles,
          isOwner: principal.kind === 'worker' && row.archiveOwnerUserId === principal.userId,
          inScope: this.authorization.isInScope(principal, row.unitPath),
        });
        if (!may.ok)
          throw new DomainError(
            may.reason === 'role'
              ? AuthorizationErrorCode.ACCESS_DENIED
              : principal.kind === 'worker'
                ? AuthorizationErrorCode.NOT_OWNER
                : AuthorizationErrorCode.OUT_OF_SCOPE,
            may.reason === 'role' ? { action } : undefined,
          );
        options.check?.(need);
        if (need.version !== version)
          throw new DomainError(NeedsErrorCode.NEED_VERSION_CONFLICT, { currentVersion: need.version });
        const transition = findNeedTransition(need.state, command, decision);
        if (!transition)
          throw new DomainError(NeedsErrorCode.NEED_INVALID_TRANSITION, { state: need.state, command });
        const from = need.state;
        await this.move(manager, need, transition, principal, options);
        await this.audit.record(
          {
            action: `need.${command}`,
            outcome: 'success',
            actor: principal,
            target: { type: 'need', id },
            details: {
              from,
              to: need.state,
              ...(decision ? { decision } : {}),
              reasons: options.reasons ?? [],
            },
          },
          manager,
        );
        await this.outbox.record(manager, NEEDS_INDEX, [id]);
        if (command === 'screen') await this.notifyScreened(manager, row, decision === 'approve');
      }),
    );
    await this.outbox.nudge();
    return this.toDto((await this.repository.row(id))!);
  }

  /** 需求审核结果 to the household's worker account, and to the caseworker who ordered on its behalf. */
  private async notifyScreened(manager: EntityManager, row: NeedRow, approved: boolean): Promise<void> {
    const recipients = [row.archiveOwnerUserId, row.onBehalf ? row.createdBy : null].filter(
      (id): id is string => id !== null,
    );
    if (recipients.length === 0) return;
    await this.notifications.notify(manager, {
      recipients,
      event: 'need.screened',
      ...renderNotification('need.screened', {
        itemName: row.itemName,
        decision: approved ? 'approve' : 'reject',
      }),
      ref: { type: 'need', id: row.id },
    });
  }

  /** Applies `transition` to the locked need and writes its history row. */
  private async move(
    manager: EntityManager,
    need: NeedEntity,
    transition: NeedTransition,
    mover: Mover,
    options: { reasons?: readonly string[]; note?: string | null },
  ): Promise<void> {
    const now = this.clock.now();
    const from = need.state;
    need.state = transition.to;
    need.stateChangedAt = now;
    need.rejectReasons =
      transition.to === 'rejected' ? ([...(options.reasons ?? [])] as NeedRejectReason[]) : [];
    if (transition.to === 'open' && from === 'screening') {
      const days = await this.menu.validityDaysOf(need.menuItemId, manager);
      need.openedAt = now;
      need.expiresAt = new Date(now.getTime() + days * DAY_MS);
    }
    await this.repository.save(manager, need);
    await this.repository.insertHistory(manager, {
      needId: need.id,
      at: now,
      actorId: mover === 'system' ? null : mover.userId,
      actorKind: mover === 'system' ? 'system' : mover.kind === 'worker' ? 'worker' : 'staff',
      command: transition.command,
      fromState: from,
      toState: transition.to,
      reasons: [...(options.reasons ?? [])],
      note: options.note ?? null,
    });
    if (mover === 'system' && transition.command !== 'auto-screen')
      await this.audit.record(
        {
          action: `need.${transition.command}`,
          outcome: 'success',
          actor: SYSTEM_ACTOR,
          ip: null,
          target: { type: 'need', id: need.id },
          details: { from, to: transition.to },
        },
        manager,
      );
  }

  private toDto(row: NeedRow): NeedDto {
    const isHead = row.beneficiaryKey === 'head';
    return {
      id: row.id,
      state: row.state,
      itemCode: row.itemCode,
      itemName: row.itemName,
      category: row.itemCategory,
      unit: row.itemUnit,
      quantity: row.quantity,
      urgency: row.urgency,
      tags: [...row.tags],
      description: row.description,
      preferredMode: row.preferredMode,
      regionCode: row.regionCode,
      contactPreference: row.contactPreference,
      rejectReasons: [...row.rejectReasons],
      beneficiary: {
        kind: isHead ? 'head' : 'member',
        memberId: isHead ? null : row.beneficiaryKey,
        relation: isHead ? null : row.memberRelation,
        name: maskName(isHead ? row.headName : row.memberName),
      },
      archiveId: row.archiveId,
      archiveNo: row.archiveNo,
      headName: maskName(row.headName) ?? '',
      orgUnitId: row.unitId,
      orgUnitName: row.unitName,
      onBehalf: row.onBehalf,
      openedAt: row.openedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      stateChangedAt: row.stateChangedAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
      version: row.version,
      commands: availableNeedCommands(row.state),
    };
  }
}

/** The table's transition for a move the service itself makes (it exists: the table spec holds it). */
function transitionOf(state: NeedState, command: NeedCommand, decision?: string): NeedTransition {
  const transition = findNeedTransition(state, command, decision);
  if (!transition) throw new Error(`need transition ${command}:${decision ?? ''} from ${state} missing`);
  return transition;
}

/**
 * For the permission check when the need is in a state the command does not start from: any transition
 * of the command (its actors are the same from every state), so a caller who may never give it gets 403
 * and one who may gets the 409 naming the state.
 */
const NEED_TRANSITION_PROBE = {
  'auto-screen': transitionOf('submitted', 'auto-screen', 'pass'),
  screen: transitionOf('screening', 'screen', 'approve'),
  withdraw: transitionOf('open', 'withdraw'),
  expire: transitionOf('open', 'expire'),
  match: transitionOf('open', 'match'),
  release: transitionOf('matched', 'release'),
  fulfil: transitionOf('matched', 'fulfil'),
  close: transitionOf('fulfilled', 'close'),
} satisfies Record<NeedCommand, NeedTransition>;

/** 00:00 China time of a YYYY-MM-DD date. */
function chinaMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}
