import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { Cause } from '../archives/archive.enums';
import type { PairHistory } from '../matching/candidates/pair-facts';
import type { MenuCategory } from '../menu/menu.enums';
import type { OfferKind } from '../offers/offers.enums';
import type { PairKey } from '../matching/history/match-history.port';
import { MatchEntity, MatchHistoryEntity } from './match.entity';
import type { MatchState } from './matches.enums';

export type NewMatch = Pick<
  MatchEntity,
  | 'needId'
  | 'offerId'
  | 'partnerId'
  | 'archiveId'
  | 'beneficiaryKey'
  | 'proposedBy'
  | 'proposedVia'
  | 'units'
  | 'amountFen'
  | 'stateChangedAt'
>;
export type NewMatchHistory = Omit<MatchHistoryEntity, 'id' | 'match'>;

/** Who is told of a match's move (notificationFacts). */
export interface MatchNotificationFacts {
  itemName: string;
  partnerName: string;
  partnerKind: string;
  ownerUserId: string | null;
  proposedBy: string | null;
  partnerAccounts: string[];
  approvers: string[];
}

/** What the aid ledger is told of a match (read in the caller's transaction, after the match's lock). */
export interface MatchLedgerFacts {
  id: string;
  archiveId: string;
  beneficiaryKey: string;
  offerId: string;
  partnerId: string;
  menuItemId: string;
  category: MenuCategory;
  archiveCauses: Cause[];
  primaryCause: Cause | null;
  causeCode: Cause | null;
  offerKind: OfferKind;
  /** Slots and goods: the offer's declared value per place or piece (fen), if declared. */
  declaredValueFen: number | null;
  units: number;
  amountFen: number | null;
  deliveredAmountFen: number | null;
  deliveredGoodsCount: number | null;
  confirmedAt: Date | null;
}

/** Another match of the household approved but not yet confirmed (so not yet a ledger row). */
export interface PendingAidMatch {
  id: string;
  category: MenuCategory;
  causeCode: Cause | null;
  offerKind: OfferKind;
  declaredValueFen: number | null;
  units: number;
  amountFen: number | null;
  deliveredAmountFen: number | null;
  deliveredGoodsCount: number | null;
  /** When it was approved. */
  approvedAt: Date;
}

/** Thrown by insert when uq_matches_need_active refuses a second match on the active path for a need. */
export class MatchUniqueViolation extends Error {}

/** Whose matches a list shows (exactly one of the first three), and what it may be narrowed by. */
export interface MatchListCriteria {
  /** Staff: matches whose need's archive lies in this subtree. */
  scopePath?: string;
  /** A partner account: its organisation's matches. */
  partnerId?: string;
  /** A worker: the matches of the households it owns. */
  ownerUserId?: string;
  state?: MatchState;
  needId?: string;
  offerId?: string;
}

/** States a household has taken the offer in (they count against its per-household limit). */
const TAKEN = `'approved','accepted','in_progress','delivered','confirmed','followed_up','closed'`;
const ON_ACTIVE_PATH = `'proposed','approved','accepted','in_progress','delivered','confirmed','followed_up'`;
const DELIVERED = `'delivered','confirmed','followed_up','closed'`;

/**
 * The only code that touches the matches and match_history tables. The list's scope filter and the
 * consent check read the archive's unit and consents (read-only joins, no writes outside matches).
 */
