import { Test, TestingModule } from '@nestjs/testing';
import { UserEntity } from '../../../src/modules/users/user.entity';
import { repositoryProviders } from '../../helpers/test-database';
import { randomUUID } from 'node:crypto';
import { Clock, FakeClock } from '../../../src/common/clock/clock';
import { ClockModule } from '../../../src/common/clock/clock.module';
import { CryptoModule } from '../../../src/common/crypto/crypto.module';
import { FieldCipher, userPhoneField } from '../../../src/common/crypto';
import { ConfigModule } from '../../../src/config';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import type { Principal } from '../../../src/modules/auth/principal';
import { OrgUnitsModule } from '../../../src/modules/org-units/org-units.module';
import { CreateUserDto } from '../../../src/modules/users/dto/create-user.dto';
import { ListUsersQueryDto } from '../../../src/modules/users/dto/list-users.query.dto';
import { UpdateUserDto } from '../../../src/modules/users/dto/update-user.dto';
import { PasswordModule } from '../../../src/modules/users/password';
import { NewUser, UsersRepository } from '../../../src/modules/users/users.repository';
import { UsersService } from '../../../src/modules/users/users.service';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';
import {
  adminAt,
  auditRows,
  dto,
  OrgTree,
  principalOf,
  seedOrgTree,
  TestGlobalsModule,
} from './users-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'Tuanjie2026gh';
/** Exactly what an administrator gets back: nothing more (no hash, no ciphertext, no TOTP secret). */
const RESPONSE_FIELDS = [
  'createdAt',
  'disabledAt',
  'disabledReason',
  'displayName',
  'expiresAt',
  'failedLoginCount',
  'id',
  'kind',
  'lockedUntil',
  'mustChangePassword',
  'orgUnitId',
  'orgUnitName',
  'partnerId',
  'passwordChangedAt',
  'phone',
  'roles',
  'status',
  'totpEnabled',
  'updatedAt',
  'username',
  'version',
].sort();

