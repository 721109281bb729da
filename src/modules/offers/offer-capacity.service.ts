import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors';
import { OutboxService } from '../../infra/outbox/outbox.service';
import { OFFERS_INDEX, OfferMover } from './offer-mover';
import { OffersErrorCode } from './offers.errors';
import { OffersRepository } from './offers.repository';
import { findOfferTransition } from './rules/offer-transitions.rule';

/**
 * An offer's capacity as the match lifecycle spends it (issue 13 §2), always inside the caller's
 * transaction so the match and the capacity commit together, and always keeping
 * remaining = capacity − reserved − used (the table's CHECKs hold it too):
 *
 * - `reserve` (approval): one conditional UPDATE — published, partner approved, in its window, enough
 *   remaining — else 409 OFFER_CAPACITY_EXHAUSTED. Never overbooked, however many approve at once.
 * - `release` (the match left the active path before delivery): the reservation goes back.
 * - `use` (delivery): the reservation becomes use; when nothing remains nor is reserved, the offer
 *   closes as `exhausted` (history row, audit row as the system).
 *
 * Release and use are called exactly once per match by the match's own state change (a guarded UPDATE
 * of the match), so two racing exits cannot both give capacity back. Every change re-indexes the offer.
 */
@Injectable()
export class OfferCapacityService {
  constructor(
    private readonly repository: OffersRepository,
    private readonly mover: OfferMover,
    private readonly outbox: OutboxService,
  ) {}

  async reserve(manager: EntityManager, offerId: string, units: number): Promise<number> {
    const remaining = await this.repository.reserve(manager, offerId, units, this.mover.today());
    if (remaining === null) {
      const row = await this.repository.row(offerId, manager);
      if (!row) throw new DomainError(OffersErrorCode.OFFER_NOT_FOUND);
      throw new DomainError(OffersErrorCode.OFFER_CAPACITY_EXHAUSTED, { offerId, remaining: row.remaining });
    }
    await this.outbox.record(manager, OFFERS_INDEX, [offerId]);
    return remaining;
  }

  async release(manager: EntityManager, offerId: string, units: number): Promise<number> {
    const remaining = await this.repository.release(manager, offerId, units);
    if (remaining === null) throw new Error(`offer ${offerId}: releasing ${units} more than is reserved`);
    await this.outbox.record(manager, OFFERS_INDEX, [offerId]);
    return remaining;
  }

  async use(manager: EntityManager, offerId: string, units: number): Promise<void> {
    const after = await this.repository.use(manager, offerId, units);
    if (after === null) throw new Error(`offer ${offerId}: using ${units} more than is reserved`);
    if (after.remaining === 0 && after.reserved === 0) {
      const offer = (await this.repository.findForUpdate(manager, offerId))!;
      const transition = findOfferTransition(offer.state, 'close', 'exhausted');
      if (transition)
        await this.mover.move(manager, offer, transition, 'system', {
          note: '名额（预算）已全部使用，自动关闭',
        });
    }
    await this.outbox.record(manager, OFFERS_INDEX, [offerId]);
  }
}
