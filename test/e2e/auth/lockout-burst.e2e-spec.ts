import request from 'supertest';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

/**
 * Guesses sent all at once must not buy more than the lockout allows: a correct password that arrives
 * while concurrent failures lock the account is refused, and the lock stays.
 */
describe('lockout under a burst of concurrent guesses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never records a successful login after the lockout, and leaves the account locked', async () => {
    const { user, password } = await createUser(t.db.dataSource, { kind: 'worker', roles: [] });
    const login = (pw: string) =>
      request(t.app.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: pw });
    const attempts = [...Array.from({ length: 9 }, (_, i) => login(`Wrong-guess-${i}`)), login(password)];
    const results = await Promise.all(attempts);
    expect(results.slice(0, 9).every((r) => r.status === 401)).toBe(true);

    const rows: Array<{ action: string; outcome: string }> = await t.db.dataSource.query(
      `SELECT action, outcome FROM audit_logs WHERE actor_id = $1 AND action LIKE 'auth.%' ORDER BY id`,
      [user.id],
    );
    const lockoutAt = rows.findIndex((r) => r.action === 'auth.lockout');
    const successAt = rows.findIndex((r) => r.action === 'auth.login' && r.outcome === 'success');
    if (successAt === -1) {
      // The correct password lost the race: it was refused, and the account is locked.
      expect(results[9]!.status).toBe(401);
      expect(lockoutAt).toBeGreaterThanOrEqual(0);
      const [row] = await t.db.dataSource.query('SELECT locked_until FROM users WHERE id = $1', [user.id]);
      expect(row.locked_until).not.toBeNull();
    } else {
      // It won the race before five failures were counted: no lockout preceded it.
      expect(results[9]!.status).toBe(200);
      expect(lockoutAt === -1 || lockoutAt > successAt).toBe(true);
    }
  });
});
