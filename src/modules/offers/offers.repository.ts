import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { MenuCategory, MenuUnit } from '../menu/menu.enums';
import type { PartnerKind, PartnerStatus } from '../partners/partner.enums';
import { OfferEntity, OfferHistoryEntity, OfferItemEntity } from './offer.entity';
import { SHOWN_BY_SCOPE_STATES, type OfferKind, type OfferState } from './offers.enums';

export interface OfferRowItem {
  code: string;
  name: string;
  category: MenuCategory;
  unit: MenuUnit;
}

/** An offer with what its reads show and its index document is built from (one query). */
export interface OfferRow extends Omit<OfferEntity, 'partner' | 'scopeOrgUnit' | 'incomeFactor'> {
  incomeFactor: string | null;
  items: OfferRowItem[];
  partnerName: string;
  partnerKind: PartnerKind;
  partnerStatus: PartnerStatus;
  partnerUnitId: string;
  partnerUnitPath: string;
  scopeUnitPath: string | null;
  scopeUnitName: string | null;
}

const ROW_SELECT = `
  SELECT o.id, o.partner_id AS "partnerId", o.title, o.description, o.kind, o.capacity,
         o.amount_per_beneficiary_fen AS "amountPerBeneficiaryFen",
         o.declared_value_fen AS "declaredValueFen", o.reserved, o.used, o.remaining,
         o.elig_categories AS "eligCategories", o.elig_causes AS "eligCauses",
         o.elig_employment AS "eligEmployment", o.age_min AS "ageMin", o.age_max AS "ageMax",
         o.income_factor::text AS "incomeFactor", o.requires_active_archive AS "requiresActiveArchive",
         o.scope_org_unit_id AS "scopeOrgUnitId", o.scope_region_prefix AS "scopeRegionPrefix", o.online,
         o.region_code AS "regionCode", o.address,
         to_char(o.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(o.valid_until, 'YYYY-MM-DD') AS "validUntil",
         o.per_household_limit AS "perHouseholdLimit", o.cooldown_days AS "cooldownDays",
         o.contact_name AS "contactName", o.contact_phone_ciphertext AS "contactPhoneCiphertext",
         o.state, o.closed_reason AS "closedReason", o.return_reasons AS "returnReasons",
         o.created_by AS "createdBy", o.submitted_by AS "submittedBy", o.published_at AS "publishedAt",
         o.state_changed_at AS "stateChangedAt", o.created_at AS "createdAt", o.updated_at AS "updatedAt",
         o.version,
         COALESCE((SELECT json_agg(json_build_object('code', m.code, 'name', m.name, 'category', m.category,
                                                    'unit', m.unit) ORDER BY oi.position)
                     FROM offer_items oi JOIN menu_items m ON m.id = oi.menu_item_id
                    WHERE oi.offer_id = o.id), '[]'::json) AS items,
         p.name AS "partnerName", p.kind AS "partnerKind", p.status AS "partnerStatus",
         pu.id AS "partnerUnitId", pu.path AS "partnerUnitPath",
         su.path AS "scopeUnitPath", su.name AS "scopeUnitName"
    FROM offers o
    JOIN partners p ON p.id = o.partner_id
    JOIN org_units pu ON pu.id = p.org_unit_id
    LEFT JOIN org_units su ON su.id = o.scope_org_unit_id`;

/** Whose offers a list shows (exactly one of these), and what it may be narrowed by. */
export interface OfferListCriteria {
  /** A partner account: its organisation's offers, whatever the state. */
  partnerId?: string;
  /**
   * Staff: offers whose partner is vetted in this subtree (any state), and published / paused / closed
   * offers whose scope covers the caller's unit (its org subtree contains it, or its region prefix
   * matches the unit's region).
   */
  staff?: { scopePath: string; unitPath: string; unitRegion: string };
  states?: OfferState[];
  kind?: OfferKind;
  itemCode?: string;
  category?: string;
  q?: string;
}

