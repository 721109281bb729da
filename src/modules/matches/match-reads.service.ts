import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { archiveField, decryptField, FieldCipher, offerContactPhoneField } from '../../common/crypto';
import { DomainError } from '../../common/errors';
import { maskName } from '../../common/masking';
import { Page, pageOf, pageWindow } from '../../common/pagination/pagination';
import { ArchivesService } from '../archives/archives.service';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { ageBand } from '../needs/needs-search.source';
import type { NeedMatchRow } from '../needs/needs.repository';
import { NeedsService } from '../needs/needs.service';
import { OfferReadsService } from '../offers/offer-reads.service';
import type { OfferRow } from '../offers/offers.repository';
import { ListMatchesQueryDto, MatchContactDto, MatchDto, MatchHistoryDto } from './dto/matches.dto';
import { MatchEntity } from './match.entity';
import type { MatchState } from './matches.enums';
import { MatchesErrorCode } from './matches.errors';
import { MatchesRepository, type MatchListCriteria } from './matches.repository';
import { availableMatchCommands } from './rules/match-transitions.rule';

/** The partner sees the beneficiary's contact in these states (accepted, before the match ends) with consent. */
const BENEFICIARY_DISCLOSED: readonly MatchState[] = [
  'accepted',
  'in_progress',
  'delivered',
  'confirmed',
  'followed_up',
];
/** The worker sees the partner's contact from approval until the match ends. */
const PARTNER_DISCLOSED: readonly MatchState[] = ['approved', ...BENEFICIARY_DISCLOSED];

/**
 * Reading matches: staff their subtree (by the need's archive unit), a partner its organisation's, a
 * worker its households'. Every answer is the masked card (issue 13 §3); the contact the consent allows
 * is a separate, audited read (`contact`).
 */
@Injectable()
export class MatchReadsService {
  constructor(
    private readonly repository: MatchesRepository,
    private readonly needs: NeedsService,
    private readonly offers: OfferReadsService,
    private readonly archives: ArchivesService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
  ) {}

  async get(principal: Principal, id: string): Promise<MatchDto> {
    const { match, need, offer } = await this.readable(principal, 'matches.read', id);
    await this.audit.recordRead(principal, 'match', id);
    return this.toDto(principal, match, need, offer);
  }

  async list(principal: Principal, query: ListMatchesQueryDto): Promise<Page<MatchDto>> {
    const criteria: MatchListCriteria = { state: query.state, needId: query.needId, offerId: query.offerId };
    if (principal.kind === 'staff') {
      if (!principal.orgPath) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
      criteria.scopePath = principal.orgPath;
    } else if (principal.kind === 'partner') {
      if (!principal.partnerId) throw new DomainError(AuthorizationErrorCode.NOT_OWNER);
      criteria.partnerId = principal.partnerId;
    } else criteria.ownerUserId = principal.userId;
    const { rows, total } = await this.repository.list(criteria, pageWindow(query));
    const needs = new Map((await this.needs.matchRows(rows.map((m) => m.needId))).map((n) => [n.id, n]));
    const offers = new Map((await this.offers.rows(rows.map((m) => m.offerId))).map((o) => [o.id, o]));
    const items = rows.map((m) => this.toDto(principal, m, needs.get(m.needId)!, offers.get(m.offerId)!));
    // The page's size and position, not its ids: a full page of ids would crowd the audit row's limit.
    await this.audit.recordRead(principal, 'match', null, { view: 'list', page: query.page, total });
    return pageOf(items, total, query);
  }

  /** Every move (who kind, when, from, to, coded reason, note), oldest first; whoever may read the match. */
  async history(principal: Principal, id: string): Promise<MatchHistoryDto[]> {
    await this.readable(principal, 'matches.read', id);
    const rows = await this.repository.history(id);
    await this.audit.recordRead(principal, 'match', id, { view: 'history' });
    return rows.map((h) => ({
      at: h.at.toISOString(),
      actorKind: h.actorKind,
      command: h.command,
      fromState: h.fromState,
      toState: h.toState,
      reason: h.reason,
      note: h.note,
    }));
  }

  /** The match as the caller just left it (after a command the caller may read it). */
  async view(principal: Principal, id: string): Promise<MatchDto> {
    const match = (await this.repository.find(id))!;
    const [need] = await this.needs.matchRows([match.needId]);
    const [offer] = await this.offers.rows([match.offerId]);
    return this.toDto(principal, match, need!, offer!);
  }

