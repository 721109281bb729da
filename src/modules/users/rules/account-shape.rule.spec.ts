import { UsersErrorCode } from '../users.errors';
import { AccountShape, accountShapeViolation } from './account-shape.rule';

const PARTNER_ID = '7d7f3c2e-9a51-4f4b-8a0e-0d2f7a1c9b11';

describe('accountShapeViolation', () => {
  const cases: Array<[string, AccountShape, string | null]> = [
    [
      'staff with one role at a city unit',
      { kind: 'staff', roles: ['caseworker'], orgUnitLevel: 'city', partnerId: null },
      null,
    ],
    [
      'staff with several roles',
      {
        kind: 'staff',
        roles: ['caseworker', 'reviewer', 'admin'],
        orgUnitLevel: 'national',
        partnerId: null,
      },
      null,
    ],
    [
      'staff without roles',
      { kind: 'staff', roles: [], orgUnitLevel: 'city', partnerId: null },
      UsersErrorCode.USER_ROLES_INVALID,
    ],
    [
      'staff holding admin and auditor',
      { kind: 'staff', roles: ['admin', 'auditor'], orgUnitLevel: 'city', partnerId: null },
      UsersErrorCode.ROLE_CONFLICT,
    ],
    [
      'staff holding auditor, caseworker and admin',
      { kind: 'staff', roles: ['auditor', 'caseworker', 'admin'], orgUnitLevel: 'city', partnerId: null },
      UsersErrorCode.ROLE_CONFLICT,
    ],
    ['auditor alone', { kind: 'staff', roles: ['auditor'], orgUnitLevel: 'province', partnerId: null }, null],
    [
      'staff without a unit',
      { kind: 'staff', roles: ['caseworker'], orgUnitLevel: null, partnerId: null },
      UsersErrorCode.USER_ORG_UNIT_REQUIRED,
    ],
    [
      'staff with a partner',
      { kind: 'staff', roles: ['caseworker'], orgUnitLevel: 'city', partnerId: PARTNER_ID },
      UsersErrorCode.USER_PARTNER_INVALID,
    ],
    [
      'worker at a grassroots union',
      { kind: 'worker', roles: [], orgUnitLevel: 'grassroots', partnerId: null },
      null,
    ],
    [
      'worker at a branch union (分工会)',
      { kind: 'worker', roles: [], orgUnitLevel: 'branch', partnerId: null },
      null,
    ],
    [
      'worker with a role',
      { kind: 'worker', roles: ['caseworker'], orgUnitLevel: 'grassroots', partnerId: null },
      UsersErrorCode.USER_ROLES_INVALID,
    ],
    [
      'worker at a district union',
      { kind: 'worker', roles: [], orgUnitLevel: 'district', partnerId: null },
      UsersErrorCode.USER_ORG_UNIT_LEVEL_INVALID,
    ],
    [
      'worker without a unit',
      { kind: 'worker', roles: [], orgUnitLevel: null, partnerId: null },
      UsersErrorCode.USER_ORG_UNIT_REQUIRED,
    ],
    [
      'worker with a partner',
      { kind: 'worker', roles: [], orgUnitLevel: 'grassroots', partnerId: PARTNER_ID },
      UsersErrorCode.USER_PARTNER_INVALID,
    ],
    [
      'partner managed by a district union',
      { kind: 'partner', roles: [], orgUnitLevel: 'district', partnerId: PARTNER_ID },
      null,
    ],
    [
      'partner without its organisation',
      { kind: 'partner', roles: [], orgUnitLevel: 'district', partnerId: null },
      UsersErrorCode.USER_PARTNER_INVALID,
    ],
    [
      'partner with a role',
      { kind: 'partner', roles: ['admin'], orgUnitLevel: 'district', partnerId: PARTNER_ID },
      UsersErrorCode.USER_ROLES_INVALID,
    ],
    [
      'partner without a managing unit',
      { kind: 'partner', roles: [], orgUnitLevel: null, partnerId: PARTNER_ID },
      UsersErrorCode.USER_ORG_UNIT_REQUIRED,
    ],
  ];

  it.each(cases)('%s', (_name, shape, expected) => {
    expect(accountShapeViolation(shape)).toBe(expected);
  });
});
