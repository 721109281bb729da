import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { requestContext } from '../../common/context/request-context';
import { FieldCipher, partnerMobileField } from '../../common/crypto';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData } from '../../common/masking';
import { AuditService } from '../audit/audit.service';
import { RateLimitService } from '../auth/rate-limit/rate-limit.service';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PartnerAccountsService } from '../users/partner-accounts.service';
import { PartnerRegistrationDto, RegisterPartnerDto } from './dto/partner.dto';
import { PartnerAuditAction } from './partner-audit-actions';
import { KINDS_WITHOUT_CREDIT_CODE } from './partner.enums';
import { PartnerPresenter } from './partner.presenter';
import { PartnersErrorCode } from './partners.errors';
import { PartnersRepository } from './partners.repository';
import { parseCreditCode } from './rules/credit-code.rule';

/**
 * Self-registration (POST /partners, no login). Rate-limited per client address and per credit code
 * (else user name). Checks run before anything is written; the partner row, its first account and the
 * audit row are then written in one transaction, so a failure anywhere (a code or user name taken by a
 * concurrent registration included) leaves nothing behind. The partner is `pending`: its account logs
 * in once a reviewer of the unit applied to, or above, approves it.
 */
@Injectable()
export class PartnerRegistrationService {
  constructor(
    private readonly repository: PartnersRepository,
    private readonly accounts: PartnerAccountsService,
    private readonly orgUnits: OrgUnitsService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly rateLimit: RateLimitService,
    private readonly presenter: PartnerPresenter,
  ) {}

  async register(dto: RegisterPartnerDto): Promise<PartnerRegistrationDto> {
    const ip = requestContext.current()?.ip ?? null;
    await this.rateLimit.enforceIp('partnerRegistration', ip);

    const creditCode = this.creditCodeOf(dto);
    await this.rateLimit.enforceAccount('partnerRegistration', creditCode ?? dto.account.username, ip);
    if (findUnmaskedPersonalData(dto.name).length > 0) {
      throw new DomainError(PartnersErrorCode.PARTNER_TEXT_CONTAINS_PERSONAL_DATA, { field: 'name' });
    }
    const unit = await this.orgUnits.findById(dto.orgUnitId);
    if (!unit)
      throw new DomainError(PartnersErrorCode.PARTNER_ORG_UNIT_NOT_FOUND, { orgUnitId: dto.orgUnitId });
    // Password policy, user name taken, argon2 hash: before the transaction (no connection held meanwhile).
    const account = await this.accounts.prepare(dto.account);

    const partnerId = randomUUID();
    await this.repository.transaction(async (manager) => {
      // Said before the insert so the common case needs no failed statement; the unique index decides races.
      if (creditCode && (await this.repository.creditCodeTaken(manager, creditCode))) {
        throw new DomainError(PartnersErrorCode.PARTNER_CREDIT_CODE_TAKEN);
      }
      const inserted = await this.repository.insertPending(manager, {
        id: partnerId,
        kind: dto.kind,
        name: dto.name,
        creditCode,
        orgUnitId: unit.id,
        contactName: dto.contactName,
        mobileCiphertext: this.cipher.encrypt(dto.mobile, partnerMobileField(partnerId)),
        mobileBlindIndex: this.cipher.blindIndex(dto.mobile, 'phone'),
        regionCodes: [...dto.regionCodes],
        categories: [...dto.categories],
      });
      if (inserted === 'credit_code_taken')
        throw new DomainError(PartnersErrorCode.PARTNER_CREDIT_CODE_TAKEN);
      const userId = await this.accounts.insert(manager, account, {
        partnerId,
        orgUnitId: unit.id,
        createdBy: null,
        mustChangePassword: false,
      });
      const actor = { userId, username: account.username, kind: 'partner', roles: [], orgUnitId: unit.id };
      await this.audit.record(
        {
          action: PartnerAuditAction.REGISTER,
          outcome: 'success',
          actor,
          target: { type: 'partner', id: partnerId },
          details: {
            kind: dto.kind,
            orgUnitId: unit.id,
            hasCreditCode: creditCode !== null,
            regionCodes: dto.regionCodes,
            categories: dto.categories,
            firstAccountId: userId,
          },
        },
        manager,
      );
    });
    const partner = await this.repository.findWithUnit(partnerId);
    return { partner: this.presenter.partner(partner!), username: account.username };
  }

  /** The normalised code; required for every kind but volunteer teams, checked (GB 32100) when given. */
  private creditCodeOf(dto: RegisterPartnerDto): string | null {
    const raw = dto.creditCode?.trim() ? dto.creditCode : undefined;
    if (raw === undefined) {
      if (KINDS_WITHOUT_CREDIT_CODE.includes(dto.kind)) return null;
      throw new DomainError(PartnersErrorCode.PARTNER_CREDIT_CODE_REQUIRED, { kind: dto.kind });
    }
    const parsed = parseCreditCode(raw);
    if (!parsed.ok)
      throw new DomainError(PartnersErrorCode.PARTNER_CREDIT_CODE_INVALID, { reason: parsed.reason });
    return parsed.creditCode;
  }
}
