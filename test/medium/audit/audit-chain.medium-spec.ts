/**
 * The audit log's storage guarantees on real PostgreSQL: a linear hash chain (also under concurrent
 * writers), append-only enforcement by trigger, tamper detection by the verifier and by
 * `npm run audit:verify`, and all-or-nothing with the operation it records.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { requestContext } from '../../../src/common/context/request-context';
import { DomainError } from '../../../src/common/errors';
import { makeIdNumber } from '../../../src/common/validation';
import { processEnv } from '../../../src/config/load-config';
import { GENESIS_HASH } from '../../../src/modules/audit/audit-hash';
import { AuditErrorCode } from '../../../src/modules/audit/audit.errors';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import {
  allRows,
  auditCursor,
  auditHarness,
  AuditHarness,
  countRows,
  staffPrincipal,
} from './audit-fixtures';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Runs `npm run audit:verify`'s command against `url` in a child process. */
function runVerifyCli(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'src/modules/audit/audit-verify.cli.ts'],
      { cwd: ROOT, env: { ...processEnv(), NODE_ENV: 'test', DATABASE_URL: url }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

async function recordSome(h: AuditHarness, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    h.clock.advance(1_000);
    await h.audit.record({
      action: 'archive.read',
      outcome: 'success',
      actor: staffPrincipal(),
      target: { type: 'archive', id: `archive-${i}` },
      details: { step: i },
    });
  }
}

/** A database of its own, for tests that break the chain on purpose. */
async function withScratchDatabase(fn: (db: TestDatabase, h: AuditHarness) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  try {
    await fn(db, await auditHarness(db.dataSource));
  } finally {
    await db.drop();
  }
}

