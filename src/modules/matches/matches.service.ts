import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chinaToday } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { DomainError, errorSpec } from '../../common/errors';
import { findUnmaskedPersonalData } from '../../common/masking';
import { AppConfig } from '../../config';
import { OutboxService } from '../../infra/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { HARD_FILTER_MESSAGES } from '../matching/filters/hard-filters.rule';
import { MatchingErrorCode } from '../matching/matching.errors';
import { SuggestionsService } from '../matching/suggestions.service';
import type { NeedMatchRow, NeedRow } from '../needs/needs.repository';
import { NeedsService } from '../needs/needs.service';
import { OfferCapacityService } from '../offers/offer-capacity.service';
import { OfferReadsService } from '../offers/offer-reads.service';
import type { OfferRow } from '../offers/offers.repository';
import { OffersErrorCode } from '../offers/offers.errors';
import {
  ApproveMatchDto,
  CloseMatchDto,
  ConfirmMatchDto,
  DeclineMatchDto,
  DeliverMatchDto,
  FollowUpMatchDto,
  MatchCommandDto,
  MatchConsentDto,
  MatchDto,
  ProposeMatchDto,
  ReasonedMatchCommandDto,
} from './dto/matches.dto';
import { MatchEntity } from './match.entity';
import { MatchReadsService } from './match-reads.service';
import type { MatchState } from './matches.enums';
import { MatchesErrorCode } from './matches.errors';
import { MatchesRepository, MatchUniqueViolation } from './matches.repository';
import {
  AID_LEDGER_SEAM,
  MATCH_NOTIFIER_SEAM,
  type AidLedgerSeam,
  type DuplicateCauseOverride,
  type MatchNotifierSeam,
} from './ports/match-seams.port';
import {
  capacityEffect,
  findMatchTransition,
  matchActorMay,
  needCommandFor,
  type MatchCommand,
  type MatchRefusal,
  type MatchTransition,
} from './rules/match-transitions.rule';

const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;
type Mover = Principal | 'system';
const DAY_MS = 86_400_000;

/** States in which consent to disclosure may be given or revoked (after approval, before delivery). */
const CONSENT_STATES: readonly MatchState[] = ['approved', 'accepted', 'in_progress'];

/** One line of a batch plan after approval: its match, or the code and message that refused it. */
export interface PlanLineOutcome {
  needId: string;
  offerId: string;
  matchId: string | null;
  /** `approved`, or the refusing error code (e.g. OFFER_CAPACITY_EXHAUSTED, MATCH_NEED_NOT_OPEN). */
  outcome: string;
  message: string | null;
}

/** What a command does beyond the move: checks on the loaded match and the columns it sets. */
interface CommandSpec {
  note?: string | null;
  reason?: string | null;
  /** Approval only: an approver's override of 不重复救助. */
  override?: DuplicateCauseOverride;
  check?: (match: MatchEntity, ctx: { need: NeedMatchRow; offer: OfferRow }) => Partial<MatchEntity> | void;
}

/**
 * The match lifecycle (issue 13 §1–2): propose, then every command of MATCH_TRANSITIONS. Each command
 * locks the match, checks who may (403), the version and the state machine (409 naming the command),
 * then in ONE transaction: the guarded state change, the capacity effect (approval reserves through
 * OfferCapacityService's conditional update; leaving the active path releases; delivery uses), the
 * need following (needCommandFor), a history row and an audit row. Release happens only when this
 * statement moved the match, so two racing exits give capacity back once.
 *
 * Seams: AID_LEDGER_SEAM (the ledger's rules at approval, its row at confirmation) and
 * MATCH_NOTIFIER_SEAM (after commit).
 */
@Injectable()
export class MatchesService {
  constructor(
    private readonly repository: MatchesRepository,
    private readonly reads: MatchReadsService,
    private readonly needs: NeedsService,
    private readonly offers: OfferReadsService,
    private readonly capacity: OfferCapacityService,
    private readonly suggestions: SuggestionsService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(AID_LEDGER_SEAM) private readonly ledger: AidLedgerSeam,
    @Inject(MATCH_NOTIFIER_SEAM) private readonly notifier: MatchNotifierSeam,
  ) {}

