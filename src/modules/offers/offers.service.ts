import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chinaToday } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { FieldCipher, offerContactPhoneField } from '../../common/crypto';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData } from '../../common/masking';
import { OutboxService } from '../../infra/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import type { MenuItemEntity } from '../menu/menu-item.entity';
import { MenuService } from '../menu/menu.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import type { PartnerEntity } from '../partners/partner.entity';
import { PartnersService } from '../partners/partners.service';
import {
  CloseOfferDto,
  CreateOfferDto,
  OfferCommandDto,
  OfferDto,
  ReturnOfferDto,
  UpdateOfferDto,
} from './dto/offers.dto';
import { OfferPresenter } from './offer.presenter';
import { OfferEntity } from './offer.entity';
import type { OfferReturnReason } from './offers.enums';
import { OffersErrorCode } from './offers.errors';
import { OffersRepository } from './offers.repository';
import { isGrowthOnly, offerTermsProblems, OfferTermsProblem } from './rules/offer-terms.rule';
import {
  findOfferTransition,
  OFFER_AUTHORS,
  offerActorMay,
  offerEditEffect,
  type OfferActor,
  type OfferCommand,
  type OfferTransition,
} from './rules/offer-transitions.rule';

export const OFFERS_INDEX = 'offers';
const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;
/** Offers closed per transaction by the daily job. */
const EXPIRY_BATCH = 200;

type Mover = Principal | 'system';

/** Fields of an offer an edit may change (the kind and the partner never change). */
const EDITABLE_FIELDS = [
  'itemCodes',
  'title',
  'description',
  'capacity',
  'amountPerBeneficiaryFen',
  'budgetFen',
  'eligCategories',
  'eligCauses',
  'eligEmployment',
  'ageMin',
  'ageMax',
  'incomeFactor',
  'requiresActiveArchive',
  'scopeOrgUnitId',
  'scopeRegionPrefix',
  'online',
  'regionCode',
  'address',
  'validFrom',
  'validUntil',
  'perHouseholdLimit',
  'cooldownDays',
  'contactName',
  'contactPhone',
] as const satisfies ReadonlyArray<keyof UpdateOfferDto>;

/**
 * Writing offers (供给): a partner's accounts (or, for a union programme, a caseworker of the unit or
 * above) create and edit drafts and submit them; a reviewer of the partner's unit or above (an approver,
 * for a union programme, never its author) publishes or returns them; the author pauses, resumes and
 * withdraws; a live offer may grow (capacity, a later end) without review, other edits go back to review;
 * the daily job closes expired offers. Every change is a history row, an audit row and an outbox row (the
 * `offers` index) in the transaction that makes it, on the row locked and at the version the caller read.
 */
