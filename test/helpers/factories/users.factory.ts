import { randomBytes, randomUUID } from 'node:crypto';
import { Algorithm, hash } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import type { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { userPhoneField } from '../../../src/common/crypto/stored-fields';
import type { AccountKind, StaffRole } from '../../../src/modules/auth/principal';
import type { OrgLevel } from '../../../src/modules/org-units/org-unit.entity';
import { UserEntity } from '../../../src/modules/users/user.entity';
import { testConfig } from '../test-env';

/** A password every policy check accepts (length, letters and digits, not common, no user name). */
export const DEFAULT_TEST_PASSWORD = 'Tuanjie-2026-gh';

export interface OrgUnitRow {
  id: string;
  name: string;
  level: OrgLevel;
  path: string;
  parentId: string | null;
}

export interface OrgUnitOverrides {
  /** Defaults to the national root (created on first use: a database holds exactly one root). */
  parent?: OrgUnitRow;
  name?: string;
  level?: OrgLevel;
  regionCode?: string;
}

export interface UserOverrides {
  username?: string;
  displayName?: string;
  kind?: AccountKind;
  roles?: StaffRole[];
  /** Clear text; stored as an argon2id hash with the configured parameters. */
  password?: string;
  /** Defaults to a fresh grassroots unit under the root; `null` for none. */
  orgUnit?: OrgUnitRow | null;
  partnerId?: string | null;
  /** Stored encrypted with `cipher` (required with `phone`). */
  phone?: string;
  cipher?: FieldCipher;
  passwordChangedAt?: Date;
  mustChangePassword?: boolean;
  expiresAt?: Date | null;
  disabledAt?: Date | null;
  failedLoginCount?: number;
  lockedUntil?: Date | null;
  tokenVersion?: number;
}

export interface CreatedUser {
  user: UserEntity;
  password: string;
  orgUnit: OrgUnitRow | null;
}

const hashes = new Map<string, Promise<string>>();

/** argon2id with the test configuration's cost; one hash per distinct password per test file (speed). */
export function hashPassword(password: string): Promise<string> {
  let cached = hashes.get(password);
  if (!cached) {
    const { memoryCost, timeCost, parallelism } = testConfig().auth.password.hashing;
    cached = hash(password, { algorithm: Algorithm.Argon2id, memoryCost, timeCost, parallelism });
    hashes.set(password, cached);
  }
  return cached;
}

function suffix(): string {
  return randomBytes(4).toString('hex');
}

export async function rootOrgUnit(dataSource: DataSource): Promise<OrgUnitRow> {
  const rows: OrgUnitRow[] = await dataSource.query(
    `SELECT id, name, level, path, parent_id AS "parentId" FROM org_units WHERE parent_id IS NULL`,
  );
  if (rows[0]) return rows[0];
  const id = randomUUID();
  const unit: OrgUnitRow = { id, name: '中华全国总工会', level: 'national', path: `/${id}/`, parentId: null };
  await dataSource.query(
    `INSERT INTO org_units (id, parent_id, name, level, region_code, path) VALUES ($1, NULL, $2, 'national', '100000', $3)
     ON CONFLICT DO NOTHING`,
    [unit.id, unit.name, unit.path],
  );
  return rootOrgUnit(dataSource);
}

export async function createOrgUnit(
  dataSource: DataSource,
  overrides: OrgUnitOverrides = {},
): Promise<OrgUnitRow> {
  const parent = overrides.parent ?? (await rootOrgUnit(dataSource));
  const id = randomUUID();
  const unit: OrgUnitRow = {
    id,
    name: overrides.name ?? `测试基层工会-${suffix()}`,
    level: overrides.level ?? 'grassroots',
    path: `${parent.path}${id}/`,
    parentId: parent.id,
  };
  await dataSource.query(
    `INSERT INTO org_units (id, parent_id, name, level, region_code, path) VALUES ($1, $2, $3, $4, $5, $6)`,
    [unit.id, unit.parentId, unit.name, unit.level, overrides.regionCode ?? '320102', unit.path],
  );
  return unit;
}

/** A user (staff caseworker by default) with a real argon2id password hash, inserted through the DataSource. */
export async function createUser(
  dataSource: DataSource,
  overrides: UserOverrides = {},
): Promise<CreatedUser> {
  const kind = overrides.kind ?? 'staff';
  const orgUnit = overrides.orgUnit === undefined ? await createOrgUnit(dataSource) : overrides.orgUnit;
  const password = overrides.password ?? DEFAULT_TEST_PASSWORD;
  if (overrides.phone && !overrides.cipher) throw new Error('createUser: phone needs a cipher');
  const repo = dataSource.getRepository(UserEntity);
  const id = randomUUID();
  const user = await repo.save(
    repo.create({
      id,
      username: (overrides.username ?? `user.${suffix()}`).toLowerCase(),
      displayName: overrides.displayName ?? '测试用户',
      kind,
      roles: overrides.roles ?? (kind === 'staff' ? ['caseworker'] : []),
      orgUnitId: orgUnit?.id ?? null,
      partnerId: overrides.partnerId ?? null,
      phoneCiphertext: overrides.phone
        ? overrides.cipher!.encrypt(overrides.phone, userPhoneField(id))
        : null,
      phoneBlindIndex: overrides.phone ? overrides.cipher!.blindIndex(overrides.phone, 'phone') : null,
      passwordHash: await hashPassword(password),
      passwordChangedAt: overrides.passwordChangedAt ?? new Date(),
      mustChangePassword: overrides.mustChangePassword ?? false,
      failedLoginCount: overrides.failedLoginCount ?? 0,
      lockedUntil: overrides.lockedUntil ?? null,
      tokenVersion: overrides.tokenVersion ?? 0,
      disabledAt: overrides.disabledAt ?? null,
      disabledReason: overrides.disabledAt ? '测试停用' : null,
      expiresAt: overrides.expiresAt ?? null,
      totpSecretCiphertext: null,
      totpEnabledAt: null,
      totpLastStep: null,
      createdBy: null,
    }),
  );
  return { user, password, orgUnit };
}