  /** Staff in scope of the need propose a pair from a suggestion; every hard filter is checked again. */
  async propose(principal: Principal, dto: ProposeMatchDto): Promise<MatchDto> {
    assertNoPersonalData({ note: dto.note });
    // A denial is audited once, by the need's own readable check (as matches.propose); PERMISSIONS lets
    // only staff propose.
    const id = await (async () => {
      const need = await this.needs.readable(principal, 'matches.propose', dto.needId);
      if (need.state !== 'open')
        throw new DomainError(MatchesErrorCode.MATCH_NEED_NOT_OPEN, { state: need.state });
      const [offer] = await this.offers.rows([dto.offerId]);
      if (!offer) throw new DomainError(OffersErrorCode.OFFER_NOT_FOUND);
      const existing = await this.repository.activeOfNeed(need.id);
      if (existing) throw new DomainError(MatchesErrorCode.MATCH_NEED_ALREADY_MATCHED, { matchId: existing });
      const excluded = await this.suggestions.pairExclusions(need.id, offer.id);
      if (excluded.length > 0)
        throw new DomainError(MatchesErrorCode.MATCH_PAIR_NOT_ELIGIBLE, {
          excludedBy: excluded.map((code) => ({ code, message: HARD_FILTER_MESSAGES[code] })),
        });
      try {
        return await this.repository.transaction(async (manager) => {
          const match = await this.insertProposed(
            manager,
            principal,
            need,
            offer,
            'manual',
            dto.note ?? null,
          );
          return match.id;
        });
      } catch (error) {
        if (error instanceof MatchUniqueViolation)
          throw new DomainError(MatchesErrorCode.MATCH_NEED_ALREADY_MATCHED, {
            matchId: await this.repository.activeOfNeed(need.id),
          });
        throw error;
      }
    })();
    await this.notifier.transitioned({ matchId: id, command: 'propose', from: null, to: 'proposed' });
    return this.reads.view(principal, id);
  }