@Injectable()
export class OffersService {
  constructor(
    private readonly repository: OffersRepository,
    private readonly partners: PartnersService,
    private readonly menu: MenuService,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly outbox: OutboxService,
    private readonly cipher: FieldCipher,
    private readonly presenter: OfferPresenter,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, dto: CreateOfferDto): Promise<OfferDto> {
    const { partner, partnerUnitPath } = await this.audit.auditDenials(
      principal,
      'offers.create',
      { type: 'offer', id: null },
      () => this.authorOf(principal, dto.orgUnitId),
    );
    if (partner.status !== 'approved')
      throw new DomainError(OffersErrorCode.OFFER_PARTNER_NOT_ACTIVE, { status: partner.status });
    const items = await this.items(dto.itemCodes);
    assertNoPersonalData(dto);
    const scopeOrgUnitId =
      dto.scopeOrgUnitId !== undefined && dto.scopeOrgUnitId !== null
        ? dto.scopeOrgUnitId
        : dto.scopeRegionPrefix
          ? null
          : partner.orgUnitId;
    await this.assertScope(scopeOrgUnitId, partnerUnitPath);
    const amount = dto.amountPerBeneficiaryFen ?? null;
    throwTermsProblems(
      offerTermsProblems(
        {
          kind: dto.kind,
          items,
          capacity: dto.capacity,
          amountPerBeneficiaryFen: amount,
          budgetFen: dto.budgetFen ?? null,
          reserved: 0,
          used: 0,
          ageMin: dto.ageMin ?? null,
          ageMax: dto.ageMax ?? null,
          validFrom: dto.validFrom,
          validUntil: dto.validUntil,
        },
        this.today(),
      ),
    );

    const id = randomUUID();
    await this.repository.transaction(async (manager) => {
      const now = this.clock.now();
      await this.repository.insert(manager, id, {
        partnerId: partner.id,
        title: dto.title,
        description: dto.description || null,
        kind: dto.kind,
        capacity: dto.capacity,
        amountPerBeneficiaryFen: amount,
        remaining: dto.capacity,
        eligCategories: dto.eligCategories ?? [],
        eligCauses: dto.eligCauses ?? [],
        eligEmployment: dto.eligEmployment ?? [],
        ageMin: dto.ageMin ?? null,
        ageMax: dto.ageMax ?? null,
        incomeFactor:
          dto.incomeFactor === undefined || dto.incomeFactor === null ? null : String(dto.incomeFactor),
        requiresActiveArchive: dto.requiresActiveArchive ?? true,
        scopeOrgUnitId,
        scopeRegionPrefix: dto.scopeRegionPrefix ?? null,
        online: dto.online ?? false,
        regionCode: dto.regionCode,
        address: dto.address || null,
        validFrom: dto.validFrom,
        validUntil: dto.validUntil,
        perHouseholdLimit: dto.perHouseholdLimit ?? 1,
        cooldownDays: dto.cooldownDays ?? 0,
        contactName: dto.contactName,
        contactPhoneCiphertext: this.cipher.encrypt(dto.contactPhone, offerContactPhoneField(id)),
        state: 'draft',
        createdBy: principal.userId,
        stateChangedAt: now,
      });
      await this.repository.setItems(
        manager,
        id,
        items.map((i) => i.id),
      );
      await this.repository.insertHistory(manager, {
        offerId: id,
        at: now,
        actorId: principal.userId,
        actorKind: actorKind(principal),
        command: 'create',
        fromState: null,
        toState: 'draft',
        reasons: [],
        note: null,
      });
      await this.audit.record(
        {
          action: 'offer.create',
          outcome: 'success',
          actor: principal,
          target: { type: 'offer', id },
          details: {
            partnerId: partner.id,
            unionProgramme: partner.kind === 'union',
            kind: dto.kind,
            items: items.map((i) => i.code),
            capacity: dto.capacity,
          },
        },
        manager,
      );
      await this.outbox.record(manager, OFFERS_INDEX, [id]);
    });
    await this.outbox.nudge();
    return this.presenter.offer((await this.repository.row(id))!);
  }

