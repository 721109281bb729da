import { Injectable } from '@nestjs/common';
import { decryptField, FieldCipher, partnerMobileField } from '../../common/crypto';
import { maskPhone } from '../../common/masking';
import type { PartnerAccountView } from '../users/partner-accounts.service';
import { PartnerAccountDto, PartnerDto } from './dto/partner.dto';
import { PARTNER_KIND_NAMES } from './partner.enums';
import type { PartnerWithUnit } from './partners.repository';

/** Response DTOs of partners: every field listed, the mobile decrypted only to be masked. */
@Injectable()
export class PartnerPresenter {
  constructor(private readonly cipher: FieldCipher) {}

  partner(partner: PartnerWithUnit): PartnerDto {
    return {
      id: partner.id,
      kind: partner.kind,
      kindName: PARTNER_KIND_NAMES[partner.kind],
      name: partner.name,
      creditCode: partner.creditCode,
      orgUnitId: partner.orgUnitId,
      orgUnitName: partner.orgUnit?.name ?? null,
      contactName: partner.contactName,
      // A value that does not decrypt fails the request, logged with the row; never a placeholder.
      mobile: partner.mobileCiphertext
        ? maskPhone(decryptField(this.cipher, partner.mobileCiphertext, partnerMobileField(partner.id)))
        : null,
      regionCodes: [...partner.regionCodes],
      categories: [...partner.categories],
      status: partner.status,
      statusReason: partner.statusReason,
      reviewedAt: partner.reviewedAt?.toISOString() ?? null,
      version: partner.version,
      createdAt: partner.createdAt.toISOString(),
      updatedAt: partner.updatedAt.toISOString(),
    };
  }

  account(account: PartnerAccountView): PartnerAccountDto {
    return {
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      status: account.status,
      first: account.first,
      disabledAt: account.disabledAt?.toISOString() ?? null,
      createdAt: account.createdAt.toISOString(),
    };
  }
}