  /**
   * A batch plan's lines approved (POST /allocations/:id/approve): each line becomes a match proposed by
   * the plan's author (via `plan`) and approved by the caller, in one transaction per line through the same
   * approval path as a single match (the ledger check, the conditional reservation, the need matched), so
   * capacity is reserved atomically. A line that no longer fits — the need left `open` or is matched
   * already, the pair fails a hard filter, the offer has no room left — is reported with its code and
   * Chinese message, never dropped. The caller may not approve a plan it ran (SELF_APPROVAL).
   *
   * An approver may override 不重复救助 for some lines (`overrides`: need id → written reason); anyone
   * else giving one is refused before any line (403 MATCH_OVERRIDE_APPROVER_ONLY, audited as denied).
   *
   * @errorsInBody every coded error is a line's outcome, not the HTTP answer (the OpenAPI check skips them).
   */
  async approvePlanLines(
    principal: Principal,
    plan: { allocationId: string; createdBy: string; lines: readonly { needId: string; offerId: string }[] },
    overrides: readonly { needId: string; reason: string }[] = [],
  ): Promise<PlanLineOutcome[]> {
    const approve = transitionOf('proposed', 'approve');
    const inPlan = new Set(plan.lines.map((l) => l.needId));
    const stray = overrides.filter((o) => !inPlan.has(o.needId)).map((o) => o.needId);
    if (stray.length > 0)
      throw new DomainError(MatchingErrorCode.ALLOCATION_LINES_UNKNOWN, { needIds: stray.slice(0, 20) });
    const overrideOf = new Map<string, DuplicateCauseOverride>();
    for (const o of overrides) {
      assertNoPersonalData({ reason: o.reason });
      const override = await this.audit.auditDenials(
        principal,
        'allocations.approve',
        { type: 'allocation', id: plan.allocationId },
        async () => duplicateCauseOverride(principal, o, 'allocations.approve'),
      );
      if (override) overrideOf.set(o.needId, override);
    }
    const author = { userId: plan.createdBy, kind: 'staff' as const };
    const note = `批量分配方案 ${plan.allocationId}`;
    const outcomes: PlanLineOutcome[] = [];
    for (const line of plan.lines) {
      try {
        const [need] = await this.needs.matchRows([line.needId]);
        if (!need || need.state !== 'open')
          throw new DomainError(MatchesErrorCode.MATCH_NEED_NOT_OPEN, { state: need?.state ?? null });
        const [offer] = await this.offers.rows([line.offerId]);
        if (!offer) throw new DomainError(OffersErrorCode.OFFER_NOT_FOUND);
        const existing = await this.repository.activeOfNeed(need.id);
        if (existing)
          throw new DomainError(MatchesErrorCode.MATCH_NEED_ALREADY_MATCHED, { matchId: existing });
        const excluded = await this.suggestions.pairExclusions(need.id, offer.id);
        if (excluded.length > 0)
          throw new DomainError(MatchesErrorCode.MATCH_PAIR_NOT_ELIGIBLE, {
            excludedBy: excluded.map((code) => ({ code, message: HARD_FILTER_MESSAGES[code] })),
          });
        const amountFen = offer.kind === 'cash' ? offer.amountPerBeneficiaryFen : null;
        const may = matchActorMay(approve, {
          kind: principal.kind,
          roles: principal.roles,
          isOwner: false,
          isOfferPartner: false,
          inScope: principal.kind === 'staff' && this.authorization.isInScope(principal, need.unitPath),
          isProposer: plan.createdBy === principal.userId,
          unionProgramme: offer.partnerKind === 'union',
          needsApprover: amountFen !== null && amountFen > this.config.matching.matches.approverAboveFen,
        });
        if (!may.ok)
          throw refusal(may.reason, principal, 'allocations.approve', { amountFen } as MatchEntity);
        const id = await this.repository.transaction(async (manager) => {
          const created = await this.insertProposed(manager, author, need, offer, 'plan', note);
          const match = (await this.repository.findForUpdate(manager, created.id))!;
          await this.apply(manager, match, approve, principal, {
            note,
            override: overrideOf.get(line.needId),
          });
          return match.id;
        });
        await this.afterCommit(id, 'approve', 'proposed', 'approved');
        outcomes.push({ ...line, matchId: id, outcome: 'approved', message: null });
      } catch (error) {
        const code =
          error instanceof MatchUniqueViolation
            ? MatchesErrorCode.MATCH_NEED_ALREADY_MATCHED
            : error instanceof DomainError
              ? error.code
              : null;
        if (code === null) throw error;
        outcomes.push({ ...line, matchId: null, outcome: code, message: errorSpec(code)?.message ?? null });
      }
    }
    const approved = outcomes.filter((o) => o.outcome === 'approved').length;
    await this.audit.record({
      action: 'allocation.approve',
      outcome: 'success',
      actor: principal,
      target: { type: 'allocation', id: plan.allocationId },
      details: { lines: outcomes.length, approved, refused: outcomes.length - approved },
    });
    return outcomes;
  }

  /**
   * Approval: the aid ledger's rules run in the transaction (caps, 不重复救助 → 422). An approver — only
   * an approver (else 403 MATCH_OVERRIDE_APPROVER_ONLY) — may approve despite 不重复救助 with a written
   * reason, which the ledger audits; the caps are never overridden.
   */
  async approve(principal: Principal, id: string, dto: ApproveMatchDto): Promise<MatchDto> {
    assertNoPersonalData({ note: dto.note, reason: dto.duplicateCauseOverride?.reason });
    const override = await this.audit.auditDenials(
      principal,
      'matches.approve',
      { type: 'match', id },
      async () => duplicateCauseOverride(principal, dto.duplicateCauseOverride, 'matches.approve'),
    );
    return this.command(principal, id, dto.version, 'approve', { note: dto.note, override });
  }

