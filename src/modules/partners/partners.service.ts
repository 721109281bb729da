import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors';
import { PartnerEntity } from './partner.entity';
import { PartnersErrorCode } from './partners.errors';
import { PartnersRepository } from './partners.repository';

/** Partner organisations (合作方): what other modules (offers, matches) ask about a partner. */
@Injectable()
export class PartnersService {
  constructor(private readonly repository: PartnersRepository) {}

  // ---- for other modules (no access check: the caller decides what the partner is used for) --------

  /** The partner, or null if there is none. Pass `manager` to read inside the caller's transaction. */
  findById(id: string, manager?: EntityManager): Promise<PartnerEntity | null> {
    return this.repository.findById(id, manager);
  }

  /**
   * The unit's own `union` partner, through which the unit's programmes (送温暖, 金秋助学, 大病救助,
   * 临时救助) are offered. Every unit has exactly one; PARTNER_NOT_FOUND only for an unknown unit.
   */
  async unionPartnerOf(unitId: string, manager?: EntityManager): Promise<PartnerEntity> {
    const partner = await this.repository.findUnionPartnerOf(unitId, manager);
    if (!partner) throw new DomainError(PartnersErrorCode.PARTNER_NOT_FOUND, { orgUnitId: unitId });
    return partner;
  }

  /**
   * Whether the partner may act (post offers, be matched, have its offers shown): approved only.
   * Pending, rejected and suspended partners are not; unknown ids neither.
   */
  async isActive(partnerId: string, manager?: EntityManager): Promise<boolean> {
    return (await this.repository.findById(partnerId, manager))?.status === 'approved';
  }
}