  /**
   * Edits an offer its author may write. Drafts and offers under review change in place; a live offer
   * that only grows (more capacity, a later end) stays live, remaining rising by the capacity added; any
   * other edit of a live offer sends it back to review. Closed offers are not edited (409).
   */
  async update(principal: Principal, id: string, dto: UpdateOfferDto): Promise<OfferDto> {
    assertNoPersonalData(dto);
    const items = dto.itemCodes !== undefined ? await this.items(dto.itemCodes) : undefined;
    await this.audit.auditDenials(principal, 'offers.update', { type: 'offer', id }, () =>
      this.repository.transaction(async (manager) => {
        const { offer, row } = await this.lockAndCheck(
          manager,
          principal,
          id,
          dto.version,
          () => OFFER_AUTHORS,
        );
        const changed = new Set<string>();
        for (const field of EDITABLE_FIELDS) {
          const value = dto[field];
          if (value === undefined) continue;
          if (field === 'itemCodes') {
            if (JSON.stringify(value) !== JSON.stringify(row.items.map((i) => i.code))) changed.add(field);
          } else if (field === 'contactPhone' || field === 'budgetFen') {
            changed.add(field);
          } else if (field === 'incomeFactor') {
            const next = value === null ? null : Number(value);
            if (next !== (offer.incomeFactor === null ? null : Number(offer.incomeFactor)))
              changed.add(field);
          } else if (
            JSON.stringify(value) !== JSON.stringify((offer as unknown as Record<string, unknown>)[field])
          ) {
            changed.add(field);
          }
        }
        // The budget is a cross-check of capacity × amount, not a field of its own.
        changed.delete('budgetFen');
        const before = { capacity: offer.capacity, validUntil: offer.validUntil };
        const after = {
          capacity: dto.capacity ?? offer.capacity,
          validUntil: dto.validUntil ?? offer.validUntil,
        };
        const effect = offerEditEffect(offer.state, { onlyGrowth: isGrowthOnly(changed, before, after) });
        if (effect === 'refused')
          throw new DomainError(OffersErrorCode.OFFER_INVALID_TRANSITION, {
            state: offer.state,
            command: 'edit',
          });

        const scopeOrgUnitId = dto.scopeOrgUnitId !== undefined ? dto.scopeOrgUnitId : offer.scopeOrgUnitId;
        const scopeRegionPrefix =
          dto.scopeRegionPrefix !== undefined ? dto.scopeRegionPrefix : offer.scopeRegionPrefix;
        if (changed.has('scopeOrgUnitId')) await this.assertScope(scopeOrgUnitId, row.partnerUnitPath);
        if (!scopeOrgUnitId && !scopeRegionPrefix)
          throw new DomainError(OffersErrorCode.OFFER_SCOPE_INVALID, { orgUnitId: null });
        const amount =
          dto.amountPerBeneficiaryFen !== undefined
            ? dto.amountPerBeneficiaryFen
            : offer.amountPerBeneficiaryFen;
        throwTermsProblems(
          offerTermsProblems(
            {
              kind: offer.kind,
              items: items ?? row.items,
              capacity: after.capacity,
              amountPerBeneficiaryFen: amount,
              budgetFen: dto.budgetFen ?? null,
              reserved: offer.reserved,
              used: offer.used,
              ageMin: dto.ageMin !== undefined ? dto.ageMin : offer.ageMin,
              ageMax: dto.ageMax !== undefined ? dto.ageMax : offer.ageMax,
              validFrom: dto.validFrom ?? offer.validFrom,
              validUntil: after.validUntil,
            },
            this.today(),
          ).filter((p) => p.code !== 'validity' || p.reason !== 'ended' || changed.has('validUntil')),
        );

        if (dto.title !== undefined) offer.title = dto.title;
        if (dto.description !== undefined) offer.description = dto.description || null;
        offer.capacity = after.capacity;
        offer.remaining = offer.capacity - offer.reserved - offer.used;
        offer.amountPerBeneficiaryFen = amount;
        if (dto.eligCategories !== undefined) offer.eligCategories = dto.eligCategories;
        if (dto.eligCauses !== undefined) offer.eligCauses = dto.eligCauses;
        if (dto.eligEmployment !== undefined) offer.eligEmployment = dto.eligEmployment;
        if (dto.ageMin !== undefined) offer.ageMin = dto.ageMin;
        if (dto.ageMax !== undefined) offer.ageMax = dto.ageMax;
        if (dto.incomeFactor !== undefined)
          offer.incomeFactor = dto.incomeFactor === null ? null : String(dto.incomeFactor);
        if (dto.requiresActiveArchive !== undefined) offer.requiresActiveArchive = dto.requiresActiveArchive;
        offer.scopeOrgUnitId = scopeOrgUnitId;
        offer.scopeRegionPrefix = scopeRegionPrefix;
        if (dto.online !== undefined) offer.online = dto.online;
        if (dto.regionCode !== undefined) offer.regionCode = dto.regionCode;
        if (dto.address !== undefined) offer.address = dto.address || null;
        if (dto.validFrom !== undefined) offer.validFrom = dto.validFrom;
        offer.validUntil = after.validUntil;
        if (dto.perHouseholdLimit !== undefined) offer.perHouseholdLimit = dto.perHouseholdLimit;
        if (dto.cooldownDays !== undefined) offer.cooldownDays = dto.cooldownDays;
        if (dto.contactName !== undefined) offer.contactName = dto.contactName;
        if (dto.contactPhone !== undefined)
          offer.contactPhoneCiphertext = this.cipher.encrypt(dto.contactPhone, offerContactPhoneField(id));
        if (items && changed.has('itemCodes'))
          await this.repository.setItems(
            manager,
            id,
            items.map((i) => i.id),
          );

        const from = offer.state;
        if (effect === 'revise') {
          offer.submittedBy = principal.userId;
          await this.move(manager, offer, transitionOf(offer.state, 'revise'), principal, {
            reasons: [...changed],
            note: null,
          });
        } else {
          await this.repository.save(manager, offer);
          await this.repository.insertHistory(manager, {
            offerId: id,
            at: this.clock.now(),
            actorId: principal.userId,
            actorKind: actorKind(principal),
            command: 'edit',
            fromState: from,
            toState: from,
            reasons: [...changed],
            note: null,
          });
        }
        await this.audit.record(
          {
            action: 'offer.update',
            outcome: 'success',
            actor: principal,
            target: { type: 'offer', id },
            // Field names only: values (the contact phone among them) stay out of the audit log.
            details: { from, to: offer.state, fields: [...changed].sort(), capacity: offer.capacity },
          },
          manager,
        );
        await this.outbox.record(manager, OFFERS_INDEX, [id]);
      }),
    );
    await this.outbox.nudge();
    return this.presenter.offer((await this.repository.row(id))!);
  }

