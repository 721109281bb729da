import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors';
import { Page, pageOf, pageWindow } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { ListPartnersQueryDto, PartnerDto, PartnerPageDto } from './dto/partner.dto';
import { PartnerAuditAction } from './partner-audit-actions';
import { PartnerEntity } from './partner.entity';
import { PartnerPresenter } from './partner.presenter';
import { PartnersErrorCode } from './partners.errors';
import { PartnersRepository, PartnerWithUnit } from './partners.repository';

/**
 * Partner organisations (合作方): what other modules (offers, matches) ask about a partner, and the
 * reads of the HTTP API (staff in their subtree, a partner account its own organisation).
 */
@Injectable()
export class PartnersService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly presenter: PartnerPresenter,
  ) {}

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
   * Pending, rejected and suspended partners are not; unknown ids neither. Read from PostgreSQL on every
   * call, so a suspension is seen by the next caller.
   */
  async isActive(partnerId: string, manager?: EntityManager): Promise<boolean> {
    return (await this.repository.findById(partnerId, manager))?.status === 'approved';
  }

  // ---- for the HTTP API ------------------------------------------------------------------------------

  /** Staff: the partners vetted by a unit of their subtree, pending applications first. */
  async list(principal: Principal, query: ListPartnersQueryDto): Promise<PartnerPageDto> {
    const scopePath = await this.audit.auditDenials(
      principal,
      'partners.list',
      { type: 'partner' },
      async () => staffScope(principal),
    );
    const { rows, total } = await this.repository.list({
      scopePath,
      status: query.status,
      kind: query.kind,
      q: query.q,
      ...pageWindow(query),
    });
    // The rows carry (masked) contact data: the listing is recorded like a read.
    await this.audit.record({
      action: PartnerAuditAction.LIST,
      outcome: 'success',
      actor: principal,
      target: { type: 'partner', id: null },
      details: {
        filters: { status: query.status, kind: query.kind, q: query.q === undefined ? undefined : true },
        page: query.page,
        returned: rows.length,
        total,
      },
    });
    return pageOf(
      rows.map((row) => this.presenter.partner(row)),
      total,
      query,
    ) as Page<PartnerDto>;
  }

  /** One partner: staff in scope of its unit, or an account of the partner itself; recorded as a read. */
  async get(principal: Principal, id: string): Promise<PartnerDto> {
    const partner = await this.audit.auditDenials(principal, 'partners.read', { type: 'partner', id }, () =>
      this.findReadable(principal, id),
    );
    await this.audit.recordRead(principal, 'partner', partner.id);
    return this.presenter.partner(partner);
  }

  /** 404 for an unknown id; 403 OUT_OF_SCOPE / NOT_OWNER as the archive endpoints answer. */
  private async findReadable(principal: Principal, id: string): Promise<PartnerWithUnit> {
    const partner = await this.repository.findWithUnit(id);
    if (!partner) throw new DomainError(PartnersErrorCode.PARTNER_NOT_FOUND);
    assertMayRead(this.authorization, principal, partner);
    return partner;
  }
}

/** Staff in scope of the partner's unit, or an account of the partner. */
export function assertMayRead(
  authorization: AuthorizationService,
  principal: Principal,
  partner: PartnerWithUnit,
): void {
  if (principal.kind === 'partner') authorization.assertPartnerOwns(principal, partner.id);
  else authorization.assertInScope(principal, partner.orgUnit.path);
}

/** Staff scope: the caller's unit path. Accounts without one have none. */
export function staffScope(principal: Principal): string {
  if (principal.kind !== 'staff' || !principal.orgPath)
    throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
  return principal.orgPath;
}
