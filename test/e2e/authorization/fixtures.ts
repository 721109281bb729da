import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { base32Decode } from '../../../src/modules/auth/totp/base32';
import { totpAt } from '../../../src/modules/auth/totp/totp';
import { Actor, createActor } from '../../helpers/actors';
import { createUser, OrgUnitRow } from '../../helpers/factories/users.factory';
import { ALLOCATIONS_FIXTURES } from './allocations-fixtures';
import { AID_LEDGER_FIXTURES } from './aid-ledger-fixtures';
import { ARCHIVE_FIXTURES } from './archive-fixtures';
import { MATCHES_FIXTURES } from './matches-fixtures';
import { MENU_FIXTURES } from './menu-fixtures';
import { PARTNERS_FIXTURES } from './partners-fixtures';
import { NEEDS_FIXTURES } from './needs-fixtures';
import { NOTIFICATIONS_FIXTURES } from './notifications-fixtures';
import { OFFERS_FIXTURES } from './offers-fixtures';
import type { CaseName } from './matrix';
import type { World } from './world';

export interface Cell {
  world: World;
  actorName: string;
  /** Null for the anonymous caller. */
  actor: Actor | null;
  caseName: CaseName;
  /** The unit the data case points at (null for `none`). */
  unit: OrgUnitRow | null;
}

export interface PreparedRequest {
  path: string;
  body?: object;
  /** Overrides the actor's token (e.g. a fresh session to log out); null sends none. */
  token?: string | null;
  /** Sent as multipart/form-data instead of a JSON body (file uploads). */
  multipart?: {
    fields: Record<string, string>;
    file: { field: string; data: Buffer; filename: string; contentType: string };
  };
}

export interface Fixture {
  /** The record lives only at grassroots unions (archives): cases are resolved accordingly. */
  grassrootsOnly?: boolean;
  prepare(cell: Cell): Promise<PreparedRequest>;
}

const tag = () => randomBytes(3).toString('hex');
const ds = (cell: Cell) => cell.world.t.app.get(DataSource);
const http = (cell: Cell) => request(cell.world.t.app.getHttpServer());

/**
 * The same kind of account as the actor, for calls that change the caller itself (logout, password,
 * TOTP): the actor's own session must survive for the cells after it.
 */
async function cloneOf(cell: Cell, options: { withTotp?: boolean } = {}): Promise<Actor | null> {
  const { actor } = cell;
  if (!actor) return null;
  return createActor(cell.world.t.app, {
    kind: actor.kind,
    roles: actor.roles,
    unit: actor.unit,
    partnerId: actor.partnerId,
    withTotp: options.withTotp,
  });
}