@Injectable()
export class MatchesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, values: NewMatch): Promise<MatchEntity> {
    try {
      return await manager
        .getRepository(MatchEntity)
        .save(manager.create(MatchEntity, { ...values, state: 'proposed' }));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_matches_need_active')) throw new MatchUniqueViolation();
      throw error;
    }
  }

  async insertHistory(manager: EntityManager, row: NewMatchHistory): Promise<void> {
    await manager.getRepository(MatchHistoryEntity).insert(row);
  }

  findForUpdate(manager: EntityManager, id: string): Promise<MatchEntity | null> {
    return manager
      .getRepository(MatchEntity)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.id = :id', { id })
      .getOne();
  }

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<MatchEntity | null> {
    return manager.getRepository(MatchEntity).findOneBy({ id });
  }

  /**
   * Moves the match from `from` to `to` with the other columns of `changes`, guarded by the state it
   * was read in: true when this statement made the move, false when another already moved it (the
   * caller then refuses with 409 and gives nothing back — a release happens once, whoever races).
   */
  async moveGuarded(
    manager: EntityManager,
    id: string,
    from: MatchState,
    to: MatchState,
    changes: Partial<MatchEntity>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(MatchEntity)
      .set({ ...changes, state: to, version: () => 'version + 1' })
      .where('id = :id AND state = :from', { id, from })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** Changes columns of a match in place (consent), guarded by its version. */
  async updateGuarded(
    manager: EntityManager,
    id: string,
    version: number,
    changes: Partial<MatchEntity>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(MatchEntity)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** The match on the active path of a need, if any. */
  async activeOfNeed(
    needId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | null> {
    const [row] = await manager.query(
      `SELECT id FROM matches WHERE need_id = $1 AND state IN (${ON_ACTIVE_PATH}) LIMIT 1`,
      [needId],
    );
    return (row?.id as string | undefined) ?? null;
  }

  /** The signed, unwithdrawn partner-disclosure consent `consentId` of the archive, if it is one. */
  async hasDisclosureConsent(archiveId: string, consentId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM archive_consents
        WHERE id = $1 AND archive_id = $2 AND purpose = 'partner_disclosure' AND withdrawn_at IS NULL`,
      [consentId, archiveId],
    );
    return rows.length > 0;
  }

  /**
   * Who is told of a match's move, and the names the message uses: the household's worker account, the
   * proposer, the partner's active accounts and its kind (staff act for a union programme), and the
   * active reviewers and approvers of the need's unit or any unit above it (those who may approve).
   */
  async notificationFacts(id: string): Promise<MatchNotificationFacts | null> {
    const rows: MatchNotificationFacts[] = await this.dataSource.query(
      `SELECT mi.name AS "itemName", p.name AS "partnerName", p.kind AS "partnerKind",
              a.owner_user_id AS "ownerUserId",
              m.proposed_by AS "proposedBy",
              ARRAY(SELECT pu.id FROM users pu WHERE pu.partner_id = m.partner_id AND pu.disabled_at IS NULL)
                AS "partnerAccounts",
              ARRAY(SELECT su.id FROM users su JOIN org_units sou ON sou.id = su.org_unit_id
                     WHERE su.kind = 'staff' AND su.disabled_at IS NULL
                       AND su.roles && ARRAY['reviewer','approver']::text[]
                       AND starts_with(au.path, sou.path)) AS "approvers"
         FROM matches m
         JOIN needs n ON n.id = m.need_id
         JOIN menu_items mi ON mi.id = n.menu_item_id
         JOIN archives a ON a.id = m.archive_id
         JOIN org_units au ON au.id = a.org_unit_id
         JOIN partners p ON p.id = m.partner_id
        WHERE m.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The facts of a match the aid ledger needs (its need's item and category, its household's causes). */
  async ledgerFacts(manager: EntityManager, id: string): Promise<MatchLedgerFacts | null> {
    const [row] = await manager.query(
      `SELECT m.id, m.archive_id AS "archiveId", m.beneficiary_key AS "beneficiaryKey", m.offer_id AS "offerId",
              m.partner_id AS "partnerId", n.menu_item_id AS "menuItemId", mi.category,
              a.causes AS "archiveCauses", a.primary_cause AS "primaryCause", m.cause_code AS "causeCode",
              o.kind AS "offerKind", o.declared_value_fen AS "declaredValueFen", m.units,
              m.amount_fen AS "amountFen", m.delivered_amount_fen AS "deliveredAmountFen",
              m.delivered_goods_count AS "deliveredGoodsCount", m.confirmed_at AS "confirmedAt"
         FROM matches m
         JOIN needs n ON n.id = m.need_id
         JOIN menu_items mi ON mi.id = n.menu_item_id
         JOIN archives a ON a.id = m.archive_id
         JOIN offers o ON o.id = m.offer_id
        WHERE m.id = $1`,
      [id],
    );
    return (row as MatchLedgerFacts | undefined) ?? null;
  }

  /**
   * The household's other matches approved but not yet confirmed (approved … delivered): aid promised
   * that the ledger does not hold yet, which the approval rules count like rows.
   */
  async pendingAidOfHousehold(
    manager: EntityManager,
    archiveId: string,
    exceptId: string,
  ): Promise<PendingAidMatch[]> {
    return manager.query(
      `SELECT m.id, mi.category, m.cause_code AS "causeCode", o.kind AS "offerKind",
              o.declared_value_fen AS "declaredValueFen", m.units, m.amount_fen AS "amountFen",
              m.delivered_amount_fen AS "deliveredAmountFen", m.delivered_goods_count AS "deliveredGoodsCount",
              coalesce((SELECT max(h.at) FROM match_history h WHERE h.match_id = m.id AND h.command = 'approve'),
                       m.state_changed_at) AS "approvedAt"
         FROM matches m
         JOIN needs n ON n.id = m.need_id
         JOIN menu_items mi ON mi.id = n.menu_item_id
         JOIN offers o ON o.id = m.offer_id
        WHERE m.archive_id = $1 AND m.id <> $2
          AND m.state IN ('approved','accepted','in_progress','delivered')
        ORDER BY m.id`,
      [archiveId, exceptId],
    );
  }

  async history(id: string): Promise<MatchHistoryEntity[]> {
    return this.dataSource
      .getRepository(MatchHistoryEntity)
      .find({ where: { matchId: id }, order: { id: 'ASC' } });
  }

  /** One page of matches, newest change first. */
  async list(
    criteria: MatchListCriteria,
    window: { skip: number; take: number },
  ): Promise<{ rows: MatchEntity[]; total: number }> {
    const qb = this.dataSource.getRepository(MatchEntity).createQueryBuilder('m');
    if (criteria.scopePath !== undefined)
      qb.innerJoin('archives', 'a', 'a.id = m.archive_id')
        .innerJoin('org_units', 'u', 'u.id = a.org_unit_id')
        .andWhere('starts_with(u.path, :scopePath)', { scopePath: criteria.scopePath });
    if (criteria.ownerUserId !== undefined)
      qb.innerJoin('archives', 'a', 'a.id = m.archive_id').andWhere('a.owner_user_id = :owner', {
        owner: criteria.ownerUserId,
      });
    if (criteria.partnerId !== undefined)
      qb.andWhere('m.partner_id = :partnerId', { partnerId: criteria.partnerId });
    if (criteria.state) qb.andWhere('m.state = :state', { state: criteria.state });
    if (criteria.needId) qb.andWhere('m.need_id = :needId', { needId: criteria.needId });
    if (criteria.offerId) qb.andWhere('m.offer_id = :offerId', { offerId: criteria.offerId });
    const [rows, total] = await qb
      .orderBy('m.state_changed_at', 'DESC')
      .addOrderBy('m.id', 'ASC')
      .skip(window.skip)
      .take(window.take)
      .getManyAndCount();
    return { rows, total };
  }

  /**
   * The matcher's history of each pair (MatchHistoryPort), in one statement: the pair taken (a match of
   * this need and offer on the active path or closed, a decline parking the pair, or any decline parking
   * the need), the household's matches on the offer, its last delivery from it (China date), cash it
   * received in the 12 months before `today`, and the units proposals on the offer are waiting for.
   */
  async historyOf(pairs: readonly PairKey[], today: string): Promise<PairHistory[]> {
    if (pairs.length === 0) return [];
    const rows: Array<{
      taken: boolean;
      household: number;
      last_aid_on: string | null;
      aid_fen: string;
      pending: number;
    }> = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM matches m WHERE m.need_id = p.need_id AND (
                 (m.offer_id = p.offer_id AND m.state IN (${ON_ACTIVE_PATH},'closed'))
              OR (m.offer_id = p.offer_id AND m.park_scope = 'pair' AND m.parked_until >= $4::date)
              OR (m.park_scope = 'need' AND m.parked_until >= $4::date))) AS taken,
              (SELECT count(*)::int FROM matches m
                WHERE m.archive_id = p.archive_id AND m.offer_id = p.offer_id AND m.state IN (${TAKEN})) AS household,
              (SELECT to_char(max(m.delivered_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') FROM matches m
                WHERE m.archive_id = p.archive_id AND m.offer_id = p.offer_id AND m.state IN (${DELIVERED})) AS last_aid_on,
              (SELECT coalesce(sum(m.delivered_amount_fen), 0)::text FROM matches m
                WHERE m.archive_id = p.archive_id AND m.state IN (${DELIVERED})
                  AND m.delivered_at >= ($4::date - interval '12 months')) AS aid_fen,
              (SELECT coalesce(sum(m.units), 0)::int FROM matches m
                WHERE m.offer_id = p.offer_id AND m.state = 'proposed') AS pending
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS p(need_id, offer_id, archive_id, i)
        ORDER BY p.i`,
      [pairs.map((p) => p.needId), pairs.map((p) => p.offerId), pairs.map((p) => p.archiveId), today],
    );
    return rows.map((r) => ({
      pairTaken: r.taken,
      householdMatchesOnOffer: r.household,
      lastAidOn: r.last_aid_on,
      aidLast12MonthsFen: Number(r.aid_fen),
      pending: r.pending,
    }));
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' && driver.constraint === constraint;
}