  reject(principal: Principal, id: string, dto: ReasonedMatchCommandDto): Promise<MatchDto> {
    assertNoPersonalData({ reason: dto.reason });
    return this.command(principal, id, dto.version, 'reject', {
      note: dto.reason,
      check: () => ({ exitNote: dto.reason }),
    });
  }

  accept(principal: Principal, id: string, dto: MatchCommandDto): Promise<MatchDto> {
    assertNoPersonalData({ note: dto.note });
    return this.command(principal, id, dto.version, 'accept', { note: dto.note });
  }

  /** Coded reasons; some park the pair or the whole need for the configured days (config `matches.park`). */
  decline(principal: Principal, id: string, dto: DeclineMatchDto): Promise<MatchDto> {
    assertNoPersonalData({ note: dto.note });
    if (dto.reason === 'other' && !dto.note)
      throw new DomainError(MatchesErrorCode.MATCH_DECLINE_NOTE_REQUIRED);
    const park = this.config.matching.matches.park[dto.reason];
    const today = chinaToday(this.clock.now());
    return this.command(principal, id, dto.version, 'decline', {
      note: dto.note,
      reason: dto.reason,
      check: () => ({
        declineReason: dto.reason,
        parkScope: park?.scope ?? null,
        parkedUntil: park ? addDays(today, park.days) : null,
      }),
    });
  }

  start(principal: Principal, id: string, dto: MatchCommandDto): Promise<MatchDto> {
    assertNoPersonalData({ note: dto.note });
    return this.command(principal, id, dto.version, 'start', { note: dto.note });
  }

  /** Notes always; cash states the amount paid (≤ the amount per beneficiary), goods the count (≤ reserved). */
  deliver(principal: Principal, id: string, dto: DeliverMatchDto): Promise<MatchDto> {
    assertNoPersonalData({ note: dto.note });
    return this.command(principal, id, dto.version, 'deliver', {
      note: dto.note,
      check: (match, { offer }) => {
        if (offer.kind === 'cash' && (dto.amountFen === undefined || dto.amountFen > (match.amountFen ?? 0)))
          throw new DomainError(MatchesErrorCode.MATCH_DELIVERY_QUANTITY_REQUIRED, {
            field: 'amountFen',
            max: match.amountFen,
          });
        if (offer.kind === 'goods' && (dto.goodsCount === undefined || dto.goodsCount > match.units))
          throw new DomainError(MatchesErrorCode.MATCH_DELIVERY_QUANTITY_REQUIRED, {
            field: 'goodsCount',
            max: match.units,
          });
        return {
          deliveredAt: this.clock.now(),
          deliveryNote: dto.note,
          deliveredAmountFen: offer.kind === 'cash' ? dto.amountFen! : null,
          deliveredGoodsCount: offer.kind === 'goods' ? dto.goodsCount! : null,
        };
      },
    });
  }

  /** 本人领取: the worker, or a caseworker on its behalf stating why. */
  confirm(principal: Principal, id: string, dto: ConfirmMatchDto): Promise<MatchDto> {
    assertNoPersonalData({ reason: dto.reason });
    if (principal.kind === 'staff' && !dto.reason)
      throw new DomainError(MatchesErrorCode.MATCH_CONFIRM_REASON_REQUIRED);
    return this.command(principal, id, dto.version, 'confirm', {
      note: dto.reason,
      check: () => ({
        confirmedAt: this.clock.now(),
        confirmReason: principal.kind === 'staff' ? dto.reason! : null,
      }),
    });
  }