  /** The author sends a draft to review. */
  submit(principal: Principal, id: string, dto: OfferCommandDto): Promise<OfferDto> {
    return this.command(principal, id, dto, 'offers.submit', 'submit', undefined, {
      check: (offer, partner) => {
        assertPartnerActive(partner);
        this.assertNotEnded(offer);
        offer.submittedBy = principal.userId;
      },
    });
  }

  /** A reviewer (an approver, for a union programme) publishes; never the author of a union programme. */
  publish(principal: Principal, id: string, dto: OfferCommandDto): Promise<OfferDto> {
    return this.command(principal, id, dto, 'offers.review', 'publish', undefined, {
      check: (offer, partner) => {
        this.authorization.assertNotSelf(principal, offer.createdBy);
        this.authorization.assertNotSelf(principal, offer.submittedBy);
        assertPartnerActive(partner);
        this.assertNotEnded(offer);
        offer.publishedAt = this.clock.now();
      },
    });
  }

  /** A reviewer (an approver, for a union programme) returns it to its author with reasons. */
  returnToAuthor(principal: Principal, id: string, dto: ReturnOfferDto): Promise<OfferDto> {
    if (dto.reasons.length === 0) throw new DomainError(OffersErrorCode.OFFER_RETURN_REASONS_REQUIRED);
    return this.command(principal, id, dto, 'offers.review', 'return', undefined, {
      reasons: dto.reasons,
      check: (offer) => {
        this.authorization.assertNotSelf(principal, offer.createdBy);
        this.authorization.assertNotSelf(principal, offer.submittedBy);
      },
    });
  }

  pause(principal: Principal, id: string, dto: OfferCommandDto): Promise<OfferDto> {
    return this.command(principal, id, dto, 'offers.pause', 'pause', undefined, {});
  }

  resume(principal: Principal, id: string, dto: OfferCommandDto): Promise<OfferDto> {
    return this.command(principal, id, dto, 'offers.pause', 'resume', undefined, {
      check: (offer, partner) => {
        assertPartnerActive(partner);
        this.assertNotEnded(offer);
      },
    });
  }