async function tamper(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<void> {
  await dataSource.transaction(async (m) => {
    await m.query('ALTER TABLE audit_logs DISABLE TRIGGER USER');
    await m.query(sql, params);
    await m.query('ALTER TABLE audit_logs ENABLE TRIGGER USER');
  });
}

describe('audit log chain', () => {
  let db: TestDatabase;
  let h: AuditHarness;

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await auditHarness(db.dataSource);
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('appending', () => {
    it('links each row to the previous one, from the genesis hash, and the verifier accepts it', async () => {
      const before = await countRows(db.dataSource);
      await recordSome(h, 3);
      const rows = await allRows(db.dataSource);
      expect(rows).toHaveLength(before + 3);
      rows.forEach((row, i) => {
        expect(row.id).toBe(String(i + 1));
        expect(row.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1].hash);
        expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      });
      const report = await h.audit.verifyChain();
      expect(report).toEqual({
        ok: true,
        rows: rows.length,
        head: { id: rows[rows.length - 1].id, hash: rows[rows.length - 1].hash },
        problems: [],
        truncated: false,
      });
    });

    it('stays one linear, gapless chain under 50 concurrent writers', async () => {
      const before = await countRows(db.dataSource);
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          h.audit.record({
            action: 'need.read',
            outcome: 'success',
            actor: staffPrincipal(),
            details: { i },
          }),
        ),
      );
      const rows = await allRows(db.dataSource);
      expect(rows).toHaveLength(before + 50);
      expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => String(i + 1)));
      expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
      const report = await h.audit.verifyChain({ batchSize: 7 });
      expect(report.ok).toBe(true);
      expect(report.rows).toBe(rows.length);
      // All 50 writes landed, each once.
      expect(
        rows
          .filter((r) => r.action === 'need.read')
          .map((r) => r.details.i as number)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });
  });

  describe('append-only trigger', () => {
    it.each([
      ['UPDATE', `UPDATE audit_logs SET action = 'archive.update' WHERE id = 1`],
      ['DELETE', 'DELETE FROM audit_logs WHERE id = 1'],
      ['TRUNCATE', 'TRUNCATE audit_logs'],
    ])('refuses %s', async (op, sql) => {
      const before = await allRows(db.dataSource);
      expect(before.length).toBeGreaterThan(0);
      await expect(db.dataSource.query(sql)).rejects.toThrow(
        new RegExp(`audit_logs is append-only: ${op} refused`),
      );
      expect(await allRows(db.dataSource)).toEqual(before);
    });

    it('refuses an UPDATE that touches no column it hashes, too', async () => {
      await expect(db.dataSource.query('UPDATE audit_logs SET hash = hash')).rejects.toThrow(/append-only/);
    });
  });

  describe('all or nothing with the operation', () => {
    beforeAll(async () => {
      await db.dataSource.query('CREATE TABLE scratch_changes (id int PRIMARY KEY, note text)');
    });

    it('commits with the caller’s transaction', async () => {
      const before = await countRows(db.dataSource);
      await db.dataSource.transaction(async (m) => {
        await m.query(`INSERT INTO scratch_changes VALUES (1, 'submitted')`);
        await h.audit.record({ action: 'archive.submit', outcome: 'success', actor: staffPrincipal() }, m);
      });
      expect(await countRows(db.dataSource)).toBe(before + 1);
    });

    it('leaves no row when the caller’s transaction rolls back after recording', async () => {
      const before = await countRows(db.dataSource);
      await expect(
        db.dataSource.transaction(async (m) => {
          await h.audit.record({ action: 'archive.submit', outcome: 'success', actor: staffPrincipal() }, m);
          expect(await m.query('SELECT count(*)::int AS n FROM audit_logs')).toEqual([{ n: before + 1 }]);
          await m.query(`INSERT INTO scratch_changes VALUES (1, 'duplicate key')`);
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await countRows(db.dataSource)).toBe(before);
      // The id the rolled-back row held is reused: no hole in the chain.
      await h.audit.record({ action: 'archive.read', outcome: 'success', actor: staffPrincipal() });
      const rows = await allRows(db.dataSource);
      expect(rows[rows.length - 1].id).toBe(String(before + 1));
      expect((await h.audit.verifyChain()).ok).toBe(true);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a value JSON cannot carry', { amount: BigInt(5) }, /BigInt/],
      [
        'a circular value',
        (() => {
          const c: Record<string, unknown> = {};
          c.self = c;
          return { c };
        })(),
        /circular/i,
      ],
      ['an ID number', { note: `证件 ${makeIdNumber()}` }, /身份证号或手机号/],
      ['a mobile number', { contact: '13812342210' }, /身份证号或手机号/],
      ['too much', { blob: 'x'.repeat(5000) }, /过大/],
    ])(
      'fails the operation when details hold %s, and the change rolls back',
      async (_name, details, error) => {
        const before = await countRows(db.dataSource);
        await expect(
          db.dataSource.transaction(async (m) => {
            await m.query(`INSERT INTO scratch_changes VALUES (2, 'approved')`);
            await h.audit.record(
              { action: 'archive.approve', outcome: 'success', actor: staffPrincipal(), details },
              m,
            );
          }),
        ).rejects.toThrow(error);
        expect(await db.dataSource.query('SELECT * FROM scratch_changes WHERE id = 2')).toEqual([]);
        expect(await countRows(db.dataSource)).toBe(before);
      },
    );

    it.each([
      ['an action name out of pattern', { action: 'ArchiveRead' }],
      ['a one-word action', { action: 'login' }],
      ['an unknown outcome', { outcome: 'maybe' }],
      ['a target type out of pattern', { target: { type: 'Archive', id: '1' } }],
      ['an ID number as target id', { target: { type: 'person', id: makeIdNumber() } }],
    ])('refuses %s (a programming error)', async (_name, change) => {
      await expect(
        h.audit.record({ action: 'archive.read', outcome: 'success', ...change } as never),
      ).rejects.toThrow(/不合法/);
    });

    it('fails the operation with AUDIT_WRITE_FAILED when the database refuses the write', async () => {
      await db.dataSource.query('ALTER TABLE audit_logs RENAME TO audit_logs_away');
      try {
        await expect(
          db.dataSource.transaction(async (m) => {
            await m.query(`INSERT INTO scratch_changes VALUES (3, 'exported')`);
            await h.audit.record({ action: 'export.create', outcome: 'success', actor: staffPrincipal() }, m);
          }),
        ).rejects.toEqual(new DomainError(AuditErrorCode.AUDIT_WRITE_FAILED));
        await expect(
          h.audit.record({ action: 'auth.login', outcome: 'failure', actor: null }),
        ).rejects.toMatchObject({ code: AuditErrorCode.AUDIT_WRITE_FAILED });
      } finally {
        await db.dataSource.query('ALTER TABLE audit_logs_away RENAME TO audit_logs');
      }
      expect(await db.dataSource.query('SELECT * FROM scratch_changes WHERE id = 3')).toEqual([]);
    });

    it('never forks the chain from a stale snapshot (REPEATABLE READ caller): the write fails instead', async () => {
      await expect(
        db.dataSource.transaction('REPEATABLE READ', async (m) => {
          await m.query('SELECT count(*) FROM audit_logs'); // the snapshot is taken here
          await h.audit.record({ action: 'archive.read', outcome: 'success', actor: staffPrincipal() });
          await h.audit.record({ action: 'archive.submit', outcome: 'success', actor: staffPrincipal() }, m);
        }),
      ).rejects.toMatchObject({ code: AuditErrorCode.AUDIT_WRITE_FAILED });
      const report = await h.audit.verifyChain();
      expect(report.ok).toBe(true);
      expect(report.rows).toBe(await countRows(db.dataSource));
    });

    it('takes a transaction of its own when handed a manager outside any transaction (the lock needs one)', async () => {
      const before = await countRows(db.dataSource);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          h.audit.record(
            { action: 'archive.read', outcome: 'success', actor: staffPrincipal() },
            db.dataSource.manager,
          ),
        ),
      );
      expect(await countRows(db.dataSource)).toBe(before + 20);
      expect((await h.audit.verifyChain()).ok).toBe(true);
    });
  });

  describe('row contents', () => {
    it('holds time, actor, roles, unit, action, target, outcome, client IP, request id and the previous hash', async () => {
      const principal = staffPrincipal({ username: 'wang.reviewer', roles: ['reviewer', 'approver'] });
      h.clock.set('2026-03-02T09:15:30.123+08:00');
      const [previous] = await db.dataSource.query('SELECT hash FROM audit_logs ORDER BY id DESC LIMIT 1');
      await requestContext.run(
        { requestId: 'req-abc-123', ip: '10.1.2.3', userAgent: 'jest', principal },
        () =>
          h.audit.record({
            action: 'archive.approve',
            outcome: 'success',
            target: { type: 'archive', id: '0b6c7a4e-1111-4222-8333-444455556666' },
            details: { from: 'approving', to: 'publicizing' },
          }),
      );
      const rows = await allRows(db.dataSource);
      const row = rows[rows.length - 1];
      expect(row).toEqual({
        id: String(rows.length),
        occurred_at: new Date('2026-03-02T01:15:30.123Z'),
        actor_id: principal.userId,
        actor_username: 'wang.reviewer',
        actor_kind: 'staff',
        actor_roles: ['reviewer', 'approver'],
        actor_org_unit_id: principal.orgUnitId,
        action: 'archive.approve',
        target_type: 'archive',
        target_id: '0b6c7a4e-1111-4222-8333-444455556666',
        outcome: 'success',
        client_ip: '10.1.2.3',
        request_id: 'req-abc-123',
        details: { from: 'approving', to: 'publicizing' },
        prev_hash: (previous as { hash: string }).hash,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // Stored to the millisecond exactly as hashed: no microsecond rounding.
      const [{ us }] = await db.dataSource.query(
        `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'SS.US') AS us FROM audit_logs WHERE id = $1`,
        [row.id],
      );
      expect(us).toBe('30.123000');
      expect((await h.audit.verifyChain()).ok).toBe(true);
    });

    it('records an anonymous failed login with the typed name, and masks a name that is a phone number', async () => {
      await requestContext.run({ requestId: 'req-login-1', ip: '192.0.2.7', userAgent: null }, async () => {
        await h.audit.record({
          action: 'auth.login',
          outcome: 'failure',
          actor: { username: 'nobody' },
          details: { reason: 'INVALID_CREDENTIALS' },
        });
        await h.audit.record({
          action: 'auth.login',
          outcome: 'failure',
          actor: { username: '13812342210' },
        });
      });
      const rows = await allRows(db.dataSource);
      const [first, second] = rows.slice(-2);
      expect(first).toMatchObject({
        actor_id: null,
        actor_username: 'nobody',
        actor_kind: null,
        actor_roles: [],
        actor_org_unit_id: null,
        action: 'auth.login',
        outcome: 'failure',
        client_ip: '192.0.2.7',
        request_id: 'req-login-1',
        details: { reason: 'INVALID_CREDENTIALS' },
      });
      expect(second.actor_username).toBe('138****2210');
    });

    it('lets an explicit actor and IP override the request context (jobs, login before a principal exists)', async () => {
      const principal = staffPrincipal();
      await requestContext.run({ requestId: 'req-2', ip: '10.9.9.9', userAgent: null, principal }, () =>
        h.audit.record({
          action: 'users.disable-expired',
          outcome: 'success',
          actor: { kind: 'system', username: 'job:users.disable-expired' },
          ip: null,
        }),
      );
      const rows = await allRows(db.dataSource);
      expect(rows[rows.length - 1]).toMatchObject({ actor_id: null, actor_kind: 'system', client_ip: null });
    });

    it('recordRead writes exactly one `<type>.read` row for the principal', async () => {
      const principal = staffPrincipal();
      const cursor = await auditCursor(db.dataSource);
      await h.audit.recordRead(principal, 'archive', 'a-1', { fields: ['members'] });
      const rows = await cursor.rowsSince();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor_id: principal.userId,
        action: 'archive.read',
        target_type: 'archive',
        target_id: 'a-1',
        outcome: 'success',
        details: { fields: ['members'] },
      });
    });

    it('the guard’s AUTHORIZATION_AUDIT records access.denied with the action and route, never the query string', async () => {
      const principal = staffPrincipal({ roles: ['caseworker'] });
      await requestContext.run({ requestId: 'req-3', ip: '10.0.0.1', userAgent: null, principal }, () =>
        h.recorder.denied(principal, 'audit-logs.read', '/api/v1/audit-logs?actorUsername=13812342210'),
      );
      const rows = await allRows(db.dataSource);
      expect(rows[rows.length - 1]).toMatchObject({
        actor_id: principal.userId,
        actor_roles: ['caseworker'],
        action: 'access.denied',
        outcome: 'denied',
        target_type: 'route',
        target_id: '/api/v1/audit-logs',
        details: { action: 'audit-logs.read', route: '/api/v1/audit-logs' },
        client_ip: '10.0.0.1',
      });
    });
  });
});