  /** 回访: a date between delivery and today, the channel, findings and satisfaction 1–5. */
  followUp(principal: Principal, id: string, dto: FollowUpMatchDto): Promise<MatchDto> {
    assertNoPersonalData({ findings: dto.findings });
    return this.command(principal, id, dto.version, 'follow-up', {
      check: (match) => {
        const delivered = match.deliveredAt ? chinaToday(match.deliveredAt) : null;
        if (dto.date > chinaToday(this.clock.now()) || (delivered !== null && dto.date < delivered))
          throw new DomainError(MatchesErrorCode.MATCH_FOLLOW_UP_DATE_INVALID);
        return {
          followUpOn: dto.date,
          followUpChannel: dto.channel,
          followUpFindings: dto.findings,
          satisfaction: dto.satisfaction,
        };
      },
    });
  }

  close(principal: Principal, id: string, dto: CloseMatchDto): Promise<MatchDto> {
    assertNoPersonalData({ note: dto.note });
    return this.command(principal, id, dto.version, 'close', {
      note: dto.note,
      reason: dto.outcome,
      check: () => ({ outcome: dto.outcome, closeNote: dto.note }),
    });
  }

  cancel(principal: Principal, id: string, dto: ReasonedMatchCommandDto): Promise<MatchDto> {
    assertNoPersonalData({ reason: dto.reason });
    return this.command(principal, id, dto.version, 'cancel', {
      note: dto.reason,
      check: () => ({ exitNote: dto.reason }),
    });
  }

  /**
   * The SLA's hard limit (issue 13 §4, MatchSlaService): the system expires a match not yet delivered.
   * Given `stay`, only the match still in that state since that time. Returns false when the match had
   * already moved on (a stale job does nothing).
   */
  async expire(id: string, stay?: { state: MatchState; enteredAt: Date }): Promise<boolean> {
    let moved = false;
    let from: MatchState | null = null;
    await this.repository.transaction(async (manager) => {
      const match = await this.repository.findForUpdate(manager, id);
      if (!match) return;
      if (stay && (match.state !== stay.state || match.stateChangedAt.getTime() !== stay.enteredAt.getTime()))
        return;
      const transition = findMatchTransition(match.state, 'expire');
      if (!transition) return;
      from = match.state;
      await this.apply(manager, match, transition, 'system', { note: '超过办理时限，自动终止' });
      moved = true;
    });
    if (moved) await this.afterCommit(id, 'expire', from, 'expired');
    return moved;
  }