  /** The author withdraws; a reviewer closes a suspended partner's offer (partner_suspended). */
  close(principal: Principal, id: string, dto: CloseOfferDto): Promise<OfferDto> {
    return this.command(principal, id, dto, 'offers.close', 'close', dto.reason, {
      check: (_offer, partner) => {
        if (dto.reason === 'partner_suspended' && partner.status !== 'suspended')
          throw new DomainError(OffersErrorCode.OFFER_PARTNER_NOT_SUSPENDED, { status: partner.status });
      },
    });
  }

  /** The daily sweep: live offers whose last valid day has passed are closed (expired). Safe to rerun. */
  async expireOverdue(): Promise<{ expired: number }> {
    let expired = 0;
    for (;;) {
      const today = this.today();
      const ids = await this.repository.expiredIds(today, EXPIRY_BATCH);
      if (ids.length === 0) break;
      let moved = 0;
      await this.repository.transaction(async (manager) => {
        for (const id of ids) {
          const offer = await this.repository.findForUpdate(manager, id);
          if (
            !offer ||
            (offer.state !== 'published' && offer.state !== 'paused') ||
            offer.validUntil >= today
          )
            continue;
          await this.move(manager, offer, transitionOf(offer.state, 'close', 'expired'), 'system', {
            note: '有效期届满，自动关闭',
          });
          await this.outbox.record(manager, OFFERS_INDEX, [id]);
          moved += 1;
        }
      });
      expired += moved;
      if (moved === 0 || ids.length < EXPIRY_BATCH) break;
    }
    if (expired > 0) await this.outbox.nudge();
    return { expired };
  }

  // ───────────────────────────── internals ─────────────────────────────

  /**
   * The partner a new offer belongs to: a partner account's own organisation, or — for staff — the
   * union partner of the unit named (default: the caller's own), which must lie in the caller's subtree.
   */
  private async authorOf(
    principal: Principal,
    orgUnitId: string | undefined,
  ): Promise<{ partner: PartnerEntity; partnerUnitPath: string }> {
    if (principal.kind === 'partner') {
      if (orgUnitId !== undefined) throw new DomainError(OffersErrorCode.OFFER_ORG_UNIT_NOT_ALLOWED);
      const partner = principal.partnerId ? await this.partners.findById(principal.partnerId) : null;
      if (!partner) throw new DomainError(AuthorizationErrorCode.NOT_OWNER);
      return { partner, partnerUnitPath: (await this.orgUnits.pathOf(partner.orgUnitId))! };
    }
    const unitId = orgUnitId ?? principal.orgUnitId;
    const path = unitId ? await this.orgUnits.pathOf(unitId) : null;
    if (!unitId || !path) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    this.authorization.assertInScope(principal, path);
    return { partner: await this.partners.unionPartnerOf(unitId), partnerUnitPath: path };
  }

  /** The active menu items of `codes`, in that order; OFFER_ITEM_NOT_FOUND naming the others. */
  private async items(codes: readonly string[]): Promise<MenuItemEntity[]> {
    const found = await Promise.all(codes.map((code) => this.menu.findItem(code)));
    const missing = codes.filter((_, i) => !found[i] || !found[i]!.active);
    if (missing.length > 0) throw new DomainError(OffersErrorCode.OFFER_ITEM_NOT_FOUND, { codes: missing });
    return found as MenuItemEntity[];
  }

  /** A scope unit must lie in the partner's (vetting) unit's subtree: that unit's reviewers answer for it. */
  private async assertScope(scopeOrgUnitId: string | null, partnerUnitPath: string): Promise<void> {
    if (scopeOrgUnitId === null) return;
    const path = await this.orgUnits.pathOf(scopeOrgUnitId);
    if (!path || !path.startsWith(partnerUnitPath))
      throw new DomainError(OffersErrorCode.OFFER_SCOPE_INVALID, { orgUnitId: scopeOrgUnitId });
  }

