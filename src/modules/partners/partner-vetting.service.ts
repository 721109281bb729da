import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData } from '../../common/masking';
import { AuditService } from '../audit/audit.service';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import { TokensService } from '../auth/tokens/tokens.service';
import type { Principal } from '../auth/principal';
import { CommonErrorCode } from '../../common/errors';
import { renderNotification } from '../notifications/notification-events';
import { NotificationsService } from '../notifications/notifications.service';
import { PartnerAccountsService } from '../users/partner-accounts.service';
import { PartnerDto, VetPartnerDto } from './dto/partner.dto';
import { PartnerAuditAction } from './partner-audit-actions';
import { PartnerPresenter } from './partner.presenter';
import { PartnersErrorCode } from './partners.errors';
import { PartnersRepository } from './partners.repository';
import { partnerTransition, PartnerVettingAction, REASON_REQUIRED } from './rules/partner-transitions.rule';

const AUDIT_ACTIONS: Record<PartnerVettingAction, string> = {
  approve: PartnerAuditAction.APPROVE,
  reject: PartnerAuditAction.REJECT,
  suspend: PartnerAuditAction.SUSPEND,
  reinstate: PartnerAuditAction.REINSTATE,
};

/**
 * Vetting (审核) by a reviewer of the partner's unit or a unit above: approve, reject, suspend, reinstate.
 * The row is locked, the version the reviewer saw must still be current (two reviewers at once: one
 * wins, the other gets PARTNER_VERSION_CONFLICT), the state machine decides, and the change, the audit
 * row and — on suspension — the end of every session of the partner's accounts commit together.
 * Approval and suspension notify the partner's accounts (NotificationsService, in the same transaction).
 * A suspended partner is no longer `isActive` (offers hide its offers) and its accounts cannot log in.
 */
@Injectable()
export class PartnerVettingService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly accounts: PartnerAccountsService,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
    private readonly presenter: PartnerPresenter,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async vet(
    principal: Principal,
    id: string,
    action: PartnerVettingAction,
    dto: VetPartnerDto,
  ): Promise<PartnerDto> {
    const reason = dto.reason ?? null;
    if (REASON_REQUIRED.has(action) && !reason) {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, {
        problems: [{ field: 'reason', message: '驳回或暂停须写明原因' }],
      });
    }
    if (reason && findUnmaskedPersonalData(reason).length > 0) {
      throw new DomainError(PartnersErrorCode.PARTNER_TEXT_CONTAINS_PERSONAL_DATA, { field: 'reason' });
    }
    const signedOut = await this.audit.auditDenials(
      principal,
      `partners.${action}`,
      { type: 'partner', id },
      () =>
        this.repository.transaction(async (manager) => {
          const partner = await this.repository.findWithUnitForUpdate(manager, id);
          if (!partner) throw new DomainError(PartnersErrorCode.PARTNER_NOT_FOUND);
          this.authorization.assertInScope(principal, partner.orgUnit.path);
          if (partner.kind === 'union') throw new DomainError(PartnersErrorCode.PARTNER_IS_UNION);
          if (partner.version !== dto.version) {
            throw new DomainError(PartnersErrorCode.PARTNER_VERSION_CONFLICT, {
              currentVersion: partner.version,
            });
          }
          const to = partnerTransition(partner.status, action);
          if (!to)
            throw new DomainError(PartnersErrorCode.PARTNER_INVALID_TRANSITION, {
              current: partner.status,
              action,
            });
          await this.repository.applyVetting(manager, partner.id, {
            status: to,
            statusReason: reason,
            reviewedBy: principal.userId,
            reviewedAt: this.clock.now(),
          });
          const signedOut =
            action === 'suspend' ? (await this.accounts.list(partner.id, manager)).map((a) => a.id) : [];
          if (signedOut.length > 0) await this.accounts.revokeSessions(manager, partner.id);
          await this.audit.record(
            {
              action: AUDIT_ACTIONS[action],
              outcome: 'success',
              actor: principal,
              target: { type: 'partner', id: partner.id },
              details: {
                from: partner.status,
                to,
                reason,
                version: partner.version,
                ...(action === 'suspend' ? { accountsSignedOut: signedOut.length } : {}),
              },
            },
            manager,
          );
          if (action === 'approve' || action === 'suspend') {
            const accounts =
              action === 'suspend'
                ? signedOut
                : (await this.accounts.list(partner.id, manager)).map((a) => a.id);
            const event = action === 'approve' ? 'partner.approved' : 'partner.suspended';
            await this.notifications.notify(manager, {
              recipients: accounts,
              event,
              ...renderNotification(event, { partnerName: partner.name }),
              ref: { type: 'partner', id: partner.id },
            });
          }
          return signedOut;
        }),
    );
    // This process's remembered session checks of those accounts: refused on their very next request.
    for (const userId of signedOut) this.tokens.forgetSessions({ userId });
    return this.presenter.partner((await this.repository.findWithUnit(id))!);
  }
}