  /**
   * Consent to show the beneficiary's contact to this match's partner (issue 13 §3): the worker itself,
   * or a caseworker in scope naming the household's signed partner_disclosure consent. Given or revoked
   * between approval and delivery. A history row (state unchanged) and an audit row.
   */
  async consent(principal: Principal, id: string, dto: MatchConsentDto): Promise<MatchDto> {
    await this.audit.auditDenials(principal, 'matches.consent', { type: 'match', id }, async () => {
      const found = await this.repository.find(id);
      if (!found) throw new DomainError(MatchesErrorCode.MATCH_NOT_FOUND);
      const [need] = await this.needs.matchRows([found.needId]);
      if (principal.kind === 'worker')
        this.authorization.assertWorkerOwns(principal, need!.archiveOwnerUserId);
      else if (principal.kind === 'staff') this.authorization.assertInScope(principal, need!.unitPath);
      else throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED, { action: 'matches.consent' });
      const recorded =
        principal.kind === 'staff' && dto.action === 'grant' && dto.archiveConsentId !== undefined
          ? await this.repository.hasDisclosureConsent(found.archiveId, dto.archiveConsentId)
          : false;
      await this.repository.transaction(async (manager) => {
        const match = (await this.repository.findForUpdate(manager, id))!;
        if (match.version !== dto.version)
          throw new DomainError(MatchesErrorCode.MATCH_VERSION_CONFLICT, { currentVersion: match.version });
        if (!CONSENT_STATES.includes(match.state))
          throw new DomainError(MatchesErrorCode.MATCH_CONSENT_NOT_ALLOWED, { state: match.state });
        const now = this.clock.now();
        let changes: Partial<MatchEntity>;
        if (dto.action === 'grant') {
          if (principal.kind === 'staff') {
            if (!recorded) throw new DomainError(MatchesErrorCode.MATCH_CONSENT_RECORD_REQUIRED);
          }
          changes = {
            consentAt: now,
            consentBy: principal.userId,
            consentByKind: principal.kind === 'worker' ? 'worker' : 'caseworker',
            consentArchiveConsentId: principal.kind === 'staff' ? dto.archiveConsentId! : null,
            consentRevokedAt: null,
          };
        } else
          changes = {
            consentRevokedAt: match.consentAt && !match.consentRevokedAt ? now : match.consentRevokedAt,
          };
        if (!(await this.repository.updateGuarded(manager, id, match.version, changes)))
          throw new DomainError(MatchesErrorCode.MATCH_VERSION_CONFLICT, { currentVersion: match.version });
        await this.repository.insertHistory(manager, {
          matchId: id,
          at: now,
          actorId: principal.userId,
          actorKind: principal.kind === 'worker' ? 'worker' : 'staff',
          command: dto.action === 'grant' ? 'consent' : 'consent-revoke',
          fromState: match.state,
          toState: match.state,
          reason: null,
          note: null,
        });
        await this.audit.record(
          {
            action: dto.action === 'grant' ? 'match.consent' : 'match.consent-revoke',
            outcome: 'success',
            actor: principal,
            target: { type: 'match', id },
            details: {
              state: match.state,
              ...(dto.archiveConsentId ? { archiveConsentId: dto.archiveConsentId } : {}),
            },
          },
          manager,
        );
      });
    });
    return this.reads.view(principal, id);
  }

  // ───────────────────────────── internals ─────────────────────────────

  private async command(
    principal: Principal,
    id: string,
    version: number,
    command: MatchCommand,
    spec: CommandSpec,
  ): Promise<MatchDto> {
    const action = `matches.${command}`;
    const moved = await this.audit.auditDenials(principal, action, { type: 'match', id }, async () => {
      // The need and the offer are read before the transaction: a transaction waiting for a second pooled
      // connection starves the pool under contention (every connection held, each waiting for another).
      const found = await this.repository.find(id);
      if (!found) throw new DomainError(MatchesErrorCode.MATCH_NOT_FOUND);
      const [need] = await this.needs.matchRows([found.needId]);
      const [offer] = await this.offers.rows([found.offerId]);
      return this.repository.transaction(async (manager) => {
        const match = (await this.repository.findForUpdate(manager, id))!;
        const probe = findMatchTransition(match.state, command) ?? PROBE[command];
        const may = matchActorMay(probe, {
          kind: principal.kind,
          roles: principal.roles,
          isOwner: principal.kind === 'worker' && need!.archiveOwnerUserId === principal.userId,
          isOfferPartner: principal.kind === 'partner' && principal.partnerId === match.partnerId,
          inScope: principal.kind === 'staff' && this.authorization.isInScope(principal, need!.unitPath),
          isProposer: match.proposedBy === principal.userId,
          unionProgramme: offer!.partnerKind === 'union',
          needsApprover:
            match.amountFen !== null && match.amountFen > this.config.matching.matches.approverAboveFen,
        });
        if (!may.ok) throw refusal(may.reason, principal, action, match);
        if (match.version !== version)
          throw new DomainError(MatchesErrorCode.MATCH_VERSION_CONFLICT, { currentVersion: match.version });
        const transition = findMatchTransition(match.state, command);
        if (!transition)
          throw new DomainError(MatchesErrorCode.MATCH_INVALID_TRANSITION, { state: match.state, command });
        const changes = spec.check?.(match, { need: need!, offer: offer! }) ?? {};
        const from = match.state;
        await this.apply(manager, match, transition, principal, { ...spec, changes });
        return { from, to: transition.to };
      });
    });
    await this.afterCommit(id, command, moved.from, moved.to);
    return this.reads.view(principal, id);
  }

  /**
   * The move itself, in the caller's transaction: ledger check and reservation before an approval, the
   * guarded state change, then release or use, the need following, the ledger record on confirmation,
   * history and audit rows.
   */
  private async apply(
    manager: EntityManager,
    match: MatchEntity,
    transition: MatchTransition,
    mover: Mover,
    options: {
      note?: string | null;
      reason?: string | null;
      changes?: Partial<MatchEntity>;
      override?: DuplicateCauseOverride;
    },
  ): Promise<void> {
    const now = this.clock.now();
    const from = match.state;
    const to = transition.to;
    const effect = capacityEffect(from, to);
    const facts = {
      matchId: match.id,
      needId: match.needId,
      offerId: match.offerId,
      archiveId: match.archiveId,
      partnerId: match.partnerId,
      amountFen: match.amountFen,
      units: match.units,
    };
    let fixed: Partial<MatchEntity> = {};
    if (effect === 'reserve') {
      // The aid ledger's caps and 不重复救助 (issue 13 §6) refuse here with 422, before capacity; the cause
      // the match addresses is fixed on it, so confirmation records the cause approval judged.
      const { causeCode } = await this.ledger.checkApproval(manager, facts, { override: options.override });
      fixed = { causeCode };
      await this.capacity.reserve(manager, match.offerId, match.units);
    }
    const moved = await this.repository.moveGuarded(manager, match.id, from, to, {
      ...options.changes,
      ...fixed,
      stateChangedAt: now,
    });
    if (!moved)
      throw new DomainError(MatchesErrorCode.MATCH_INVALID_TRANSITION, {
        state: from,
        command: transition.command,
      });
    if (effect === 'release') await this.capacity.release(manager, match.offerId, match.units);
    if (effect === 'use') await this.capacity.use(manager, match.offerId, match.units);
    const needCommand = needCommandFor(from, to);
    if (needCommand)
      await this.needs.followMatch(
        manager,
        match.needId,
        needCommand as 'match' | 'release' | 'fulfil' | 'close',
        `匹配${MATCH_STATE_NAMES[to]}`,
      );
    // Seam: the aid ledger's row for a confirmed match (issue 13 §6).
    if (to === 'confirmed')
      await this.ledger.recordConfirmation(
        manager,
        facts,
        mover === 'system' ? { userId: null, kind: 'system' } : { userId: mover.userId, kind: mover.kind },
      );
    await this.repository.insertHistory(manager, {
      matchId: match.id,
      at: now,
      actorId: mover === 'system' ? null : mover.userId,
      actorKind: mover === 'system' ? 'system' : mover.kind,
      command: transition.command,
      fromState: from,
      toState: to,
      reason: options.reason ?? null,
      note: options.note ?? null,
    });
    await this.audit.record(
      {
        action: `match.${transition.command}`,
        outcome: 'success',
        ...(mover === 'system' ? { actor: SYSTEM_ACTOR, ip: null } : { actor: mover }),
        target: { type: 'match', id: match.id },
        details: {
          from,
          to,
          ...(effect ? { capacity: effect } : {}),
          ...(options.reason ? { reason: options.reason } : {}),
        },
      },
      manager,
    );
  }

  /** A new match in `proposed`, its history row and its audit row, in the caller's transaction. */
  private async insertProposed(
    manager: EntityManager,
    proposer: Principal | { userId: string; kind: 'staff' },
    need: NeedRow,
    offer: OfferRow,
    via: 'manual' | 'plan',
    note: string | null,
  ): Promise<MatchEntity> {
    const now = this.clock.now();
    const match = await this.repository.insert(manager, {
      needId: need.id,
      offerId: offer.id,
      partnerId: offer.partnerId,
      archiveId: need.archiveId,
      beneficiaryKey: need.beneficiaryKey,
      proposedBy: proposer.userId,
      proposedVia: via,
      units: offer.kind === 'goods' ? need.quantity : 1,
      amountFen: offer.kind === 'cash' ? offer.amountPerBeneficiaryFen : null,
      stateChangedAt: now,
    });
    await this.repository.insertHistory(manager, {
      matchId: match.id,
      at: now,
      actorId: proposer.userId,
      actorKind: 'staff',
      command: 'propose',
      fromState: null,
      toState: 'proposed',
      reason: null,
      note,
    });
    await this.audit.record(
      {
        action: 'match.propose',
        outcome: 'success',
        actor: proposer,
        target: { type: 'match', id: match.id },
        details: { needId: need.id, offerId: offer.id, to: 'proposed', via },
      },
      manager,
    );
    return match;
  }

  private async afterCommit(
    id: string,
    command: string,
    from: MatchState | null,
    to: MatchState,
  ): Promise<void> {
    await this.outbox.nudge();
    await this.notifier.transitioned({ matchId: id, command, from, to });
  }
}