  private assertNotEnded(offer: OfferEntity): void {
    if (offer.validUntil < this.today())
      throw new DomainError(OffersErrorCode.OFFER_VALIDITY_INVALID, { reason: 'ended' });
  }

  /**
   * Locks the offer, checks who may act as one of `actors` (403), then the version (409), all inside the
   * caller's transaction. Returns the locked entity and its row (partner, units, items).
   */
  private async lockAndCheck(
    manager: EntityManager,
    principal: Principal,
    id: string,
    version: number,
    actorsFor: (offer: OfferEntity) => readonly OfferActor[],
  ) {
    const offer = await this.repository.findForUpdate(manager, id);
    if (!offer) throw new DomainError(OffersErrorCode.OFFER_NOT_FOUND);
    const row = (await this.repository.row(id, manager))!;
    const may = offerActorMay(actorsFor(offer), {
      kind: principal.kind,
      roles: principal.roles,
      isOwner: principal.kind === 'partner' && principal.partnerId === row.partnerId,
      inScope: this.authorization.isInScope(principal, row.partnerUnitPath),
      unionProgramme: row.partnerKind === 'union',
    });
    if (!may.ok)
      throw new DomainError(
        may.reason === 'role'
          ? AuthorizationErrorCode.ACCESS_DENIED
          : principal.kind === 'partner'
            ? AuthorizationErrorCode.NOT_OWNER
            : AuthorizationErrorCode.OUT_OF_SCOPE,
        may.reason === 'role' ? { action: 'offers' } : undefined,
      );
    if (offer.version !== version)
      throw new DomainError(OffersErrorCode.OFFER_VERSION_CONFLICT, { currentVersion: offer.version });
    return { offer, row };
  }

  /**
   * Locks the offer, checks who may (403), the version (409), the state machine (409 naming the state)
   * and the command's own rules (422), moves it, records history, audit and outbox rows: one transaction.
   */
  private async command(
    principal: Principal,
    id: string,
    dto: OfferCommandDto,
    action: string,
    command: OfferCommand,
    decision: string | undefined,
    options: {
      reasons?: readonly OfferReturnReason[];
      check?: (offer: OfferEntity, partner: PartnerEntity) => void;
    },
  ): Promise<OfferDto> {
    await this.audit.auditDenials(principal, action, { type: 'offer', id }, () =>
      this.repository.transaction(async (manager) => {
        const { offer } = await this.lockAndCheck(
          manager,
          principal,
          id,
          dto.version,
          (locked) =>
            (findOfferTransition(locked.state, command, decision) ?? probeOf(command, decision)).actors,
        );
        const transition = findOfferTransition(offer.state, command, decision);
        if (!transition)
          throw new DomainError(OffersErrorCode.OFFER_INVALID_TRANSITION, { state: offer.state, command });
        const partner = (await this.partners.findById(offer.partnerId, manager))!;
        options.check?.(offer, partner);
        const from = offer.state;
        await this.move(manager, offer, transition, principal, {
          reasons: options.reasons ?? (decision ? [decision] : []),
          note: dto.note ?? null,
        });
        await this.audit.record(
          {
            action: `offer.${command}`,
            outcome: 'success',
            actor: principal,
            target: { type: 'offer', id },
            details: {
              from,
              to: offer.state,
              ...(decision ? { reason: decision } : {}),
              reasons: options.reasons ?? [],
            },
          },
          manager,
        );
        await this.outbox.record(manager, OFFERS_INDEX, [id]);
      }),
    );
    await this.outbox.nudge();
    return this.presenter.offer((await this.repository.row(id))!);
  }

