import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { MatchState } from '../../../src/modules/matches/matches.enums';

/** An open need of `archiveId` for `menuItemId` (inserted as submitted and moved along the allowed path). */
export async function createOpenNeed(
  ds: DataSource,
  values: {
    archiveId: string;
    menuItemId: string;
    createdBy: string;
    quantity?: number;
    beneficiaryKey?: string;
  },
): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code,
                        contact_preference, state, created_by, state_changed_at, version)
     VALUES ($1, $2, $3, $4, 'normal', 'any', '330106', 'phone', 'submitted', $5, now(), 1) RETURNING id`,
    [
      values.archiveId,
      values.menuItemId,
      values.beneficiaryKey ?? 'head',
      values.quantity ?? 1,
      values.createdBy,
    ],
  );
  await ds.query(`UPDATE needs SET state = 'screening', version = 2 WHERE id = $1`, [row.id]);
  await ds.query(
    `UPDATE needs SET state = 'open', opened_at = now(), expires_at = now() + interval '30 days', version = 3
      WHERE id = $1`,
    [row.id],
  );
  return row.id as string;
}

/** The moves from proposed to each state (the database's trigger allows only these). */
const PATH: Record<MatchState, MatchState[]> = {
  proposed: [],
  approved: ['approved'],
  accepted: ['approved', 'accepted'],
  in_progress: ['approved', 'accepted', 'in_progress'],
  delivered: ['approved', 'accepted', 'delivered'],
  confirmed: ['approved', 'accepted', 'delivered', 'confirmed'],
  followed_up: ['approved', 'accepted', 'delivered', 'confirmed', 'followed_up'],
  closed: ['approved', 'accepted', 'delivered', 'confirmed', 'followed_up', 'closed'],
  rejected: ['rejected'],
  declined: ['approved', 'declined'],
  cancelled: ['cancelled'],
  expired: ['expired'],
};

const NEED_AFTER: Partial<Record<MatchState, string[]>> = {
  approved: ['matched'],
  accepted: ['matched'],
  in_progress: ['matched'],
  delivered: ['matched'],
  confirmed: ['matched', 'fulfilled'],
  followed_up: ['matched', 'fulfilled'],
  closed: ['matched', 'fulfilled', 'closed'],
};

/**
 * A match of an open need and an offer in `state`, through SQL along the allowed path, with the offer's
 * capacity and the need's state as the service would have left them (one unit; cash: the offer's amount).
 */
export async function createMatch(
  ds: DataSource,
  values: {
    needId: string;
    offerId: string;
    state?: MatchState;
    proposedBy?: string | null;
    consent?: boolean;
    deliveredAt?: Date;
  },
): Promise<{ id: string; version: number }> {
  const id = randomUUID();
  const state = values.state ?? 'proposed';
  await ds.query(
    `INSERT INTO matches (id, need_id, offer_id, partner_id, archive_id, beneficiary_key, state, proposed_by,
                          proposed_via, units, amount_fen, state_changed_at, version)
     SELECT $1, n.id, o.id, o.partner_id, n.archive_id, n.beneficiary_key, 'proposed', $4, 'manual', 1,
            o.amount_per_beneficiary_fen, now(), 1
       FROM needs n, offers o WHERE n.id = $2 AND o.id = $3`,
    [id, values.needId, values.offerId, values.proposedBy ?? null],
  );
  let version = 1;
  for (const next of PATH[state]) {
    const extra =
      next === 'declined'
        ? `, decline_reason = 'other'`
        : next === 'closed'
          ? `, outcome = 'resolved', close_note = '已解决'`
          : next === 'delivered'
            ? `, delivered_at = $2, delivery_note = '已发放'`
            : '';
    await ds.query(
      `UPDATE matches SET state = '${next}', version = version + 1${extra} WHERE id = $1`,
      next === 'delivered' ? [id, values.deliveredAt ?? new Date()] : [id],
    );
    version += 1;
  }
  if (values.consent) {
    await ds.query(
      `UPDATE matches SET consent_at = now(), consent_by_kind = 'worker', version = version + 1 WHERE id = $1`,
      [id],
    );
    version += 1;
  }
  const reserving = ['approved', 'accepted', 'in_progress'].includes(state);
  const used = ['delivered', 'confirmed', 'followed_up', 'closed'].includes(state);
  if (reserving || used)
    await ds.query(
      `UPDATE offers SET ${reserving ? 'reserved = reserved + 1' : 'used = used + 1'}, remaining = remaining - 1
        WHERE id = $1`,
      [values.offerId],
    );
  for (const needState of NEED_AFTER[state] ?? [])
    await ds.query(`UPDATE needs SET state = $2, version = version + 1 WHERE id = $1`, [
      values.needId,
      needState,
    ]);
  return { id, version };
}
