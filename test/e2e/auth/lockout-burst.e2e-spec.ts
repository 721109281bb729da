import request from 'supertest';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

/**
 * Guesses sent all at once must not buy more than the lockout allows: a correct password that arrives
 * while concurrent failures lock the account is refused, and the lock stays. The assertions hold for
 * every interleaving (the correct password first, in the middle or last), so none of them passes with
 * the lockout gone.
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

    const rows: Array<{ action: string; outcome: string; details: { consecutiveFailures?: number | null } }> =
      await t.db.dataSource.query(
        `SELECT action, outcome, details FROM audit_logs WHERE actor_id = $1 AND action LIKE 'auth.%' ORDER BY id`,
        [user.id],
      );
    const successes = rows.flatMap((r, i) =>
      r.action === 'auth.login' && r.outcome === 'success' ? [i] : [],
    );
    const lockouts = rows.flatMap((r, i) => (r.action === 'auth.lockout' ? [i] : []));
    // Whatever the interleaving: the correct password got in only if it was counted before the lock…
    expect(successes.length).toBeLessThanOrEqual(1);
    expect(results[9]!.status).toBe(successes.length === 1 ? 200 : 401);
    // …nine wrong guesses with maxFailures 5 lock the account exactly once, after any success…
    expect(lockouts).toHaveLength(1);
    if (successes.length === 1) expect(lockouts[0]).toBeGreaterThan(successes[0]!);
    // …exactly five failures were counted since the last success (1…5, the fifth locking), and every
    // failure after the lock was refused without being counted.
    const sinceSuccess = rows.slice((successes[0] ?? -1) + 1);
    const counted = sinceSuccess
      .filter(
        (r) => r.action === 'auth.login' && r.outcome === 'failure' && r.details.consecutiveFailures != null,
      )
      .map((r) => r.details.consecutiveFailures);
    expect(counted.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(rows[lockouts[0]!]!.details.consecutiveFailures).toBe(5);
    expect(rows.filter((r) => r.action === 'auth.login' && r.outcome === 'failure')).toHaveLength(
      successes.length === 1 ? 9 : 10,
    );
    const [row] = await t.db.dataSource.query(
      'SELECT failed_login_count, locked_until FROM users WHERE id = $1',
      [user.id],
    );
    expect(row.failed_login_count).toBe(5);
    expect(row.locked_until).not.toBeNull();
  });
});
