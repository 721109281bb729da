import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import type { OfferState } from '../../../src/modules/offers/offers.enums';
import type { PartnerStatus } from '../../../src/modules/partners/partner.enums';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner, unionPartnerOf } from '../../helpers/factories/partners.factory';
import type { Cell, Fixture } from './fixtures';
import { OTHER_PARTNER_ID, PARTNER_ID } from './world';

const ds = (cell: Cell) => cell.world.t.app.get(DataSource);
const DAY = 86_400_000;
/** A China date `days` from now (the e2e app runs on the real clock). */
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

/**
 * The offer a cell acts on. Record cases: the partner actor's own organisation's or the other one's.
 * Unit cases: a union programme of the case's unit for the roles that write or publish union programmes
 * (caseworkers, approvers), else an offer of a fresh company vetted by the case's unit (`partnerStatus`
 * for the reviewer's partner_suspended close) — so only the unit decides.
 */
async function offerFor(
  cell: Cell,
  state: OfferState,
  partnerStatus: PartnerStatus = 'approved',
): Promise<{ id: string; version: number }> {
  let partnerId: string;
  if (cell.caseName === 'own_record') partnerId = PARTNER_ID;
  else if (cell.caseName === 'other_record') partnerId = OTHER_PARTNER_ID;
  else if (/^(caseworker|approver)/.test(cell.actorName))
    partnerId = (await unionPartnerOf(ds(cell), cell.unit!.id)).id;
  else
    partnerId = (
      await createPartner(ds(cell), cell.world.t.app.get(FieldCipher), cell.unit!.id, {
        status: partnerStatus,
      })
    ).id;
  const item = await createMenuItem(ds(cell));
  return createOffer(ds(cell), cell.world.t.app.get(FieldCipher), partnerId, [item.id], {
    state,
    validFrom: day(-30),
    validUntil: day(180),
  });
}

const read = (suffix: string): Fixture => ({
  prepare: async (cell) => ({ path: `/api/v1/offers/${(await offerFor(cell, 'published')).id}${suffix}` }),
});

const command = (name: string, state: OfferState, body: object = {}): Fixture => ({
  prepare: async (cell) => {
    const offer = await offerFor(cell, state);
    return { path: `/api/v1/offers/${offer.id}/${name}`, body: { version: offer.version, ...body } };
  },
});

export const OFFERS_FIXTURES: Record<string, Fixture> = {
  'GET /api/v1/offers': { prepare: async () => ({ path: '/api/v1/offers' }) },
  'GET /api/v1/offers/available': { prepare: async () => ({ path: '/api/v1/offers/available' }) },
  'POST /api/v1/offers': {
    prepare: async (cell) => {
      const item = await createMenuItem(ds(cell));
      return {
        path: '/api/v1/offers',
        body: {
          kind: 'slots',
          itemCodes: [item.code],
          title: '矩阵测试：电工技能培训',
          capacity: 10,
          regionCode: '330106',
          validFrom: day(0),
          validUntil: day(90),
          contactName: '王老师',
          contactPhone: '13800002210',
          // Staff enter a union programme for the case's unit; a partner account always for its own.
          ...(cell.actor?.kind === 'staff' ? { orgUnitId: cell.unit!.id } : {}),
        },
      };
    },
  },
  'GET /api/v1/offers/{id}': read(''),
  'GET /api/v1/offers/{id}/suggestions': read('/suggestions'),
  'GET /api/v1/offers/{id}/history': read('/history'),
  'PATCH /api/v1/offers/{id}': {
    prepare: async (cell) => {
      const offer = await offerFor(cell, 'draft');
      return { path: `/api/v1/offers/${offer.id}`, body: { version: offer.version, capacity: 12 } };
    },
  },
  'POST /api/v1/offers/{id}/submit': command('submit', 'draft'),
  'POST /api/v1/offers/{id}/publish': command('publish', 'pending_review'),
  'POST /api/v1/offers/{id}/return': command('return', 'pending_review', {
    reasons: ['other'],
    note: '请补充',
  }),
  'POST /api/v1/offers/{id}/pause': command('pause', 'published'),
  'POST /api/v1/offers/{id}/resume': command('resume', 'paused'),
  'POST /api/v1/offers/{id}/close': {
    prepare: async (cell) => {
      // A reviewer closes a suspended partner's live offer; everyone else withdraws a draft.
      const reviewer = cell.actorName.startsWith('reviewer') && cell.caseName !== 'own_record';
      const offer = reviewer ? await offerFor(cell, 'published', 'suspended') : await offerFor(cell, 'draft');
      return {
        path: `/api/v1/offers/${offer.id}/close`,
        body: { version: offer.version, reason: reviewer ? 'partner_suspended' : 'withdrawn' },
      };
    },
  },
};