/** What a worker (or a caseworker for one) may browse: published, in validity, remaining, partner active. */
export interface AvailableCriteria {
  /** China date, YYYY-MM-DD. */
  today: string;
  /** The caller's unit path and region: the scope must cover them, unless the offer is online. */
  unitPath: string;
  unitRegion: string;
  itemCode?: string;
  category?: string;
  /** Offers located in (or scoped to) this region prefix. */
  region?: string;
  q?: string;
}

export type NewOffer = Omit<
  OfferEntity,
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
  | 'partner'
  | 'scopeOrgUnit'
  | 'reserved'
  | 'used'
  | 'publishedAt'
  | 'submittedBy'
  | 'closedReason'
  | 'returnReasons'
>;
export type NewHistory = Omit<OfferHistoryEntity, 'id' | 'offer'>;

/** The only code that touches offers, offer_items and offer_history. */
@Injectable()
export class OffersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Inserts a draft with a known id (the contact ciphertext is bound to it). */
  async insert(manager: EntityManager, id: string, values: NewOffer): Promise<OfferEntity> {
    return manager.getRepository(OfferEntity).save(manager.create(OfferEntity, { id, ...values }));
  }

  /** Replaces the offer's items by `menuItemIds`, in that order. */
  async setItems(manager: EntityManager, offerId: string, menuItemIds: readonly string[]): Promise<void> {
    await manager.getRepository(OfferItemEntity).delete({ offerId });
    await manager
      .getRepository(OfferItemEntity)
      .insert(menuItemIds.map((menuItemId, position) => ({ offerId, menuItemId, position })));
  }

  async insertHistory(manager: EntityManager, row: NewHistory): Promise<void> {
    await manager.getRepository(OfferHistoryEntity).insert(row);
  }

  /**
   * Reserves `units` of a published offer of an approved partner, inside its validity window, in ONE
   * conditional statement (never read-then-write): concurrent reservations each see the other's committed
   * row, and at most `remaining` of them succeed. Returns the new remaining, or null when refused.
   */
  async reserve(manager: EntityManager, id: string, units: number, today: string): Promise<number | null> {
    const [rows] = (await manager.query(
      `UPDATE offers o SET reserved = o.reserved + $2, remaining = o.remaining - $2, updated_at = now()
         FROM partners p
        WHERE o.id = $1 AND p.id = o.partner_id AND p.status = 'approved' AND o.state = 'published'
          AND o.remaining >= $2 AND o.valid_from <= $3::date AND o.valid_until >= $3::date
        RETURNING o.remaining`,
      [id, units, today],
    )) as [Array<{ remaining: number }>, number];
    return rows[0]?.remaining ?? null;
  }

  /** Gives back `units` reserved (whatever the offer's state); null when fewer than that are reserved. */
  async release(manager: EntityManager, id: string, units: number): Promise<number | null> {
    const [rows] = (await manager.query(
      `UPDATE offers SET reserved = reserved - $2, remaining = remaining + $2, updated_at = now()
        WHERE id = $1 AND reserved >= $2 RETURNING remaining`,
      [id, units],
    )) as [Array<{ remaining: number }>, number];
    return rows[0]?.remaining ?? null;
  }

  /** Turns `units` reserved into used; null when fewer than that are reserved. */
  async use(
    manager: EntityManager,
    id: string,
    units: number,
  ): Promise<{ remaining: number; reserved: number } | null> {
    const [rows] = (await manager.query(
      `UPDATE offers SET reserved = reserved - $2, used = used + $2, updated_at = now()
        WHERE id = $1 AND reserved >= $2 RETURNING remaining, reserved`,
      [id, units],
    )) as [Array<{ remaining: number; reserved: number }>, number];
    return rows[0] ?? null;
  }

  findForUpdate(manager: EntityManager, id: string): Promise<OfferEntity | null> {
    return manager
      .getRepository(OfferEntity)
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .where('o.id = :id', { id })
      .getOne();
  }

  /** Writes a locked offer, bumping its version. */
  save(manager: EntityManager, offer: OfferEntity): Promise<OfferEntity> {
    return manager.getRepository(OfferEntity).save(offer);
  }

  async row(id: string, manager: EntityManager = this.dataSource.manager): Promise<OfferRow | null> {
    const [row] = await manager.query(`${ROW_SELECT} WHERE o.id = $1`, [id]);
    return (row as OfferRow | undefined) ?? null;
  }

  async rows(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<OfferRow[]> {
    if (ids.length === 0) return [];
    return manager.query(`${ROW_SELECT} WHERE o.id = ANY($1::uuid[])`, [ids]);
  }

  /** One page of a partner's or a staff member's offers, newest change first. */
  async list(
    criteria: OfferListCriteria,
    window: { skip: number; take: number },
  ): Promise<{ rows: OfferRow[]; total: number }> {
    const { where, params, add } = listWhere(criteria);
    filters(add, criteria);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return this.page(filter, params, 'o.updated_at DESC, o.id', window);
  }

  /**
   * The rows of `ids` that the list `criteria` (a staff scope, state, kind, item, category; not the
   * text, which the search engine matched) still selects: the re-read of a list answered by the index.
   */
  async confirmRows(ids: string[], criteria: Omit<OfferListCriteria, 'q'>): Promise<OfferRow[]> {
    const { where, params, add } = listWhere(criteria);
    filters(add, criteria);
    add((p) => `o.id = ANY(${p}::uuid[])`, ids);
    return this.dataSource.query(`${ROW_SELECT} WHERE ${where.join(' AND ')}`, params);
  }

  /** One page of offers a worker may browse, soonest-ending first. */
  async available(
    criteria: AvailableCriteria,
    window: { skip: number; take: number },
  ): Promise<{ rows: OfferRow[]; total: number }> {
    const { where, params, add, bind } = conditions();
    where.push(`o.state = 'published'`, `o.remaining > 0`, `p.status = 'approved'`);
    add((p) => `o.valid_from <= ${p}::date AND o.valid_until >= ${p}::date`, criteria.today);
    const unitPath = bind(criteria.unitPath);
    const region = bind(criteria.unitRegion);
    // Online offers ignore the region, never the org subtree; an offer scoped both ways needs both.
    where.push(
      `(o.scope_org_unit_id IS NULL OR starts_with(${unitPath}, su.path))`,
      `(o.online OR o.scope_region_prefix IS NULL OR starts_with(${region}, o.scope_region_prefix))`,
    );
    filters(add, criteria);
    if (criteria.region !== undefined)
      add(
        (p) => `(o.online OR starts_with(o.region_code, ${p}) OR starts_with(${p}, o.scope_region_prefix))`,
        criteria.region,
      );
    return this.page(`WHERE ${where.join(' AND ')}`, params, 'o.valid_until, o.id', window);
  }

  history(offerId: string): Promise<OfferHistoryEntity[]> {
    return this.dataSource
      .getRepository(OfferHistoryEntity)
      .find({ where: { offerId }, order: { id: 'ASC' } });
  }

  /** Ids of live offers whose last valid day is before `today` (China date), at most `limit`. */
  async expiredIds(today: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM offers WHERE state IN ('published','paused') AND valid_until < $1::date
        ORDER BY valid_until, id LIMIT $2`,
      [today, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Batch allocation: ids of the offers that can take needs under `scopePath` today — published, valid on
   * `today`, capacity left, partner approved, scoped to a subtree that contains the scope or lies inside
   * it (or by region only: the pairs' scope filter decides) — narrowed by ids, items, partners and kinds;
   * at most `limit`.
   */
  async allocatableIds(
    criteria: {
      scopePath: string;
      today: string;
      ids?: readonly string[];
      itemCodes?: readonly string[];
      partnerIds?: readonly string[];
      kinds?: readonly string[];
    },
    limit: number,
  ): Promise<string[]> {
    const params: unknown[] = [criteria.scopePath, criteria.today];
    const where = [
      `o.state = 'published'`,
      `o.remaining > 0`,
      `p.status = 'approved'`,
      `$2::date BETWEEN o.valid_from AND o.valid_until`,
      `(su.path IS NULL OR starts_with($1, su.path) OR starts_with(su.path, $1))`,
    ];
    if (criteria.ids) where.push(`o.id = ANY($${params.push([...criteria.ids])}::uuid[])`);
    if (criteria.partnerIds?.length)
      where.push(`o.partner_id = ANY($${params.push([...criteria.partnerIds])}::uuid[])`);
    if (criteria.kinds?.length) where.push(`o.kind = ANY($${params.push([...criteria.kinds])})`);
    if (criteria.itemCodes?.length)
      where.push(
        `EXISTS (SELECT 1 FROM offer_items oi JOIN menu_items m ON m.id = oi.menu_item_id
                  WHERE oi.offer_id = o.id AND m.code = ANY($${params.push([...criteria.itemCodes])}))`,
      );
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT o.id FROM offers o
         JOIN partners p ON p.id = o.partner_id
         LEFT JOIN org_units su ON su.id = o.scope_org_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY o.id LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** Every offer id, in batches (the search index's reindex). */
  async *allIds(batchSize: number): AsyncIterable<string[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM offers WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => r.id);
      after = rows[rows.length - 1]!.id;
    }
  }

  private async page(
    filter: string,
    params: unknown[],
    order: string,
    window: { skip: number; take: number },
  ): Promise<{ rows: OfferRow[]; total: number }> {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM offers o
         JOIN partners p ON p.id = o.partner_id
         JOIN org_units pu ON pu.id = p.org_unit_id
         LEFT JOIN org_units su ON su.id = o.scope_org_unit_id ${filter}`,
      params,
    );
    const rows: OfferRow[] = await this.dataSource.query(
      `${ROW_SELECT} ${filter} ORDER BY ${order} LIMIT ${window.take} OFFSET ${window.skip}`,
      params,
    );
    return { rows, total: total as number };
  }
}

