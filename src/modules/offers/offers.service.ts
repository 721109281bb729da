import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { OutboxService } from '../../infra/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import type { PartnerEntity } from '../partners/partner.entity';
import { PartnersService } from '../partners/partners.service';
import { CloseOfferDto, OfferCommandDto, OfferDto, ReturnOfferDto } from './dto/offers.dto';
import { assertPartnerActive, OFFERS_INDEX, OfferMover, probeOf, transitionOf } from './offer-mover';
import { OfferPresenter } from './offer.presenter';
import { OfferEntity } from './offer.entity';
import type { OfferReturnReason } from './offers.enums';
import { OffersErrorCode } from './offers.errors';
import { OffersRepository } from './offers.repository';
import { findOfferTransition, type OfferCommand } from './rules/offer-transitions.rule';

export { OFFERS_INDEX };
/** Offers closed per transaction by the daily job. */
const EXPIRY_BATCH = 200;

/**
 * The state commands of offers (供给): the author submits, pauses, resumes and withdraws; a reviewer of the
 * partner's unit or above (an approver, for a union programme, never its author) publishes or returns; a
 * reviewer closes a suspended partner's offers; the daily job closes expired ones. Each locks the row,
 * checks who may and the version read, and writes the move, a history row, an audit row and an outbox
 * row (the `offers` index) in one transaction. Drafting and editing: OfferDraftingService.
 */
@Injectable()
export class OffersService {
  constructor(
    private readonly repository: OffersRepository,
    private readonly partners: PartnersService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly outbox: OutboxService,
    private readonly presenter: OfferPresenter,
    private readonly mover: OfferMover,
  ) {}

  /** The author sends a draft to review. */
  submit(principal: Principal, id: string, dto: OfferCommandDto): Promise<OfferDto> {
    return this.command(principal, id, dto, 'offers.submit', 'submit', undefined, {
      check: (offer, partner) => {
        assertPartnerActive(partner);
        this.mover.assertNotEnded(offer);
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
        this.mover.assertNotEnded(offer);
        offer.publishedAt = this.mover.now();
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
        this.mover.assertNotEnded(offer);
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
      const today = this.mover.today();
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
          await this.mover.move(manager, offer, transitionOf(offer.state, 'close', 'expired'), 'system', {
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
        const { offer } = await this.mover.lockAndCheck(
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
        await this.mover.move(manager, offer, transition, principal, {
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
}