const MATCH_STATE_NAMES: Record<MatchState, string> = {
  proposed: '已提出',
  approved: '已审批，名额已预留',
  accepted: '已接单',
  in_progress: '服务中',
  delivered: '已交付',
  confirmed: '已确认收到',
  followed_up: '已回访',
  closed: '已办结',
  rejected: '被驳回',
  declined: '被退回',
  cancelled: '被取消',
  expired: '超时终止',
};

function refusal(
  reason: MatchRefusal,
  principal: Principal,
  action: string,
  match: MatchEntity,
): DomainError {
  switch (reason) {
    case 'role':
      return new DomainError(AuthorizationErrorCode.ACCESS_DENIED, { action });
    case 'scope':
      return new DomainError(
        principal.kind === 'staff' ? AuthorizationErrorCode.OUT_OF_SCOPE : AuthorizationErrorCode.NOT_OWNER,
      );
    case 'proposer':
      return new DomainError(AuthorizationErrorCode.SELF_APPROVAL);
    case 'approver_required':
      return new DomainError(MatchesErrorCode.MATCH_APPROVER_REQUIRED, { amountFen: match.amountFen });
    case 'not_union_programme':
      return new DomainError(MatchesErrorCode.MATCH_NOT_UNION_PROGRAMME);
  }
}