type Add = (sql: (p: string) => string, value: unknown) => void;

/** The list's scope and own columns (the partner's offers, or what staff see), and state and kind. */
function listWhere(criteria: Omit<OfferListCriteria, 'q'>) {
  const built = conditions();
  const { where, add, bind } = built;
  if (criteria.partnerId !== undefined) add((p) => `o.partner_id = ${p}`, criteria.partnerId);
  if (criteria.staff !== undefined) {
    const scope = bind(criteria.staff.scopePath);
    const unitPath = bind(criteria.staff.unitPath);
    const region = bind(criteria.staff.unitRegion);
    where.push(
      `(starts_with(pu.path, ${scope})
        OR (o.state = ANY(${bind(SHOWN_BY_SCOPE_STATES)})
            AND (starts_with(${unitPath}, su.path) OR starts_with(su.path, ${scope})
                 OR starts_with(${region}, o.scope_region_prefix))))`,
    );
  }
  if (criteria.states?.length) add((p) => `o.state = ANY(${p})`, criteria.states);
  if (criteria.kind !== undefined) add((p) => `o.kind = ${p}`, criteria.kind);
  return built;
}

/** A WHERE being built: `bind` adds a parameter and names it, `add` adds a condition on one. */
function conditions(): { where: string[]; params: unknown[]; add: Add; bind: (value: unknown) => string } {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const add: Add = (sql, value) => {
    where.push(sql(bind(value)));
  };
  return { where, params, add, bind };
}

/** The filters lists share: item, category, and text (ILIKE over title, description and item names). */
function filters(add: Add, criteria: { itemCode?: string; category?: string; q?: string }): void {
  if (criteria.itemCode !== undefined)
    add(
      (p) =>
        `EXISTS (SELECT 1 FROM offer_items oi JOIN menu_items m ON m.id = oi.menu_item_id WHERE oi.offer_id = o.id AND m.code = ${p})`,
      criteria.itemCode,
    );
  if (criteria.category !== undefined)
    add(
      (p) =>
        `EXISTS (SELECT 1 FROM offer_items oi JOIN menu_items m ON m.id = oi.menu_item_id WHERE oi.offer_id = o.id AND m.category = ${p})`,
      criteria.category,
    );
  if (criteria.q !== undefined) {
    const pattern = `%${criteria.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add(
      (p) =>
        `(o.title ILIKE ${p} OR o.description ILIKE ${p} OR EXISTS (SELECT 1 FROM offer_items oi JOIN menu_items m ON m.id = oi.menu_item_id WHERE oi.offer_id = o.id AND m.name ILIKE ${p}))`,
      pattern,
    );
  }
}
