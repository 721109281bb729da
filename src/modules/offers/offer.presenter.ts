import { Injectable } from '@nestjs/common';
import { decryptField, FieldCipher, offerContactPhoneField } from '../../common/crypto';
import { maskPhone } from '../../common/masking';
import {
  AvailableOfferDto,
  OfferDto,
  OfferEligibilityDto,
  OfferHistoryDto,
  OfferScopeDto,
} from './dto/offers.dto';
import type { OfferHistoryEntity } from './offer.entity';
import type { OfferRow } from './offers.repository';
import { availableOfferCommands } from './rules/offer-transitions.rule';

/** Response DTOs of offers: every field listed; the contact phone decrypted only to be masked. */
@Injectable()
export class OfferPresenter {
  constructor(private readonly cipher: FieldCipher) {}

  offer(row: OfferRow): OfferDto {
    return {
      id: row.id,
      state: row.state,
      closedReason: row.closedReason,
      returnReasons: [...row.returnReasons],
      partner: {
        id: row.partnerId,
        name: row.partnerName,
        kind: row.partnerKind,
        active: row.partnerStatus === 'approved',
      },
      unionProgramme: row.partnerKind === 'union',
      title: row.title,
      description: row.description,
      kind: row.kind,
      items: row.items.map(({ code, name, category }) => ({ code, name, category })),
      capacity: row.capacity,
      amountPerBeneficiaryFen: row.amountPerBeneficiaryFen,
      declaredValueFen: row.declaredValueFen,
      budgetFen: row.amountPerBeneficiaryFen === null ? null : row.capacity * row.amountPerBeneficiaryFen,
      reserved: row.reserved,
      used: row.used,
      remaining: row.remaining,
      eligibility: eligibility(row),
      scope: scope(row),
      regionCode: row.regionCode,
      address: row.address,
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      perHouseholdLimit: row.perHouseholdLimit,
      cooldownDays: row.cooldownDays,
      contact: {
        name: row.contactName,
        // A value that does not decrypt fails the request, logged with the row; never a placeholder.
        phone:
          maskPhone(decryptField(this.cipher, row.contactPhoneCiphertext, offerContactPhoneField(row.id))) ??
          '',
      },
      publishedAt: row.publishedAt?.toISOString() ?? null,
      stateChangedAt: row.stateChangedAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      version: row.version,
      commands: availableOfferCommands(row.state),
    };
  }

  /** For workers browsing: no contact, no reservations, no review details. */
  available(row: OfferRow): AvailableOfferDto {
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      kind: row.kind,
      items: row.items.map(({ code, name, category }) => ({ code, name, category })),
      partnerName: row.partnerName,
      amountPerBeneficiaryFen: row.amountPerBeneficiaryFen,
      remaining: row.remaining,
      eligibility: eligibility(row),
      scope: scope(row),
      regionCode: row.regionCode,
      address: row.address,
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      perHouseholdLimit: row.perHouseholdLimit,
      cooldownDays: row.cooldownDays,
    };
  }

  history(h: OfferHistoryEntity): OfferHistoryDto {
    return {
      at: h.at.toISOString(),
      actorId: h.actorId,
      actorKind: h.actorKind,
      command: h.command,
      fromState: h.fromState,
      toState: h.toState,
      reasons: [...h.reasons],
      note: h.note,
    };
  }
}

function eligibility(row: OfferRow): OfferEligibilityDto {
  return {
    categories: [...row.eligCategories],
    causes: [...row.eligCauses],
    employment: [...row.eligEmployment],
    ageMin: row.ageMin,
    ageMax: row.ageMax,
    incomeFactor: row.incomeFactor,
    requiresActiveArchive: row.requiresActiveArchive,
  };
}

function scope(row: OfferRow): OfferScopeDto {
  return {
    orgUnitId: row.scopeOrgUnitId,
    orgUnitName: row.scopeUnitName,
    regionPrefix: row.scopeRegionPrefix,
    online: row.online,
  };
}