  /**
   * The other side's contact, as the consent allows: the partner the beneficiary's name, mobile and
   * address (accepted and consented, until the match ends); the worker the partner's contact (from
   * approval until the match ends). Else 422. Every read is audited.
   */
  async reveal(principal: Principal, id: string): Promise<MatchContactDto> {
    const { match, need, offer } = await this.readable(principal, 'matches.reveal', id);
    let answer: MatchContactDto;
    if (principal.kind === 'partner') {
      if (!BENEFICIARY_DISCLOSED.includes(match.state) || !consentGiven(match))
        throw new DomainError(MatchesErrorCode.MATCH_CONTACT_NOT_DISCLOSED, { whose: 'beneficiary' });
      const archive = await this.archives.load(match.archiveId);
      const member =
        match.beneficiaryKey === 'head'
          ? undefined
          : archive.members.find((m) => m.id === match.beneficiaryKey);
      answer = {
        whose: 'beneficiary',
        name: member?.name ?? archive.headName,
        mobile: archive.headPhoneCiphertext
          ? decryptField(
              this.cipher,
              archive.headPhoneCiphertext,
              archiveField(archive, 'head_phone_ciphertext'),
            )
          : null,
        address: archive.address,
      };
    } else if (principal.kind === 'worker') {
      if (!PARTNER_DISCLOSED.includes(match.state))
        throw new DomainError(MatchesErrorCode.MATCH_CONTACT_NOT_DISCLOSED, { whose: 'partner' });
      answer = {
        whose: 'partner',
        name: `${offer.partnerName}（${offer.contactName}）`,
        mobile: decryptField(this.cipher, offer.contactPhoneCiphertext, offerContactPhoneField(offer.id)),
        address: offer.address,
      };
    } else throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED, { action: 'matches.reveal' });
    await this.audit.record({
      action: 'match.reveal',
      outcome: 'success',
      actor: principal,
      target: { type: 'match', id },
      details: { whose: answer.whose, state: match.state, needId: need.id },
    });
    return answer;
  }

  /**
   * The match if the caller may read it; else 404, or 403 for another unit's, partner's or household's
   * (audited as denied under `action`). Also the access check of the match's delivery evidence.
   */
  async readable(
    principal: Principal,
    action: string,
    id: string,
  ): Promise<{ match: MatchEntity; need: NeedMatchRow; offer: OfferRow }> {
    return this.audit.auditDenials(principal, action, { type: 'match', id }, async () => {
      const match = await this.repository.find(id);
      if (!match) throw new DomainError(MatchesErrorCode.MATCH_NOT_FOUND);
      const [need] = await this.needs.matchRows([match.needId]);
      if (principal.kind === 'worker')
        this.authorization.assertWorkerOwns(principal, need!.archiveOwnerUserId);
      else if (principal.kind === 'partner') this.authorization.assertPartnerOwns(principal, match.partnerId);
      else this.authorization.assertInScope(principal, need!.unitPath);
      const [offer] = await this.offers.rows([match.offerId]);
      return { match, need: need!, offer: offer! };
    });
  }

  private toDto(principal: Principal, m: MatchEntity, need: NeedMatchRow, offer: OfferRow): MatchDto {
    const isHead = m.beneficiaryKey === 'head';
    const birthDate = isHead ? need.headBirthDate : need.memberBirthDate;
    const partnerView = principal.kind === 'partner';
    return {
      id: m.id,
      state: m.state,
      needId: m.needId,
      offerId: m.offerId,
      offerTitle: offer.title,
      partnerId: m.partnerId,
      partnerName: offer.partnerName,
      itemCode: need.itemCode,
      itemName: need.itemName,
      category: need.itemCategory,
      urgency: need.urgency,
      district: need.regionCode,
      ageBand: birthDate ? ageBand(birthDate, this.clock.now()) : 'unknown',
      householdSize: need.householdSize,
      archiveCategory: need.archiveCategory,
      beneficiaryName: partnerView ? null : maskName(isHead ? need.headName : need.memberName),
      archiveId: partnerView ? null : m.archiveId,
      proposedVia: m.proposedVia,
      units: m.units,
      amountFen: m.amountFen,
      causeCode: m.causeCode,
      consent: {
        given: consentGiven(m),
        byKind: m.consentByKind,
        at: m.consentAt?.toISOString() ?? null,
        revokedAt: m.consentRevokedAt?.toISOString() ?? null,
      },
      contactAvailable:
        principal.kind === 'partner'
          ? BENEFICIARY_DISCLOSED.includes(m.state) && consentGiven(m)
          : principal.kind === 'worker' && PARTNER_DISCLOSED.includes(m.state),
      declineReason: m.declineReason,
      parkedUntil: m.parkedUntil,
      parkScope: m.parkScope,
      delivery: m.deliveredAt
        ? {
            at: m.deliveredAt.toISOString(),
            note: m.deliveryNote ?? '',
            amountFen: m.deliveredAmountFen,
            goodsCount: m.deliveredGoodsCount,
          }
        : null,
      confirmedAt: m.confirmedAt?.toISOString() ?? null,
      confirmReason: m.confirmReason,
      followUp:
        m.followUpOn && m.followUpChannel
          ? {
              date: m.followUpOn,
              channel: m.followUpChannel,
              findings: m.followUpFindings ?? '',
              satisfaction: m.satisfaction ?? 0,
            }
          : null,
      outcome: m.outcome,
      closeNote: m.closeNote,
      exitNote: m.exitNote,
      stateChangedAt: m.stateChangedAt.toISOString(),
      createdAt: m.createdAt.toISOString(),
      version: m.version,
      commands: availableMatchCommands(m.state),
    };
  }
}

function consentGiven(m: MatchEntity): boolean {
  return m.consentAt !== null && m.consentRevokedAt === null;
}