/** A fresh account in the case's unit (a target for /users/{id} calls). */
async function targetUser(cell: Cell, overrides: Parameters<typeof createUser>[1] = {}) {
  const cipher = cell.world.t.app.get(FieldCipher);
  const { user } = await createUser(ds(cell), {
    orgUnit: cell.unit,
    phone: `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
    cipher,
    ...overrides,
  });
  return user;
}

const NEXT_LEVEL: Record<string, { level: string; code: (unitCode: string) => string } | undefined> = {
  national: { level: 'province', code: () => '320000' },
  province: { level: 'city', code: (c) => `${c.slice(0, 2)}0300` },
  city: { level: 'district', code: (c) => `${c.slice(0, 4)}08` },
  district: { level: 'grassroots', code: (c) => c },
};

async function regionCodeOf(cell: Cell, unitId: string): Promise<string> {
  const [row] = await ds(cell).query('SELECT region_code FROM org_units WHERE id = $1', [unitId]);
  return row.region_code as string;
}

const none = (path: string, body?: object): Fixture => ({ prepare: async () => ({ path, body }) });

export const FIXTURES: Record<string, Fixture> = {
  'GET /health': none('/health'),
  'GET /health/live': none('/health/live'),
  'GET /health/ready': none('/health/ready'),
  'POST /api/v1/auth/login': {
    prepare: async (cell) => ({ path: '/api/v1/auth/login', body: cell.world.loginProbe }),
  },
  'POST /api/v1/auth/login/totp': none('/api/v1/auth/login/totp', {}),
  'POST /api/v1/auth/refresh': none('/api/v1/auth/refresh', {}),
  'POST /api/v1/auth/logout': {
    prepare: async (cell) => ({
      path: '/api/v1/auth/logout',
      body: {},
      token: (await cloneOf(cell))?.token ?? null,
    }),
  },
  'POST /api/v1/auth/password': {
    prepare: async (cell) => {
      const clone = await cloneOf(cell);
      return {
        path: '/api/v1/auth/password',
        body: { currentPassword: clone?.password ?? 'x', newPassword: `Xinmima${tag()}2026` },
        token: clone?.token ?? null,
      };
    },
  },
  'POST /api/v1/auth/totp/enrol': {
    prepare: async (cell) => ({
      path: '/api/v1/auth/totp/enrol',
      body: {},
      token: (await cloneOf(cell, { withTotp: false }))?.token ?? null,
    }),
  },
  'POST /api/v1/auth/totp/activate': {
    prepare: async (cell) => {
      const clone = await cloneOf(cell, { withTotp: false });
      if (!clone) return { path: '/api/v1/auth/totp/activate', body: { code: '000000' }, token: null };
      const enrol = await http(cell)
        .post('/api/v1/auth/totp/enrol')
        .set('authorization', `Bearer ${clone.token}`)
        .send({});
      if (enrol.status !== 200) throw new Error(`enrol for activate: ${enrol.status} ${enrol.text}`);
      const code = totpAt(base32Decode(enrol.body.secret as string), new Date());
      return { path: '/api/v1/auth/totp/activate', body: { code }, token: clone.token };
    },
  },
  'GET /api/v1/me': none('/api/v1/me'),

  'GET /api/v1/org-units': none('/api/v1/org-units'),
  'GET /api/v1/org-units/{id}': {
    prepare: async (cell) => ({ path: `/api/v1/org-units/${cell.unit!.id}` }),
  },
  'POST /api/v1/org-units': {
    prepare: async (cell) => {
      const parent = cell.unit!;
      // Nothing may be created below a grassroots union; the request is still sent, for the refusal.
      const next = NEXT_LEVEL[parent.level] ?? { level: 'grassroots', code: (c: string) => c };
      const code = next.code(await regionCodeOf(cell, parent.id));
      return {
        path: '/api/v1/org-units',
        body: { parentId: parent.id, name: `矩阵测试单位${tag()}`, level: next.level, regionCode: code },
      };
    },
  },

  'GET /api/v1/users': none('/api/v1/users'),
  'POST /api/v1/users': {
    prepare: async (cell) => ({
      path: '/api/v1/users',
      body: {
        username: `matrix.${tag()}`,
        displayName: '周芳',
        kind: 'staff',
        roles: ['caseworker'],
        orgUnitId: cell.unit!.id,
        password: 'Chushi2026mima',
      },
    }),
  },
  'GET /api/v1/users/{id}': {
    prepare: async (cell) => ({ path: `/api/v1/users/${(await targetUser(cell)).id}` }),
  },
  'PATCH /api/v1/users/{id}': {
    prepare: async (cell) => {
      const user = await targetUser(cell);
      return { path: `/api/v1/users/${user.id}`, body: { version: user.version, displayName: '王芳' } };
    },
  },
  'POST /api/v1/users/{id}/disable': {
    prepare: async (cell) => ({
      path: `/api/v1/users/${(await targetUser(cell)).id}/disable`,
      body: { reason: '调离本单位' },
    }),
  },
  'POST /api/v1/users/{id}/enable': {
    prepare: async (cell) => ({
      path: `/api/v1/users/${(await targetUser(cell, { disabledAt: new Date() })).id}/enable`,
      body: {},
    }),
  },
  'POST /api/v1/users/{id}/unlock': {
    prepare: async (cell) => {
      const user = await targetUser(cell, {
        failedLoginCount: 5,
        lockedUntil: new Date(Date.now() + 600_000),
      });
      return { path: `/api/v1/users/${user.id}/unlock`, body: {} };
    },
  },
  'POST /api/v1/users/{id}/reset-password': {
    prepare: async (cell) => ({
      path: `/api/v1/users/${(await targetUser(cell)).id}/reset-password`,
      body: { newPassword: `Chongzhi${tag()}2026` },
    }),
  },
  'POST /api/v1/users/{id}/reveal': {
    prepare: async (cell) => ({
      path: `/api/v1/users/${(await targetUser(cell)).id}/reveal`,
      body: { field: 'phone', reason: '核实联系方式需要' },
    }),
  },

  'GET /api/v1/audit-logs': none('/api/v1/audit-logs'),
  ...ARCHIVE_FIXTURES,
  ...MENU_FIXTURES,
  ...PARTNERS_FIXTURES,
  ...NEEDS_FIXTURES,
  ...OFFERS_FIXTURES,
  ...ALLOCATIONS_FIXTURES,
  ...AID_LEDGER_FIXTURES,
  ...NOTIFICATIONS_FIXTURES,
  ...MATCHES_FIXTURES,
};
