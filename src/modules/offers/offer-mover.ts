import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chinaToday } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import type { PartnerEntity } from '../partners/partner.entity';
import { OfferEntity } from './offer.entity';
import type { OfferReturnReason } from './offers.enums';
import { OffersErrorCode } from './offers.errors';
import { OffersRepository } from './offers.repository';
import {
  findOfferTransition,
  offerActorMay,
  type OfferActor,
  type OfferCommand,
  type OfferTransition,
} from './rules/offer-transitions.rule';

export const OFFERS_INDEX = 'offers';
const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;

/** Who moves an offer: a principal, or the system (the daily job). */
export type Mover = Principal | 'system';

/**
 * What every write of an offer shares: locking the row and checking who may act on it and at which
 * version, and applying a move of the state machine with its history (and, for the system, audit) row.
 */
@Injectable()
export class OfferMover {
  constructor(
    private readonly repository: OffersRepository,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly clock: Clock,
  ) {}

  /**
   * Locks the offer, checks who may act as one of `actors` (403), then the version (409), all inside the
   * caller's transaction. Returns the locked entity and its row (partner, units, items).
   */
  async lockAndCheck(
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

  /** Applies `transition` to the locked offer and writes its history row. */
  async move(
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

  assertNotEnded(offer: OfferEntity): void {
    if (offer.validUntil < this.today())
      throw new DomainError(OffersErrorCode.OFFER_VALIDITY_INVALID, { reason: 'ended' });
  }

  now(): Date {
    return this.clock.now();
  }

  /** Today's date in China (YYYY-MM-DD). */
  today(): string {
    return chinaToday(this.clock.now());
  }
}

export function actorKind(principal: Principal): 'partner' | 'staff' {
  return principal.kind === 'partner' ? 'partner' : 'staff';
}

export function assertPartnerActive(partner: PartnerEntity): void {
  if (partner.status !== 'approved')
    throw new DomainError(OffersErrorCode.OFFER_PARTNER_NOT_ACTIVE, { status: partner.status });
}

/** The table's transition for a move the service itself makes (it exists: the table spec holds it). */
export function transitionOf(
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
export function probeOf(command: OfferCommand, decision: string | undefined): OfferTransition {
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
