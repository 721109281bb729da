import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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
import { CreateOfferDto, OfferDto, UpdateOfferDto } from './dto/offers.dto';
import { actorKind, OFFERS_INDEX, OfferMover, transitionOf } from './offer-mover';
import { OfferPresenter } from './offer.presenter';
import { OffersErrorCode } from './offers.errors';
import { OffersRepository } from './offers.repository';
import { isGrowthOnly, offerTermsProblems, OfferTermsProblem } from './rules/offer-terms.rule';
import { OFFER_AUTHORS, offerEditEffect } from './rules/offer-transitions.rule';

/** Fields of an offer an edit may change (the kind and the partner never change). */
const EDITABLE_FIELDS = [
  'itemCodes',
  'title',
  'description',
  'capacity',
  'amountPerBeneficiaryFen',
  'declaredValueFen',
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
 * Drafting and editing offers (供给): a partner's accounts (or, for a union programme, a caseworker of the
 * unit or above) create drafts and edit them; a live offer may grow (capacity, a later end) without
 * review, other edits send it back to review. Every change is a history row, an audit row and an outbox
 * row in the transaction that makes it, on the row locked and at the version the caller read.
 */
@Injectable()
export class OfferDraftingService {
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
    private readonly mover: OfferMover,
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
        this.mover.today(),
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
        declaredValueFen: dto.kind === 'cash' ? null : (dto.declaredValueFen ?? null),
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
        const { offer, row } = await this.mover.lockAndCheck(
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
            this.mover.today(),
          ).filter((p) => p.code !== 'validity' || p.reason !== 'ended' || changed.has('validUntil')),
        );

        if (dto.title !== undefined) offer.title = dto.title;
        if (dto.description !== undefined) offer.description = dto.description || null;
        offer.capacity = after.capacity;
        offer.remaining = offer.capacity - offer.reserved - offer.used;
        offer.amountPerBeneficiaryFen = amount;
        if (dto.declaredValueFen !== undefined && offer.kind !== 'cash')
          offer.declaredValueFen = dto.declaredValueFen;
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
          await this.mover.move(manager, offer, transitionOf(offer.state, 'revise'), principal, {
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