/** The override of 不重复救助 as the ledger takes it; only an approver may give one (403 otherwise). */
function duplicateCauseOverride(
  principal: Principal,
  body: { reason: string } | undefined,
  action: string,
): DuplicateCauseOverride | undefined {
  if (!body) return undefined;
  if (principal.kind !== 'staff' || !principal.roles.includes('approver'))
    throw new DomainError(MatchesErrorCode.MATCH_OVERRIDE_APPROVER_ONLY, { action });
  return { reason: body.reason, approverId: principal.userId };
}

function assertNoPersonalData(fields: Record<string, string | undefined>): void {
  for (const [field, text] of Object.entries(fields))
    if (text && findUnmaskedPersonalData(text).length > 0)
      throw new DomainError(MatchesErrorCode.MATCH_TEXT_CONTAINS_PERSONAL_DATA, { field });
}

function addDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

function transitionOf(state: MatchState, command: MatchCommand): MatchTransition {
  const t = findMatchTransition(state, command);
  if (!t) throw new Error(`match transition ${command} from ${state} missing`);
  return t;
}

/**
 * For the permission check when the match is in a state the command does not start from: a transition
 * of the command (its actors are the same from every state), so a caller who may never give it gets 403
 * and one who may gets the 409 naming the command.
 */
const PROBE: Record<MatchCommand, MatchTransition> = {
  propose: findMatchTransition(null, 'propose')!,
  approve: transitionOf('proposed', 'approve'),
  reject: transitionOf('proposed', 'reject'),
  accept: transitionOf('approved', 'accept'),
  decline: transitionOf('approved', 'decline'),
  start: transitionOf('accepted', 'start'),
  deliver: transitionOf('accepted', 'deliver'),
  confirm: transitionOf('delivered', 'confirm'),
  'follow-up': transitionOf('confirmed', 'follow-up'),
  close: transitionOf('followed_up', 'close'),
  cancel: transitionOf('proposed', 'cancel'),
  expire: transitionOf('proposed', 'expire'),
};