  /** Applies `transition` to the locked offer and writes its history row. */
  private async move(
    manager: EntityManager,
    offer: OfferEntity,
    transition: OfferTransition,
    mover: Mover,
    options: { reasons?: readonly string[]; note?: string | null },
  ): Promise<void> {
    const now = this.clock.now();
    const from = offer.state;
    const reasons = options.reasons ?? (transition.decision ? [transition.decision] : []);
    offer.state = transition.to;
    offer.stateChangedAt = now;
    offer.closedReason =
      transition.to === 'closed' ? (transition.decision as OfferEntity['closedReason']) : null;
    offer.returnReasons = transition.command === 'return' ? ([...reasons] as OfferReturnReason[]) : [];
    await this.repository.save(manager, offer);
    await this.repository.insertHistory(manager, {
      offerId: offer.id,
      at: now,
      actorId: mover === 'system' ? null : mover.userId,
      actorKind: mover === 'system' ? 'system' : actorKind(mover),
      command: transition.command,
      fromState: from,
      toState: transition.to,
      reasons: [...reasons],
      note: options.note ?? null,
    });
    if (mover === 'system')
      await this.audit.record(
        {
          action: `offer.${transition.command}`,
          outcome: 'success',
          actor: SYSTEM_ACTOR,
          ip: null,
          target: { type: 'offer', id: offer.id },
          details: { from, to: transition.to, reason: transition.decision ?? null },
        },
        manager,
      );
  }

  private today(): string {
    return chinaToday(this.clock.now());
  }
}

function actorKind(principal: Principal): 'partner' | 'staff' {
  return principal.kind === 'partner' ? 'partner' : 'staff';
}

function assertPartnerActive(partner: PartnerEntity): void {
  if (partner.status !== 'approved')
    throw new DomainError(OffersErrorCode.OFFER_PARTNER_NOT_ACTIVE, { status: partner.status });
}

function assertNoPersonalData(dto: {
  title?: string;
  description?: string | null;
  address?: string | null;
}): void {
  for (const field of ['title', 'description', 'address'] as const) {
    const text = dto[field];
    if (text && findUnmaskedPersonalData(text).length > 0)
      throw new DomainError(OffersErrorCode.OFFER_TEXT_CONTAINS_PERSONAL_DATA, { field });
  }
}

const TERMS_ERRORS: Record<
  OfferTermsProblem['code'],
  (typeof OffersErrorCode)[keyof typeof OffersErrorCode]
> = {
  kind_mismatch: OffersErrorCode.OFFER_KIND_MISMATCH,
  cash_terms: OffersErrorCode.OFFER_CASH_TERMS_INVALID,
  capacity_below_committed: OffersErrorCode.OFFER_CAPACITY_BELOW_COMMITTED,
  age_range: OffersErrorCode.OFFER_AGE_RANGE_INVALID,
  validity: OffersErrorCode.OFFER_VALIDITY_INVALID,
};

/** The first problem as its 422 (details: the problem without its code). */
function throwTermsProblems(problems: OfferTermsProblem[]): void {
  const [first] = problems;
  if (!first) return;
  const { code, ...details } = first;
  throw new DomainError(TERMS_ERRORS[code], details);
}

/** The table's transition for a move the service itself makes (it exists: the table spec holds it). */
function transitionOf(
  state: OfferEntity['state'],
  command: OfferCommand,
  decision?: string,
): OfferTransition {
  const transition = findOfferTransition(state, command, decision);
  if (!transition) throw new Error(`offer transition ${command}:${decision ?? ''} from ${state} missing`);
  return transition;
}

/**
 * For the permission check when the offer is in a state the command does not start from: any transition
 * of the command with that decision (its actors are the same from every state), so a caller who may never
 * give it gets 403 and one who may gets the 409 naming the state.
 */
function probeOf(command: OfferCommand, decision: string | undefined): OfferTransition {
  const transition = findOfferTransitionAnyState(command, decision);
  if (!transition) throw new Error(`no offer transition for ${command}:${decision ?? ''}`);
  return transition;
}

function findOfferTransitionAnyState(command: OfferCommand, decision: string | undefined) {
  for (const state of ['draft', 'pending_review', 'published', 'paused'] as const) {
    const t = findOfferTransition(state, command, decision);
    if (t) return t;
  }
  return null;
}
