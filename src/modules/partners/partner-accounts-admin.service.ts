import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData } from '../../common/masking';
import { AuditService } from '../audit/audit.service';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { TokensService } from '../auth/tokens/tokens.service';
import { PartnerAccountsService } from '../users/partner-accounts.service';
import {
  DisablePartnerAccountDto,
  PartnerAccountDto,
  PartnerAccountInputDto,
  PartnerAccountListDto,
} from './dto/partner.dto';
import { PartnerAuditAction } from './partner-audit-actions';
import { PartnerPresenter } from './partner.presenter';
import { PartnersErrorCode } from './partners.errors';
import { PartnersRepository } from './partners.repository';

/**
 * A partner's own accounts (`/partners/:id/accounts`). Every account of the partner sees the list; the
 * partner's first account (the one made at registration, oldest by creation) adds accounts and disables
 * them — decided so that one person answers for who may act for the organisation, as the registrant did
 * on the form. The first account cannot disable itself; the union unit's administrators manage it
 * through /users. Other partners' accounts: 403 NOT_OWNER, as for every partner record.
 */
@Injectable()
export class PartnerAccountsAdminService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly accounts: PartnerAccountsService,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
    private readonly presenter: PartnerPresenter,
  ) {}

  async list(principal: Principal, partnerId: string): Promise<PartnerAccountListDto> {
    await this.guard(principal, 'partners.accounts.list', partnerId, false);
    const items = await this.accounts.list(partnerId);
    await this.audit.record({
      action: PartnerAuditAction.ACCOUNT_LIST,
      outcome: 'success',
      actor: principal,
      target: { type: 'partner', id: partnerId },
      details: { returned: items.length },
    });
    return { items: items.map((a) => this.presenter.account(a)) };
  }

  async add(
    principal: Principal,
    partnerId: string,
    dto: PartnerAccountInputDto,
  ): Promise<PartnerAccountDto> {
    await this.guard(principal, 'partners.accounts.create', partnerId, true);
    const prepared = await this.accounts.prepare(dto);
    await this.repository.transaction(async (manager) => {
      // Locked: a suspension committed meanwhile is seen, and adds by two first-account sessions serialise.
      const partner = await this.repository.findWithUnitForUpdate(manager, partnerId);
      if (!partner) throw new DomainError(PartnersErrorCode.PARTNER_NOT_FOUND);
      if (partner.status !== 'approved') {
        throw new DomainError(PartnersErrorCode.PARTNER_NOT_APPROVED, { current: partner.status });
      }
      const userId = await this.accounts.insert(manager, prepared, {
        partnerId,
        orgUnitId: partner.orgUnitId,
        createdBy: principal.userId,
        mustChangePassword: true,
      });
      await this.audit.record(
        {
          action: PartnerAuditAction.ACCOUNT_CREATE,
          outcome: 'success',
          actor: principal,
          target: { type: 'user', id: userId },
          details: { partnerId, username: prepared.username },
        },
        manager,
      );
    });
    const created = (await this.accounts.list(partnerId)).find((a) => a.id === prepared.id)!;
    return this.presenter.account(created);
  }

  async disable(
    principal: Principal,
    partnerId: string,
    userId: string,
    dto: DisablePartnerAccountDto,
  ): Promise<PartnerAccountDto> {
    if (findUnmaskedPersonalData(dto.reason).length > 0) {
      throw new DomainError(PartnersErrorCode.PARTNER_TEXT_CONTAINS_PERSONAL_DATA, { field: 'reason' });
    }
    await this.guard(principal, 'partners.accounts.disable', partnerId, true);
    if (userId === principal.userId)
      throw new DomainError(PartnersErrorCode.PARTNER_ACCOUNT_CANNOT_DISABLE_SELF);
    await this.repository.transaction(async (manager) => {
      await this.accounts.disable(manager, partnerId, userId, dto.reason);
      await this.audit.record(
        {
          action: PartnerAuditAction.ACCOUNT_DISABLE,
          outcome: 'success',
          actor: principal,
          target: { type: 'user', id: userId },
          details: { partnerId, reason: dto.reason },
        },
        manager,
      );
    });
    this.tokens.forgetSessions({ userId });
    return this.presenter.account((await this.accounts.list(partnerId)).find((a) => a.id === userId)!);
  }

  /**
   * The caller is an account of this partner (403 NOT_OWNER otherwise; 404 for an unknown partner), and,
   * for changes, its first account (403 PARTNER_ACCOUNT_ADMIN_ONLY). Refusals are audited.
   */
  private async guard(
    principal: Principal,
    action: string,
    partnerId: string,
    change: boolean,
  ): Promise<void> {
    await this.audit.auditDenials(principal, action, { type: 'partner', id: partnerId }, async () => {
      const partner = await this.repository.findById(partnerId);
      if (!partner) throw new DomainError(PartnersErrorCode.PARTNER_NOT_FOUND);
      this.authorization.assertPartnerOwns(principal, partner.id);
      if (change && (await this.accounts.firstAccountId(partnerId)) !== principal.userId) {
        throw new DomainError(PartnersErrorCode.PARTNER_ACCOUNT_ADMIN_ONLY);
      }
    });
  }
}
