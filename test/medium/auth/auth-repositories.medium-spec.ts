import { DataSource } from 'typeorm';
import { AuthUsersRepository } from '../../../src/modules/auth/auth-users.repository';
import { SessionsRepository } from '../../../src/modules/auth/sessions/sessions.repository';
import { UserEntity } from '../../../src/modules/users/user.entity';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { createOrgUnit } from '../../helpers/factories/users.factory';

const MINUTE = 60_000;

describe('auth repositories on PostgreSQL', () => {
  let db: TestDatabase;
  let users: AuthUsersRepository;
  let sessions: SessionsRepository;
  /** A second pool: concurrent statements really run on different connections, as in two processes. */
  let other: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    users = new AuthUsersRepository(db.dataSource.getRepository(UserEntity));
    sessions = new SessionsRepository(db.dataSource);
    other = new DataSource({ ...db.dataSource.options });
    await other.initialize();
  });
  afterAll(async () => {
    if (other?.isInitialized) await other.destroy();
    await db?.drop();
  });

  const now = new Date('2026-03-02T01:00:00Z');

  describe('AuthUsersRepository.recordFailure', () => {
    it('locks on the fifth consecutive failure, exactly once, under concurrency from two pools', async () => {
      const { user } = await createUser(db.dataSource);
      const otherUsers = new AuthUsersRepository(other.getRepository(UserEntity));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? users : otherUsers).recordFailure(user.id, now, 5, 15)),
      );
      const counted = results.filter((r) => r !== null);
      expect(counted).toHaveLength(5);
      expect(counted.filter((r) => r!.lockedUntil !== null)).toHaveLength(1);
      const [row] = await db.dataSource.query(
        `SELECT failed_login_count, locked_until FROM users WHERE id = $1`,
        [user.id],
      );
      expect(row.failed_login_count).toBe(5);
      expect(new Date(row.locked_until).getTime()).toBe(now.getTime() + 15 * MINUTE);
    });

    it('neither counts nor extends during the lock, and starts again at 1 after it', async () => {
      const { user } = await createUser(db.dataSource, {
        failedLoginCount: 5,
        lockedUntil: new Date(now.getTime() + 5 * MINUTE),
      });
      expect(await users.recordFailure(user.id, now, 5, 15)).toBeNull();
      const after = new Date(now.getTime() + 5 * MINUTE);
      expect(await users.recordFailure(user.id, after, 5, 15)).toEqual({
        failedLoginCount: 1,
        lockedUntil: null,
      });
    });

    it('is cleared by a successful login unless the account is locked at that moment', async () => {
      const { user } = await createUser(db.dataSource, { failedLoginCount: 3 });
      expect(await users.clearFailuresUnlessLocked(user.id, now)).toBe(true);
      expect(await users.recordFailure(user.id, now, 5, 15)).toEqual({
        failedLoginCount: 1,
        lockedUntil: null,
      });
      // Locked by failures counted while the correct password was being checked: the login is refused
      // and the lock stays.
      const lockedUntil = new Date(now.getTime() + 15 * MINUTE);
      const { user: locked } = await createUser(db.dataSource, { failedLoginCount: 5, lockedUntil });
      expect(await users.clearFailuresUnlessLocked(locked.id, now)).toBe(false);
      const [row] = await db.dataSource.query('SELECT locked_until FROM users WHERE id = $1', [locked.id]);
      expect(row.locked_until).toEqual(lockedUntil);
      // Once the lock has run out, a success clears it.
      expect(await users.clearFailuresUnlessLocked(locked.id, new Date(lockedUntil.getTime() + 1))).toBe(
        true,
      );
    });
  });

  it('accepts a TOTP step once, and never an older one, under concurrency', async () => {
    const { user } = await createUser(db.dataSource);
    const otherUsers = new AuthUsersRepository(other.getRepository(UserEntity));
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? users : otherUsers).acceptTotpStep(user.id, 1000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await users.acceptTotpStep(user.id, 999)).toBe(false);
    expect(await users.acceptTotpStep(user.id, 1001)).toBe(true);
  });

  it('bumps the token version and returns it', async () => {
    const { user } = await createUser(db.dataSource, { tokenVersion: 4 });
    expect(await users.bumpTokenVersion(user.id)).toBe(5);
  });

  describe('SessionsRepository', () => {
    async function newSession() {
      const unit = await createOrgUnit(db.dataSource);
      const { user } = await createUser(db.dataSource, { orgUnit: unit });
      const session = await sessions.createSession({
        userId: user.id,
        restriction: null,
        tokenVersion: 0,
        now,
        expiresAt: new Date(now.getTime() + 12 * 60 * MINUTE),
        ip: '203.0.113.9',
        userAgent: 'jest',
      });
      return { user, unit, session };
    }

    it('reads a session with its user and org path in one go', async () => {
      const { user, unit, session } = await newSession();
      expect(await sessions.findSessionWithUser(session.id)).toMatchObject({
        sessionId: session.id,
        userId: user.id,
        username: user.username,
        kind: 'staff',
        roles: ['caseworker'],
        orgUnitId: unit.id,
        orgPath: unit.path,
        sessionTokenVersion: 0,
        userTokenVersion: 0,
        revokedAt: null,
      });
    });

    it('lets exactly one of two concurrent rotations use a refresh token', async () => {
      const { session } = await newSession();
      const token = await sessions.createRefreshToken(session.id, 'a'.repeat(64), now, session.expiresAt);
      const results = await Promise.all(
        [db.dataSource, other].map((ds) =>
          ds.transaction((m) => sessions.markRefreshTokenUsed(token.id, now, m)),
        ),
      );
      expect(results.sort()).toEqual([false, true]);
    });

    it('refuses a second refresh token with the same hash', async () => {
      const { session } = await newSession();
      await sessions.createRefreshToken(session.id, 'b'.repeat(64), now, session.expiresAt);
      await expect(
        sessions.createRefreshToken(session.id, 'b'.repeat(64), now, session.expiresAt),
      ).rejects.toThrow(/uq_auth_refresh_tokens_hash/);
    });

    it('writes last_seen_at only when the touch interval has passed', async () => {
      const { session } = await newSession();
      await sessions.touch(session.id, new Date(now.getTime() + 30_000), 60);
      expect((await sessions.findSessionWithUser(session.id))!.lastSeenAt).toEqual(now);
      const later = new Date(now.getTime() + 60_000);
      await sessions.touch(session.id, later, 60);
      expect((await sessions.findSessionWithUser(session.id))!.lastSeenAt).toEqual(later);
    });

    it('consumes an MFA challenge once, and not after expiry', async () => {
      const { user } = await newSession();
      const challenge = await sessions.createMfaChallenge(
        user.id,
        now,
        new Date(now.getTime() + 5 * MINUTE),
        null,
      );
      expect(await sessions.consumeMfaChallenge(challenge.id, now)).toBe(true);
      expect(await sessions.consumeMfaChallenge(challenge.id, now)).toBe(false);
      const late = await sessions.createMfaChallenge(
        user.id,
        now,
        new Date(now.getTime() + 5 * MINUTE),
        null,
      );
      expect(await sessions.consumeMfaChallenge(late.id, new Date(now.getTime() + 5 * MINUTE))).toBe(false);
    });

    it('closes a challenge after the allowed number of wrong codes', async () => {
      const { user } = await newSession();
      const challenge = await sessions.createMfaChallenge(
        user.id,
        now,
        new Date(now.getTime() + 5 * MINUTE),
        null,
      );
      for (let i = 0; i < 5; i++) await sessions.failMfaChallenge(challenge.id, now, 5);
      expect(await sessions.findOpenMfaChallenge(challenge.id)).toBeNull();
    });
  });
});
