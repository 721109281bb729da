import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import type { PartnerStatus } from '../../../src/modules/partners/partner.enums';
import { createPartner, randomCreditCode } from '../../helpers/factories/partners.factory';
import { createUser } from '../../helpers/factories/users.factory';
import type { Cell, Fixture } from './fixtures';
import { OTHER_PARTNER_ID, PARTNER_ID } from './world';

const ds = (cell: Cell) => cell.world.t.app.get(DataSource);
const tag = () => randomBytes(3).toString('hex');

/**
 * The partner a cell acts on: for unit cases a fresh partner vetted by the case's unit (so only the unit
 * decides); for record cases the partner actor's own organisation or the other one.
 */
async function partnerFor(cell: Cell, status: PartnerStatus = 'approved'): Promise<string> {
  if (cell.caseName === 'own_record') return PARTNER_ID;
  if (cell.caseName === 'other_record') return OTHER_PARTNER_ID;
  const partner = await createPartner(ds(cell), cell.world.t.app.get(FieldCipher), cell.unit!.id, { status });
  return partner.id;
}

const vetting = (action: string, from: PartnerStatus, reason?: string): Fixture => ({
  prepare: async (cell) => ({
    path: `/api/v1/partners/${await partnerFor(cell, from)}/${action}`,
    body: { version: 1, ...(reason ? { reason } : {}) },
  }),
});

export const PARTNERS_FIXTURES: Record<string, Fixture> = {
  'POST /api/v1/partners': {
    prepare: async (cell) => ({
      path: '/api/v1/partners',
      body: {
        kind: 'company',
        name: `矩阵测试爱心企业${tag()}`,
        creditCode: randomCreditCode(),
        orgUnitId: cell.world.units['xihu']!.id,
        contactName: '王联络',
        mobile: '13800002210',
        regionCodes: ['330106'],
        categories: ['training'],
        account: { username: `reg.${tag()}`, displayName: '李经理', password: 'Aixin-2026-qiye' },
      },
    }),
  },
  'GET /api/v1/partners': { prepare: async () => ({ path: '/api/v1/partners' }) },
  'GET /api/v1/partners/{id}': {
    prepare: async (cell) => ({ path: `/api/v1/partners/${await partnerFor(cell, 'pending')}` }),
  },
  'POST /api/v1/partners/{id}/approve': vetting('approve', 'pending'),
  'POST /api/v1/partners/{id}/reject': vetting('reject', 'pending', '材料不全'),
  'POST /api/v1/partners/{id}/suspend': vetting('suspend', 'approved', '服务投诉核查中'),
  'POST /api/v1/partners/{id}/reinstate': vetting('reinstate', 'suspended'),
  'GET /api/v1/partners/{id}/accounts': {
    prepare: async (cell) => ({ path: `/api/v1/partners/${await partnerFor(cell)}/accounts` }),
  },
  'POST /api/v1/partners/{id}/accounts': {
    prepare: async (cell) => ({
      path: `/api/v1/partners/${await partnerFor(cell)}/accounts`,
      body: { username: `staff.${tag()}`, displayName: '赵专员', password: 'Aixin-2026-zhuanyuan' },
    }),
  },
  'POST /api/v1/partners/{id}/accounts/{userId}/disable': {
    prepare: async (cell) => {
      const partnerId = await partnerFor(cell);
      const { user } = await createUser(ds(cell), {
        kind: 'partner',
        roles: [],
        orgUnit: cell.world.units['xihu']!,
        partnerId,
      });
      return {
        path: `/api/v1/partners/${partnerId}/accounts/${user.id}/disable`,
        body: { reason: '人员离职' },
      };
    },
  },
};
