import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { offerContactPhoneField } from '../../../src/common/crypto/stored-fields';
import type { OfferCloseReason, OfferKind, OfferState } from '../../../src/modules/offers/offers.enums';

export interface OfferOverrides {
  id?: string;
  kind?: OfferKind;
  title?: string;
  description?: string | null;
  capacity?: number;
  amountPerBeneficiaryFen?: number | null;
  /** Slots and goods: declared value per place or piece (fen). */
  declaredValueFen?: number | null;
  reserved?: number;
  used?: number;
  scopeOrgUnitId?: string | null;
  scopeRegionPrefix?: string | null;
  online?: boolean;
  regionCode?: string;
  validFrom?: string;
  validUntil?: string;
  contactName?: string;
  contactPhone?: string;
  createdBy?: string;
  /** Reached through the allowed moves (the database refuses any other). */
  state?: OfferState;
  closedReason?: OfferCloseReason;
}

/** The moves from draft to each state (the database's trigger allows only these). */
const PATH: Record<OfferState, OfferState[]> = {
  draft: [],
  pending_review: ['pending_review'],
  published: ['pending_review', 'published'],
  paused: ['pending_review', 'published', 'paused'],
  closed: ['closed'],
};

/**
 * An offer of `partnerId` serving `menuItemIds`, inserted through SQL as a draft and moved along the
 * allowed path to `state` (a slots offer of 10, scoped to the partner's unit, valid all of 2026 by default).
 */
export async function createOffer(
  dataSource: DataSource,
  cipher: FieldCipher,
  partnerId: string,
  menuItemIds: string[],
  overrides: OfferOverrides = {},
): Promise<{ id: string; version: number }> {
  const id = overrides.id ?? randomUUID();
  const kind = overrides.kind ?? 'slots';
  const capacity = overrides.capacity ?? 10;
  const reserved = overrides.reserved ?? 0;
  const used = overrides.used ?? 0;
  const [partner] = await dataSource.query(`SELECT org_unit_id FROM partners WHERE id = $1`, [partnerId]);
  const scopeOrgUnitId =
    overrides.scopeOrgUnitId !== undefined
      ? overrides.scopeOrgUnitId
      : overrides.scopeRegionPrefix
        ? null
        : (partner.org_unit_id as string);
  await dataSource.query(
    `INSERT INTO offers (id, partner_id, title, description, kind, capacity, amount_per_beneficiary_fen, reserved,
                         used, remaining, scope_org_unit_id, scope_region_prefix, online, region_code,
                         valid_from, valid_until, contact_name, contact_phone_ciphertext, state, created_by,
                         state_changed_at, version, declared_value_fen)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'draft', $19, now(), 1, $20)`,
    [
      id,
      partnerId,
      overrides.title ?? '测试电焊工培训',
      overrides.description ?? '免费培训，结业发证',
      kind,
      capacity,
      overrides.amountPerBeneficiaryFen !== undefined
        ? overrides.amountPerBeneficiaryFen
        : kind === 'cash'
          ? 50_000
          : null,
      reserved,
      used,
      capacity - reserved - used,
      scopeOrgUnitId,
      overrides.scopeRegionPrefix ?? null,
      overrides.online ?? false,
      overrides.regionCode ?? '330106',
      overrides.validFrom ?? '2026-01-01',
      overrides.validUntil ?? '2026-12-31',
      overrides.contactName ?? '王老师',
      cipher.encrypt(overrides.contactPhone ?? '13800002210', offerContactPhoneField(id)),
      overrides.createdBy ?? randomUUID(),
      overrides.declaredValueFen ?? null,
    ],
  );
  await dataSource.query(
    `INSERT INTO offer_items (offer_id, menu_item_id, position) SELECT $1, x, o - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(x, o)`,
    [id, menuItemIds],
  );
  let version = 1;
  for (const state of PATH[overrides.state ?? 'draft']) {
    version += 1;
    await dataSource.query(
      `UPDATE offers SET state = $2::varchar, closed_reason = $3, version = $4,
              published_at = CASE WHEN $2::text = 'published' THEN now() ELSE published_at END
        WHERE id = $1`,
      [id, state, state === 'closed' ? (overrides.closedReason ?? 'withdrawn') : null, version],
    );
  }
  return { id, version };
}