describe('UsersService (real PostgreSQL)', () => {
  let db: TestDatabase;
  let moduleRef: TestingModule;
  let users: UsersService;
  let repository: UsersRepository;
  let cipher: FieldCipher;
  let tree: OrgTree;
  let clock: FakeClock;
  /** Administrator of city A (南京): manages city A, district A and grassroots A. */
  let cityAdmin: Principal;
  let seq = 0;

  const nextName = (prefix = 'user') => `${prefix}.${++seq}`;

  function createDto(overrides: Record<string, unknown> = {}): CreateUserDto {
    return dto(CreateUserDto, {
      username: nextName(),
      displayName: '王建国',
      kind: 'staff',
      roles: ['caseworker'],
      orgUnitId: tree.cityA.id,
      password: PASSWORD,
      ...overrides,
    });
  }

  const create = (overrides: Record<string, unknown> = {}, by: Principal = cityAdmin) =>
    users.create(by, createDto(overrides));

  /** A row for UsersRepository.insert, bypassing the service's own checks (to reach the constraints). */
  const newUserRow = (overrides: Partial<NewUser>): NewUser => ({
    username: nextName('raw'),
    displayName: '测试',
    kind: 'staff',
    roles: ['caseworker'],
    orgUnitId: tree.cityA.id,
    partnerId: null,
    phoneCiphertext: null,
    phoneBlindIndex: null,
    passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$x$y',
    passwordChangedAt: clock.now(),
    mustChangePassword: true,
    expiresAt: null,
    createdBy: null,
    ...overrides,
  });

  const tokenVersion = async (id: string): Promise<number> =>
    (await db.dataSource.query(`SELECT token_version FROM users WHERE id = $1`, [id]))[0].token_version;

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new FakeClock('2026-03-02T09:00:00+08:00');
    // Cheap argon2 parameters: the tests exercise the rules, not the hash cost.
    const config = testConfig({ auth: { password: { hashing: { memoryCost: 1024, timeCost: 1 } } } });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        TestGlobalsModule.forRoot(db.dataSource),
        ClockModule,
        CryptoModule,
        AuditModule,
        OrgUnitsModule,
        PasswordModule,
      ],
      providers: [UsersRepository, UsersService, ...repositoryProviders(db.dataSource, [UserEntity])],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
    users = moduleRef.get(UsersService);
    repository = moduleRef.get(UsersRepository);
    cipher = moduleRef.get(FieldCipher);
    tree = await seedOrgTree(db.dataSource);
    cityAdmin = adminAt(tree.cityA);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
  });

  describe('create', () => {
    it('creates a staff account in its own unit: masked phone, must change password, audited in the same transaction', async () => {
      const created = await create({ phone: '+86 138-1234-2210', username: 'Zhang.Wei' });

      expect(created).toMatchObject({
        username: 'zhang.wei',
        kind: 'staff',
        roles: ['caseworker'],
        orgUnitId: tree.cityA.id,
        orgUnitName: '南京市总工会',
        phone: '138****2210',
        status: 'active',
        mustChangePassword: true,
        version: 1,
      });
      expect(Object.keys(created).sort()).toEqual(RESPONSE_FIELDS);
      expect(JSON.stringify(created)).not.toMatch(/argon2|v1:|Ciphertext|BlindIndex|passwordHash/i);

      const [audit] = await auditRows(db.dataSource, { action: 'user.create', targetId: created.id });
      expect(audit).toMatchObject({
        outcome: 'success',
        actor_id: cityAdmin.userId,
        details: { username: 'zhang.wei', kind: 'staff', roles: ['caseworker'], hasPhone: true },
      });
      expect(JSON.stringify(audit.details)).not.toContain('2210');
    });

    it('stores the phone number as ciphertext plus blind index, never in clear (raw SQL)', async () => {
      const created = await create({ phone: '13912345678' });
      const [row] = await db.dataSource.query(`SELECT * FROM users WHERE id = $1`, [created.id]);

      expect(JSON.stringify(row)).not.toContain('13912345678');
      expect(JSON.stringify(row)).not.toContain('12345678');
      expect(row.phone_ciphertext).toMatch(/^v2:dev1:/);
      expect(cipher.decrypt(row.phone_ciphertext, userPhoneField(created.id))).toBe('13912345678');
      expect(row.phone_blind_index).toBe(cipher.blindIndex('13912345678', 'phone'));
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    });

    it('accepts units below its own: district and grassroots, and a worker at a grassroots union', async () => {
      await expect(create({ orgUnitId: tree.districtA.id })).resolves.toMatchObject({
        orgUnitId: tree.districtA.id,
      });
      await expect(
        create({ kind: 'worker', roles: [], orgUnitId: tree.grassrootsA.id }),
      ).resolves.toMatchObject({ kind: 'worker', roles: [] });
    });

    it.each([
      ['a sibling city', 'cityB'],
      ['a unit under a sibling city', 'grassrootsB'],
      ['the parent province', 'province'],
    ] as const)('refuses a unit outside its subtree (%s) and audits the refusal', async (_name, unit) => {
      const username = nextName('outside');
      await expect(create({ username, orgUnitId: tree[unit].id })).rejects.toMatchObject({
        code: 'OUT_OF_SCOPE',
      });
      const denied = await auditRows(db.dataSource, { action: 'access.denied' });
      expect(denied.at(-1)).toMatchObject({
        outcome: 'denied',
        actor_id: cityAdmin.userId,
        details: { action: 'users.create', code: 'OUT_OF_SCOPE' },
      });
      expect(await repository.findByUsername(username)).toBeNull();
    });

    it('refuses admin together with auditor (ROLE_CONFLICT)', async () => {
      await expect(create({ roles: ['admin', 'auditor'] })).rejects.toMatchObject({ code: 'ROLE_CONFLICT' });
    });

    it.each([
      ['staff without roles', { roles: [] }, 'USER_ROLES_INVALID'],
      [
        'a worker with a role',
        { kind: 'worker', roles: ['caseworker'], orgUnitId: undefined },
        'USER_ROLES_INVALID',
      ],
      [
        'a worker at a district union',
        { kind: 'worker', roles: [], orgUnitId: 'districtA' },
        'USER_ORG_UNIT_LEVEL_INVALID',
      ],
      ['staff without a unit', { orgUnitId: undefined }, 'USER_ORG_UNIT_REQUIRED'],
      ['a partner without its organisation', { kind: 'partner', roles: [] }, 'USER_PARTNER_INVALID'],
    ])('refuses %s', async (_name, overrides, code) => {
      const resolved: Record<string, unknown> = { ...overrides };
      if (resolved.orgUnitId === 'districtA') resolved.orgUnitId = tree.districtA.id;
      await expect(create(resolved)).rejects.toMatchObject({ code });
    });

    it('refuses a unit that does not exist', async () => {
      await expect(create({ orgUnitId: randomUUID() })).rejects.toMatchObject({
        code: 'USER_ORG_UNIT_NOT_FOUND',
      });
    });

    it('creates a partner account managed by a unit in scope', async () => {
      const [{ id: partnerId }] = await db.dataSource.query(
        `SELECT id FROM partners WHERE org_unit_id = $1 AND kind = 'union'`,
        [tree.districtA.id],
      );
      await expect(
        create({ kind: 'partner', roles: [], partnerId, orgUnitId: tree.districtA.id }),
      ).resolves.toMatchObject({ kind: 'partner', partnerId });
    });

    it('refuses a partner id that names no partner (422, not a foreign-key 500)', async () => {
      await expect(
        create({ kind: 'partner', roles: [], partnerId: randomUUID(), orgUnitId: tree.districtA.id }),
      ).rejects.toMatchObject({ code: 'USER_PARTNER_NOT_FOUND' });
    });

    it('refuses a duplicate username, whatever its case (409)', async () => {
      await create({ username: 'li.na' });
      await expect(create({ username: 'LI.NA' })).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
    });

    it('turns a username race lost at the unique constraint into USERNAME_TAKEN', async () => {
      const existing = await create();
      await expect(
        repository.transaction((manager) =>
          repository.insert(manager, newUserRow({ username: existing.username })),
        ),
      ).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
    });

    it('refuses a phone number already on an enabled account, found by blind index whatever its format', async () => {
      await create({ phone: '13700001111' });
      await expect(create({ phone: '+86 137 0000 1111' })).rejects.toMatchObject({ code: 'PHONE_IN_USE' });
      await expect(create({ phone: '137-0000-1111' })).rejects.toMatchObject({ code: 'PHONE_IN_USE' });
    });

    it('holds phone uniqueness in the database too (partial unique index on enabled accounts)', async () => {
      await create({ phone: '13700002222' });
      const phoneBlindIndex = cipher.blindIndex('13700002222', 'phone');
      await expect(
        repository.transaction((manager) =>
          repository.insert(
            manager,
            newUserRow({
              phoneBlindIndex,
              phoneCiphertext: cipher.encrypt(
                '13700002222',
                userPhoneField('00000000-0000-4000-8000-000000000001'),
              ),
            }),
          ),
        ),
      ).rejects.toMatchObject({ code: 'PHONE_IN_USE' });
    });

    it('lets a disabled account’s number be reused, and then refuses to enable the old account', async () => {
      const old = await create({ phone: '13700003333' });
      await users.disable(cityAdmin, old.id, { reason: '人员调离' });
      const successor = await create({ phone: '13700003333' });
      expect(successor.phone).toBe('137****3333');
      await expect(users.enable(cityAdmin, old.id)).rejects.toMatchObject({ code: 'PHONE_IN_USE' });
    });

    it('applies the password policy: too short, letters only, common, containing the username', async () => {
      const username = nextName('policy');
      for (const password of ['ab12', 'gonghuibangfu', 'password1', `${username}2026`]) {
        await expect(create({ username, password })).rejects.toMatchObject({
          code: 'PASSWORD_POLICY_VIOLATION',
        });
      }
      expect(await repository.findByUsername(username)).toBeNull();
    });

    it('creates a temporary account only with an expiry in the future', async () => {
      await expect(
        create({ expiresAt: new Date(clock.now().getTime() - 1000).toISOString() }),
      ).rejects.toMatchObject({
        code: 'USER_EXPIRY_NOT_IN_FUTURE',
      });
      const temporary = await create({ expiresAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() });
      expect(temporary.expiresAt).toBe(new Date(clock.now().getTime() + 7 * DAY).toISOString());
    });
  });

  describe('read', () => {
    it('lists only accounts in the administrator’s subtree, masked, with filters', async () => {
      const tag = `lst${randomUUID().slice(0, 6)}`;
      const inCity = await create({ username: `${tag}.city`, phone: '13600001111' });
      const inGrassroots = await create({
        username: `${tag}.worker`,
        kind: 'worker',
        roles: [],
        orgUnitId: tree.grassrootsA.id,
      });
      const reviewer = await create({
        username: `${tag}.reviewer`,
        roles: ['reviewer'],
        orgUnitId: tree.districtA.id,
      });
      const provinceAdmin = adminAt(tree.province);
      const elsewhere = await create({ username: `${tag}.suzhou`, orgUnitId: tree.cityB.id }, provinceAdmin);
      const above = await create({ username: `${tag}.province`, orgUnitId: tree.province.id }, provinceAdmin);

      const page = (query: Record<string, unknown>, by = cityAdmin) =>
        users.list(by, dto(ListUsersQueryDto, { q: tag, ...query }));

      const all = await page({});
      expect(all.items.map((u) => u.username).sort()).toEqual(
        [inCity.username, inGrassroots.username, reviewer.username].sort(),
      );
      expect(all.total).toBe(3);
      expect(all.items.find((u) => u.id === inCity.id)?.phone).toBe('136****1111');
      expect(JSON.stringify(all)).not.toMatch(/13600001111|v1:|argon2/);

      expect((await page({ kind: 'worker' })).items.map((u) => u.id)).toEqual([inGrassroots.id]);
      expect((await page({ role: 'reviewer' })).items.map((u) => u.id)).toEqual([reviewer.id]);
      expect((await page({ orgUnitId: tree.districtA.id })).items.map((u) => u.id).sort()).toEqual(
        [inGrassroots.id, reviewer.id].sort(),
      );
      expect((await page({ pageSize: 2, page: 2 })).items).toHaveLength(1);
      await expect(page({ orgUnitId: tree.cityB.id })).rejects.toMatchObject({ code: 'OUT_OF_SCOPE' });

      const fromProvince = await page({}, provinceAdmin);
      expect(fromProvince.items.map((u) => u.id)).toEqual(
        expect.arrayContaining([elsewhere.id, above.id, inCity.id]),
      );
    });

    it('filters by status: disabled, locked, expired, active', async () => {
      const tag = `sts${randomUUID().slice(0, 6)}`;
      const active = await create({ username: `${tag}.active` });
      const disabled = await create({ username: `${tag}.disabled` });
      await users.disable(cityAdmin, disabled.id, { reason: '离职' });
      const locked = await create({ username: `${tag}.locked` });
      await db.dataSource.query(`UPDATE users SET failed_login_count = 5, locked_until = $2 WHERE id = $1`, [
        locked.id,
        new Date(clock.now().getTime() + 15 * 60_000),
      ]);
      const expired = await create({
        username: `${tag}.expired`,
        expiresAt: new Date(clock.now().getTime() + DAY).toISOString(),
      });
      clock.advance(2 * DAY);
      try {
        const ids = async (status: string) =>
          (await users.list(cityAdmin, dto(ListUsersQueryDto, { q: tag, status }))).items.map((u) => u.id);
        // The lock was for 15 minutes and two days have passed: that account is active again.
        expect(await ids('active')).toEqual([active.id, locked.id]);
        expect(await ids('disabled')).toEqual([disabled.id]);
        expect(await ids('expired')).toEqual([expired.id]);
        expect(await ids('locked')).toEqual([]);
      } finally {
        clock.advance(-2 * DAY);
      }
      const lockedNow = await users.list(cityAdmin, dto(ListUsersQueryDto, { q: tag, status: 'locked' }));
      expect(lockedNow.items.map((u) => u.id)).toEqual([locked.id]);
      expect(lockedNow.items[0].status).toBe('locked');
      const activeNow = await users.list(cityAdmin, dto(ListUsersQueryDto, { q: tag, status: 'active' }));
      // Before its end the temporary account is active too.
      expect(activeNow.items.map((u) => u.id)).toEqual([active.id, expired.id]);
    });

    it('GET one: masked, recorded as a read of personal data; out of scope refused and audited', async () => {
      const user = await create({ phone: '13600002222' });
      const seen = await users.get(cityAdmin, user.id);
      expect(seen.phone).toBe('136****2222');
      expect(await auditRows(db.dataSource, { action: 'user.read', targetId: user.id })).toEqual([
        expect.objectContaining({ outcome: 'success', actor_id: cityAdmin.userId }),
      ]);

      const otherCity = adminAt(tree.cityB);
      await expect(users.get(otherCity, user.id)).rejects.toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect(await auditRows(db.dataSource, { action: 'access.denied', targetId: user.id })).toEqual([
        expect.objectContaining({
          actor_id: otherCity.userId,
          details: { action: 'users.read', code: 'OUT_OF_SCOPE' },
        }),
      ]);
      await expect(users.get(cityAdmin, randomUUID())).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    });

    it('reveal: returns the phone unmasked and records the reason; refused out of scope', async () => {
      const user = await create({ phone: '13600003333' });
      const revealed = await users.reveal(cityAdmin, user.id, {
        field: 'phone',
        reason: '核实联系方式以便回访',
      });
      expect(revealed).toEqual({ userId: user.id, field: 'phone', value: '13600003333' });
      expect(await auditRows(db.dataSource, { action: 'user.reveal', targetId: user.id })).toEqual([
        expect.objectContaining({
          outcome: 'success',
          actor_id: cityAdmin.userId,
          details: { field: 'phone', reason: '核实联系方式以便回访', present: true },
        }),
      ]);
      await expect(
        users.reveal(adminAt(tree.cityB), user.id, { field: 'phone', reason: '核实联系方式以便回访' }),
      ).rejects.toMatchObject({ code: 'OUT_OF_SCOPE' });
      await expect(
        users.reveal(cityAdmin, user.id, { field: 'phone', reason: '对方说是13600003333' }),
      ).rejects.toMatchObject({ code: 'USER_REASON_HAS_PERSONAL_DATA' });
      expect(await auditRows(db.dataSource, { action: 'user.reveal', targetId: user.id })).toHaveLength(1);
    });
  });

  describe('changes', () => {
    it('bumps token_version on role change, move, disable and password reset — not on a name change', async () => {
      const user = await create();
      let expected = await tokenVersion(user.id);
      let version = user.version;

      const patch = async (body: Record<string, unknown>) => {
        const updated = await users.update(cityAdmin, user.id, dto(UpdateUserDto, { version, ...body }));
        version = updated.version;
        return updated;
      };

      await patch({ displayName: '王建军' });
      expect(await tokenVersion(user.id)).toBe(expected);

      const withRoles = await patch({ roles: ['caseworker', 'reviewer'] });
      expect(withRoles.roles).toEqual(['caseworker', 'reviewer']);
      expect(await tokenVersion(user.id)).toBe(++expected);

      await patch({ orgUnitId: tree.districtA.id });
      expect(await tokenVersion(user.id)).toBe(++expected);

      await users.resetPassword(cityAdmin, user.id, { newPassword: 'Xinmima2026a' });
      expect(await tokenVersion(user.id)).toBe(++expected);

      await users.disable(cityAdmin, user.id, { reason: '岗位调整' });
      expect(await tokenVersion(user.id)).toBe(expected + 1);

      const audits = (await auditRows(db.dataSource, { targetId: user.id })).map((a) => a.action);
      expect(audits).toEqual([
        'user.create',
        'user.update',
        'user.update',
        'user.update',
        'user.reset-password',
        'user.disable',
      ]);
      const [, , roleChange] = await auditRows(db.dataSource, { targetId: user.id });
      expect(roleChange.details).toMatchObject({
        roles: { from: ['caseworker'], to: ['caseworker', 'reviewer'] },
        tokensRevoked: true,
      });
    });

    it('optimistic lock: a PATCH with a stale version is refused with 409', async () => {
      const user = await create();
      const first = await users.update(
        cityAdmin,
        user.id,
        dto(UpdateUserDto, { version: user.version, displayName: '甲' }),
      );
      expect(first.version).toBe(user.version + 1);
      await expect(
        users.update(cityAdmin, user.id, dto(UpdateUserDto, { version: user.version, displayName: '乙' })),
      ).rejects.toMatchObject({ code: 'USER_VERSION_CONFLICT' });
      expect((await users.get(cityAdmin, user.id)).displayName).toBe('甲');
    });

    it('refuses role changes that break the rules and moves out of scope', async () => {
      const user = await create();
      await expect(
        users.update(cityAdmin, user.id, dto(UpdateUserDto, { version: 1, roles: ['admin', 'auditor'] })),
      ).rejects.toMatchObject({ code: 'ROLE_CONFLICT' });
      await expect(
        users.update(cityAdmin, user.id, dto(UpdateUserDto, { version: 1, orgUnitId: tree.cityB.id })),
      ).rejects.toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect(await tokenVersion(user.id)).toBe(0);
    });

    it('an administrator cannot change its own roles or unit, disable itself or reset its own password', async () => {
      const admin = await create({ roles: ['admin'] });
      const self = principalOf(admin, tree.cityA);
      await expect(
        users.update(
          self,
          admin.id,
          dto(UpdateUserDto, { version: admin.version, roles: ['admin', 'caseworker'] }),
        ),
      ).rejects.toMatchObject({ code: 'USER_CANNOT_CHANGE_OWN_ROLES' });
      await expect(
        users.update(
          self,
          admin.id,
          dto(UpdateUserDto, { version: admin.version, orgUnitId: tree.districtA.id }),
        ),
      ).rejects.toMatchObject({ code: 'USER_CANNOT_MOVE_SELF' });
      await expect(users.disable(self, admin.id, { reason: '测试' })).rejects.toMatchObject({
        code: 'USER_CANNOT_DISABLE_SELF',
      });
      await expect(
        users.resetPassword(self, admin.id, { newPassword: 'Xinmima2026a' }),
      ).rejects.toMatchObject({
        code: 'USER_CANNOT_RESET_OWN_PASSWORD',
      });
      // Its own display name is fine.
      await expect(
        users.update(self, admin.id, dto(UpdateUserDto, { version: admin.version, displayName: '管理员' })),
      ).resolves.toMatchObject({ displayName: '管理员' });
      expect(await tokenVersion(admin.id)).toBe(0);
    });

    it('a temporary administrator cannot extend or remove its own expiry', async () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      const admin = await create({ roles: ['admin'], expiresAt: tomorrow });
      const self = principalOf(admin, tree.cityA);
      await expect(
        users.update(self, admin.id, dto(UpdateUserDto, { version: admin.version, expiresAt: null })),
      ).rejects.toMatchObject({ code: 'USER_CANNOT_CHANGE_OWN_EXPIRY' });
      const [row] = await db.dataSource.query('SELECT expires_at FROM users WHERE id = $1', [admin.id]);
      expect(row.expires_at).not.toBeNull();
    });

    it('auditor accounts are out of the admin API: no granting the role, no changing, resetting or disabling them', async () => {
      await expect(create({ roles: ['auditor'] })).rejects.toMatchObject({ code: 'USER_AUDITOR_PROTECTED' });
      const user = await create();
      await expect(
        users.update(cityAdmin, user.id, dto(UpdateUserDto, { version: user.version, roles: ['auditor'] })),
      ).rejects.toMatchObject({ code: 'USER_AUDITOR_PROTECTED' });
      // An auditor placed by the operator (npm run users:create-auditor).
      await db.dataSource.query(`UPDATE users SET roles = '{auditor}' WHERE id = $1`, [user.id]);
      const version = Number(
        (await db.dataSource.query('SELECT version FROM users WHERE id = $1', [user.id]))[0].version,
      );
      await expect(
        users.update(cityAdmin, user.id, dto(UpdateUserDto, { version, displayName: '改名' })),
      ).rejects.toMatchObject({ code: 'USER_AUDITOR_PROTECTED' });
      await expect(
        users.resetPassword(cityAdmin, user.id, { newPassword: 'Xinmima2026a' }),
      ).rejects.toMatchObject({
        code: 'USER_AUDITOR_PROTECTED',
      });
      await expect(users.disable(cityAdmin, user.id, { reason: '测试' })).rejects.toMatchObject({
        code: 'USER_AUDITOR_PROTECTED',
      });
      await expect(users.unlock(cityAdmin, user.id)).rejects.toMatchObject({
        code: 'USER_AUDITOR_PROTECTED',
      });
      // Reading it stays allowed (masked), and nothing changed.
      await expect(users.get(cityAdmin, user.id)).resolves.toMatchObject({ roles: ['auditor'] });
      expect(await tokenVersion(user.id)).toBe(0);
    });

    it('disable / enable: reasons, double disable refused, enabling clears the reason', async () => {
      const user = await create();
      const disabled = await users.disable(cityAdmin, user.id, { reason: '长期病假' });
      expect(disabled).toMatchObject({ status: 'disabled', disabledReason: '长期病假' });
      await expect(users.disable(cityAdmin, user.id, { reason: '再次' })).rejects.toMatchObject({
        code: 'USER_ALREADY_DISABLED',
      });
      const enabled = await users.enable(cityAdmin, user.id);
      expect(enabled).toMatchObject({ status: 'active', disabledAt: null, disabledReason: null });
      await expect(users.enable(cityAdmin, user.id)).rejects.toMatchObject({ code: 'USER_NOT_DISABLED' });
    });

    it('unlock clears failed_login_count and locked_until', async () => {
      const user = await create();
      await expect(users.unlock(cityAdmin, user.id)).rejects.toMatchObject({ code: 'USER_NOT_LOCKED' });
      await db.dataSource.query(`UPDATE users SET failed_login_count = 5, locked_until = $2 WHERE id = $1`, [
        user.id,
        new Date(clock.now().getTime() + 15 * 60_000),
      ]);
      expect((await users.get(cityAdmin, user.id)).status).toBe('locked');
      const unlocked = await users.unlock(cityAdmin, user.id);
      expect(unlocked).toMatchObject({ status: 'active', failedLoginCount: 0, lockedUntil: null });
      const [row] = await db.dataSource.query(
        `SELECT failed_login_count, locked_until FROM users WHERE id = $1`,
        [user.id],
      );
      expect(row).toEqual({ failed_login_count: 0, locked_until: null });
      expect(await auditRows(db.dataSource, { action: 'user.unlock', targetId: user.id })).toEqual([
        expect.objectContaining({ details: { failedLoginCount: 5, wasLocked: true } }),
      ]);
    });

    it('reset-password: policy-checked, new hash, must change at next login', async () => {
      const user = await create();
      await db.dataSource.query(`UPDATE users SET must_change_password = false WHERE id = $1`, [user.id]);
      const before = (await repository.findById(user.id))!.passwordHash;
      await expect(
        users.resetPassword(cityAdmin, user.id, { newPassword: 'password1' }),
      ).rejects.toMatchObject({
        code: 'PASSWORD_POLICY_VIOLATION',
      });
      const reset = await users.resetPassword(cityAdmin, user.id, { newPassword: 'Xinmima2026a' });
      expect(reset.mustChangePassword).toBe(true);
      const after = (await repository.findById(user.id))!.passwordHash;
      expect(after).not.toBe(before);
      expect(after).toMatch(/^\$argon2id\$/);
    });

    it('PATCH phone: re-encrypts, checks uniqueness, null removes it', async () => {
      await create({ phone: '13500001111' });
      const user = await create({ phone: '13500002222' });
      await expect(
        users.update(cityAdmin, user.id, dto(UpdateUserDto, { version: user.version, phone: '13500001111' })),
      ).rejects.toMatchObject({ code: 'PHONE_IN_USE' });
      const changed = await users.update(
        cityAdmin,
        user.id,
        dto(UpdateUserDto, { version: user.version, phone: '13500003333' }),
      );
      expect(changed.phone).toBe('135****3333');
      const removed = await users.update(
        cityAdmin,
        user.id,
        dto(UpdateUserDto, { version: changed.version, phone: null }),
      );
      expect(removed.phone).toBeNull();
      const [row] = await db.dataSource.query(
        `SELECT phone_ciphertext, phone_blind_index FROM users WHERE id = $1`,
        [user.id],
      );
      expect(row).toEqual({ phone_ciphertext: null, phone_blind_index: null });
    });
  });

  describe('disableExpired (the daily job)', () => {
    it('disables only temporary accounts past expiresAt, once each, with an audit row each; idempotent', async () => {
      const start = clock.now();
      const soon = await create({ expiresAt: new Date(start.getTime() + DAY).toISOString() });
      const soonToo = await create({
        kind: 'worker',
        roles: [],
        orgUnitId: tree.grassrootsA.id,
        expiresAt: new Date(start.getTime() + DAY + 60_000).toISOString(),
      });
      const later = await create({ expiresAt: new Date(start.getTime() + 10 * DAY).toISOString() });
      const permanent = await create();
      const alreadyDisabled = await create({ expiresAt: new Date(start.getTime() + DAY).toISOString() });
      await users.disable(cityAdmin, alreadyDisabled.id, { reason: '提前停用' });
      const tokenBefore = await tokenVersion(soon.id);

      clock.set(new Date(start.getTime() + 2 * DAY));
      try {
        // Earlier sweeps of other tests may have left nothing else expired; count only ours.
        const first = await users.disableExpired();
        expect(first.disabled).toBeGreaterThanOrEqual(2);

        const status = async (id: string) => (await repository.findById(id))!;
        expect(await status(soon.id)).toMatchObject({ disabledReason: 'expired' });
        expect((await status(soon.id)).disabledAt?.toISOString()).toBe(clock.now().toISOString());
        expect(await status(soonToo.id)).toMatchObject({ disabledReason: 'expired' });
        expect(await status(later.id)).toMatchObject({ disabledAt: null });
        expect(await status(permanent.id)).toMatchObject({ disabledAt: null });
        expect(await status(alreadyDisabled.id)).toMatchObject({ disabledReason: '提前停用' });
        expect(await tokenVersion(soon.id)).toBe(tokenBefore + 1);

        for (const id of [soon.id, soonToo.id]) {
          expect(await auditRows(db.dataSource, { action: 'user.expire', targetId: id })).toEqual([
            expect.objectContaining({
              outcome: 'success',
              actor_id: null,
              details: { reason: 'expired', tokensRevoked: true },
            }),
          ]);
        }
        expect(
          await auditRows(db.dataSource, { action: 'user.expire', targetId: alreadyDisabled.id }),
        ).toEqual([]);

        const again = await users.disableExpired();
        expect(again.disabled).toBe(0);
        expect(await auditRows(db.dataSource, { action: 'user.expire', targetId: soon.id })).toHaveLength(1);
        expect(await tokenVersion(soon.id)).toBe(tokenBefore + 1);

        // An expired account can come back only with a new expiry.
        await expect(users.enable(cityAdmin, soon.id)).rejects.toMatchObject({ code: 'USER_EXPIRED' });
        const current = await users.get(cityAdmin, soon.id);
        await users.update(
          cityAdmin,
          soon.id,
          dto(UpdateUserDto, {
            version: current.version,
            expiresAt: new Date(clock.now().getTime() + DAY).toISOString(),
          }),
        );
        await expect(users.enable(cityAdmin, soon.id)).resolves.toMatchObject({ status: 'active' });
      } finally {
        clock.set(start);
      }
    });
  });
});
