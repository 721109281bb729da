import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import type { Cause } from '../../archives/archive.enums';
import { AidLedgerService } from '../../aid-ledger/aid-ledger.service';
import { MatchesRepository, type MatchLedgerFacts, type PendingAidMatch } from '../matches.repository';
import type { AidLedgerSeam, DuplicateCauseOverride, MatchSeamFacts } from './match-seams.port';

/**
 * AID_LEDGER_SEAM over AidLedgerService (issue 13 §6). At approval: the match's value (aidValueFen: cash
 * amount, or the offer's declared value of the goods or service), its category, and the cause it
 * addresses (AidLedgerService.causeAddressed) are checked against the household's ledger and its other
 * approved-but-unconfirmed matches (read under the household's lock); the cause is returned so approval
 * fixes it on the match. At confirmation: one ledger row with that cause, the value delivered, and how
 * it was received (the worker itself 本人领取, or a caseworker on its behalf).
 */
@Injectable()
export class MatchAidLedger implements AidLedgerSeam {
  constructor(
    private readonly ledger: AidLedgerService,
    private readonly matches: MatchesRepository,
    private readonly clock: Clock,
  ) {}

  async checkApproval(
    manager: EntityManager,
    match: MatchSeamFacts,
    options: { override?: DuplicateCauseOverride } = {},
  ): Promise<{ causeCode: Cause }> {
    const facts = await this.facts(manager, match.matchId);
    const causeCode = facts.causeCode ?? this.causeOf(facts.category, facts);
    await this.ledger.checkAtApproval(manager, {
      archiveId: facts.archiveId,
      category: facts.category,
      causeCode,
      valueFen: aidValueFen(facts),
      at: this.clock.now(),
      override: options.override,
      pending: async () =>
        (await this.matches.pendingAidOfHousehold(manager, facts.archiveId, facts.id)).map((p) => ({
          ref: p.id,
          category: p.category,
          causeCode: p.causeCode ?? this.causeOf(p.category, facts),
          valueFen: aidValueFen(p),
          at: new Date(p.approvedAt),
        })),
    });
    return { causeCode };
  }

  async recordConfirmation(
    manager: EntityManager,
    match: MatchSeamFacts,
    by: { userId: string | null; kind: 'worker' | 'partner' | 'staff' | 'system' },
  ): Promise<void> {
    const facts = await this.facts(manager, match.matchId);
    await this.ledger.record(manager, {
      archiveId: facts.archiveId,
      beneficiaryKey: facts.beneficiaryKey,
      offerId: facts.offerId,
      partnerId: facts.partnerId,
      menuItemId: facts.menuItemId,
      category: facts.category,
      // Fixed at approval; a match approved before the column existed gets it worked out the same way.
      causeCode: facts.causeCode ?? this.causeOf(facts.category, facts),
      valueFen: aidValueFen(facts),
      at: facts.confirmedAt ? new Date(facts.confirmedAt) : this.clock.now(),
      receivedVia: by.kind === 'worker' ? 'in_person' : 'on_behalf',
      matchId: facts.id,
      recordedBy: by.userId,
    });
  }

  private causeOf(category: MatchLedgerFacts['category'], household: MatchLedgerFacts): Cause {
    return this.ledger.causeAddressed(category, {
      causes: household.archiveCauses ?? [],
      primaryCause: household.primaryCause,
    });
  }

  private async facts(manager: EntityManager, matchId: string): Promise<MatchLedgerFacts> {
    const facts = await this.matches.ledgerFacts(manager, matchId);
    if (!facts) throw new Error(`match ${matchId} vanished inside its own transaction`);
    return facts;
  }
}

/**
 * What the aid is worth in fen: cash — the amount delivered once known, else the amount per beneficiary;
 * slots — the offer's declared value per place; goods — the declared value per piece × the pieces
 * delivered (reserved until delivery). Without a declared value, 0.
 */
function aidValueFen(
  m: Pick<
    PendingAidMatch,
    'offerKind' | 'amountFen' | 'deliveredAmountFen' | 'declaredValueFen' | 'units' | 'deliveredGoodsCount'
  >,
): number {
  if (m.offerKind === 'cash') return m.deliveredAmountFen ?? m.amountFen ?? 0;
  if (m.declaredValueFen === null) return 0;
  return m.offerKind === 'goods'
    ? m.declaredValueFen * (m.deliveredGoodsCount ?? m.units)
    : m.declaredValueFen;
}