describe('tamper detection', () => {
  it('reports the exact row whose content was changed, and audit:verify exits 1', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 5);
      const ok = await runVerifyCli(db.url);
      expect(ok).toMatchObject({ code: 0 });
      expect(ok.stdout).toContain('audit chain ok: 5 rows');

      await tamper(db.dataSource, `UPDATE audit_logs SET action = 'archive.export' WHERE id = 3`);

      const report = await h.audit.verifyChain();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([{ id: '3', kind: 'hash_mismatch', detail: expect.any(String) }]);
      const broken = await runVerifyCli(db.url);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('id=3 hash_mismatch');
    });
  });

  it('reports a deleted middle row as a gap and a broken link on the row after it', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 5);
      await tamper(db.dataSource, 'DELETE FROM audit_logs WHERE id = 3');
      const report = await h.audit.verifyChain({ batchSize: 2 });
      expect(report.ok).toBe(false);
      expect(report.rows).toBe(4);
      expect(report.problems).toEqual([
        { id: '4', kind: 'gap', detail: expect.stringContaining('3') },
        { id: '4', kind: 'broken_link', detail: expect.any(String) },
      ]);
    });
  });

  it('reports a changed row whose hash was recomputed as a broken link on the next row', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 4);
      // A forger who knows the format rewrites row 2 consistently; row 3 still links to the old hash.
      await tamper(db.dataSource, `UPDATE audit_logs SET hash = $1 WHERE id = 2`, ['a'.repeat(64)]);
      const report = await h.audit.verifyChain();
      expect(report.problems).toEqual([
        { id: '2', kind: 'hash_mismatch', detail: expect.any(String) },
        { id: '3', kind: 'broken_link', detail: expect.any(String) },
      ]);
    });
  });

  it('notices a time changed by less than a millisecond', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 2);
      await tamper(
        db.dataSource,
        `UPDATE audit_logs SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = 1`,
      );
      expect((await h.audit.verifyChain()).problems).toEqual([
        { id: '1', kind: 'hash_mismatch', detail: expect.any(String) },
      ]);
    });
  });

  it('caps the list of problems and says so', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 6);
      await tamper(db.dataSource, `UPDATE audit_logs SET outcome = 'failure'`);
      const report = await h.audit.verifyChain({ maxProblems: 4 });
      expect(report.problems.map((p) => p.id)).toEqual(['1', '2', '3', '4']);
      expect(report.truncated).toBe(true);
      expect(report.rows).toBe(6);
    });
  });
});
