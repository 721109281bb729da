/**
 * The audit log's storage guarantees on real PostgreSQL: appends that never wait on one another, a
 * linear hash chain built by the sealer in commit-safe order (also with writers and sealers in two
 * application instances at once), append-only enforcement by trigger on both tables, tamper detection by
 * the verifier and by `npm run audit:verify`, and all-or-nothing with the operation it records.
 * Every test sets up the rows it asserts on (the file passes in any order, and each test alone).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { requestContext } from '../../../src/common/context/request-context';
import { DomainError } from '../../../src/common/errors';
import { makeIdNumber } from '../../../src/common/validation';
import { processEnv } from '../../../src/config/load-config';
import { APP_ROLE } from '../../../src/database/app-role';
import { GENESIS_HASH } from '../../../src/modules/audit/audit-hash';
import { AuditErrorCode } from '../../../src/modules/audit/audit.errors';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import {
  allLinks,
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

/** What only the tables' owner can do: switch the append-only triggers off for one statement. */
async function tamper(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<void> {
  await dataSource.transaction(async (m) => {
    await m.query('ALTER TABLE audit_logs DISABLE TRIGGER USER');
    await m.query('ALTER TABLE audit_chain DISABLE TRIGGER USER');
    await m.query(sql, params);
    await m.query('ALTER TABLE audit_chain ENABLE TRIGGER USER');
    await m.query('ALTER TABLE audit_logs ENABLE TRIGGER USER');
  });
}

function readRow(h: AuditHarness, i: number): Promise<void> {
  return h.audit.record({
    action: 'need.read',
    outcome: 'success',
    actor: staffPrincipal(),
    details: { i },
  });
}

/** Resolves when `promise` does, rejects if it takes longer than `ms` (a writer that waits on a lock). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} waited longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
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

  describe('appending and sealing', () => {
    it('appends rows unlinked; the sealer links them from the genesis hash and the verifier accepts it', async () => {
      await withScratchDatabase(async (scratch, s) => {
        await recordSome(s, 3);
        expect(await allLinks(scratch.dataSource)).toEqual([]);
        expect(await s.sealer.seal()).toEqual({ sealed: 3, busy: false });
        const rows = await allRows(scratch.dataSource);
        const links = await allLinks(scratch.dataSource);
        expect(links.map((l) => [l.seq, l.audit_log_id, l.audit_xid])).toEqual(
          rows.map((r, i) => [String(i + 1), r.id, r.xid]),
        );
        links.forEach((link, i) => {
          expect(link.prev_hash).toBe(i === 0 ? GENESIS_HASH : links[i - 1].hash);
          expect(link.hash).toMatch(/^[0-9a-f]{64}$/);
        });
        // Nothing new: a second run links nothing.
        expect(await s.sealer.seal()).toEqual({ sealed: 0, busy: false });
        const report = await s.audit.verifyChain();
        expect(report).toEqual({
          ok: true,
          rows: 3,
          head: { seq: '3', id: rows[2].id, hash: links[2].hash },
          problems: [],
          truncated: false,
          unsealed: { count: 0, oldestId: null, oldestAt: null },
        });
      });
    });

    it('lets a writer commit while another audited transaction is still open (no lock between writers)', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let recorded!: () => void;
      const openTransactionRecorded = new Promise<void>((resolve) => (recorded = resolve));
      const slow = db.dataSource.transaction(async (m) => {
        await h.audit.record({ action: 'archive.update', outcome: 'success', actor: staffPrincipal() }, m);
        recorded();
        await released;
      });
      await openTransactionRecorded;
      try {
        // With a chain lock this would wait for `slow`, which waits for this: it would never finish.
        await within(readRow(h, 1), 5_000, 'an append');
        await within(
          db.dataSource.transaction((m) =>
            h.audit.record({ action: 'archive.submit', outcome: 'success', actor: staffPrincipal() }, m),
          ),
          5_000,
          'an append in a transaction',
        );
      } finally {
        release();
        await slow;
      }
    });

    it('never seals past a transaction that is still open, then links in transaction order once it ends', async () => {
      await withScratchDatabase(async (scratch, s) => {
        await recordSome(s, 1); // sealed below: the chain has a head to continue from
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let recorded!: () => void;
        const earlierRecorded = new Promise<void>((resolve) => (recorded = resolve));
        // The earlier transaction writes its row first (lower xid) but commits last.
        const earlier = scratch.dataSource.transaction(async (m) => {
          await s.audit.record({ action: 'archive.update', outcome: 'success', actor: staffPrincipal() }, m);
          recorded();
          await released;
        });
        await earlierRecorded;
        await recordSome(s, 2); // later transactions, committed now
        // Only the row older than the open transaction can be sealed: the later ones wait for it.
        expect(await s.sealer.seal()).toEqual({ sealed: 1, busy: false });
        release();
        await earlier;
        expect(await s.sealer.seal()).toEqual({ sealed: 3, busy: false });
        const rows = await allRows(scratch.dataSource);
        const byXid = [...rows].sort((a, b) => Number(BigInt(a.xid) - BigInt(b.xid)));
        const links = await allLinks(scratch.dataSource);
        expect(links.map((l) => l.audit_log_id)).toEqual(byXid.map((r) => r.id));
        // The open transaction's row (id 2) comes before the rows committed while it was open (ids 3, 4).
        expect(links.map((l) => l.audit_log_id)).toEqual(['1', '2', '3', '4']);
        expect((await s.audit.verifyChain()).ok).toBe(true);
      });
    });

    it('stays one valid chain with no gaps and no duplicates: 50 transactions from two application instances, two sealers', async () => {
      await withScratchDatabase(async (scratch, s1) => {
        const second = new DataSource(scratch.dataSource.options);
        await second.initialize();
        try {
          const s2 = await auditHarness(second);
          // Sealers of both instances run again and again while the 50 writers append.
          let writing = true;
          const sealerLoop = async (x: AuditHarness) => {
            let sealed = 0;
            while (writing) sealed += (await x.sealer.seal()).sealed;
            return sealed;
          };
          const loops = [sealerLoop(s1), sealerLoop(s2)];
          await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
              (i % 2 === 0 ? scratch.dataSource : second).transaction((m) =>
                (i % 2 === 0 ? s1 : s2).audit.record(
                  { action: 'need.read', outcome: 'success', actor: staffPrincipal(), details: { i } },
                  m,
                ),
              ),
            ),
          );
          writing = false;
          const sealedInLoops = (await Promise.all(loops)).reduce((a, b) => a + b, 0);
          const rest = await s2.sealer.seal({ wait: true });
          expect(sealedInLoops + rest.sealed).toBe(50);

          const rows = await allRows(scratch.dataSource);
          const links = await allLinks(scratch.dataSource);
          expect(rows).toHaveLength(50);
          expect(links.map((l) => l.seq)).toEqual(links.map((_, i) => String(i + 1)));
          expect(new Set(links.map((l) => l.audit_log_id)).size).toBe(50);
          expect(new Set(links.map((l) => l.audit_log_id))).toEqual(new Set(rows.map((r) => r.id)));
          expect(rows.map((r) => r.details.i as number).sort((a, b) => a - b)).toEqual(
            Array.from({ length: 50 }, (_, i) => i),
          );
          const report = await s1.audit.verifyChain({ batchSize: 7 });
          expect(report).toMatchObject({ ok: true, rows: 50, problems: [], unsealed: { count: 0 } });
        } finally {
          await second.destroy();
        }
      });
    });

    it('leaves a second sealer with nothing to do while one holds the lock', async () => {
      await recordSome(h, 2);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const lockHeld = new Promise<void>((resolve) => (holding = resolve));
      const first = h.repository.asSealer(true, async () => {
        holding();
        await released;
        return 0;
      });
      await lockHeld;
      try {
        expect(await h.sealer.seal({ wait: false })).toEqual({ sealed: 0, busy: true });
      } finally {
        release();
        await first;
      }
      expect((await h.sealer.seal({ wait: false })).busy).toBe(false);
    });

    it('reports rows left unsealed longer than the configured time as a fault', async () => {
      await withScratchDatabase(async (scratch, s) => {
        s.clock.set('2026-03-02T09:00:00+08:00');
        await recordSome(s, 1);
        // A row the sealer can never reach: written behind the chain's head (a forged insert, or a
        // transaction id from before the head), as tampering would leave it.
        await s.sealer.seal();
        await scratch.dataSource.query(
          `INSERT INTO audit_logs (xid, occurred_at, action, outcome) VALUES (0, '2026-03-02T00:00:00Z', 'archive.read', 'success')`,
        );
        s.clock.set('2026-03-02T09:10:00+08:00'); // 10 minutes later; the fault threshold is 5 minutes
        const report = await s.audit.verifyChain();
        expect(report.ok).toBe(false);
        expect(report.problems).toEqual([]);
        expect(report.unsealed).toEqual({
          count: 1,
          oldestId: '2',
          oldestAt: new Date('2026-03-02T00:00:00Z'),
        });
        const cli = await runVerifyCli(scratch.url);
        expect(cli.code).toBe(1);
        expect(cli.stderr).toMatch(/UNSEALED: 1 rows .*oldest id=2/);
      });
    });
  });

  describe('append-only triggers', () => {
    it.each([
      ['audit_logs', 'UPDATE', `UPDATE audit_logs SET action = 'archive.update'`],
      ['audit_logs', 'UPDATE', 'UPDATE audit_logs SET details = details'],
      ['audit_logs', 'DELETE', 'DELETE FROM audit_logs'],
      ['audit_logs', 'TRUNCATE', 'TRUNCATE audit_logs CASCADE'],
      ['audit_chain', 'UPDATE', `UPDATE audit_chain SET hash = hash`],
      ['audit_chain', 'DELETE', 'DELETE FROM audit_chain'],
      ['audit_chain', 'TRUNCATE', 'TRUNCATE audit_chain'],
    ])('%s refuses %s (%s), even to the owner', async (table, op, sql) => {
      await recordSome(h, 2);
      await h.sealer.seal({ wait: true });
      const rowsBefore = await allRows(db.dataSource);
      const linksBefore = await allLinks(db.dataSource);
      expect(linksBefore.length).toBeGreaterThan(0);
      await expect(db.owner.query(sql)).rejects.toThrow(new RegExp(`${table} is append-only: ${op} refused`));
      expect(await allRows(db.dataSource)).toEqual(rowsBefore);
      expect(await allLinks(db.dataSource)).toEqual(linksBefore);
    });
  });

  describe('the application role (what the app connects as)', () => {
    it('works as bangfu_app, which owns no table', async () => {
      expect(await db.dataSource.query('SELECT current_user AS "user"')).toEqual([{ user: APP_ROLE }]);
      const owned = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`,
      );
      expect(owned).toEqual([{ n: 0 }]);
    });

    it.each([
      ['ALTER TABLE audit_logs DISABLE TRIGGER USER', /must be owner of table audit_logs/],
      [
        'ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only',
        /must be owner of table audit_chain/,
      ],
      [
        'DROP TRIGGER audit_chain_append_only ON audit_chain',
        /must be owner of (table|relation) audit_chain/,
      ],
      ['DELETE FROM audit_logs', /permission denied for table audit_logs/],
      ['UPDATE audit_chain SET hash = hash', /permission denied for table audit_chain/],
      ['TRUNCATE audit_logs CASCADE', /permission denied for table audit_logs/],
      ['SET session_replication_role = replica', /permission denied to set parameter/],
      ['CREATE TABLE sneaky (id int)', /permission denied for schema public/],
    ])('cannot %s', async (sql, refusal) => {
      await recordSome(h, 2);
      await h.sealer.seal({ wait: true });
      const rowsBefore = await allRows(db.dataSource);
      const linksBefore = await allLinks(db.dataSource);
      await expect(db.dataSource.query(sql)).rejects.toThrow(refusal);
      expect(await allRows(db.dataSource)).toEqual(rowsBefore);
      expect(await allLinks(db.dataSource)).toEqual(linksBefore);
    });
  });

  describe('all or nothing with the operation', () => {
    beforeAll(async () => {
      await db.owner.query('CREATE TABLE scratch_changes (id int PRIMARY KEY, note text)');
    });

    it('commits with the caller’s transaction', async () => {
      const before = await countRows(db.dataSource);
      await db.dataSource.transaction(async (m) => {
        await m.query(`INSERT INTO scratch_changes VALUES (1, 'submitted')`);
        await h.audit.record({ action: 'archive.submit', outcome: 'success', actor: staffPrincipal() }, m);
      });
      expect(await countRows(db.dataSource)).toBe(before + 1);
    });

    it('leaves no row when the caller’s transaction rolls back after recording, and no hole in the chain', async () => {
      await withScratchDatabase(async (scratch, s) => {
        await scratch.owner.query('CREATE TABLE scratch_changes (id int PRIMARY KEY, note text)');
        await scratch.dataSource.query(`INSERT INTO scratch_changes VALUES (1, 'submitted')`);
        await expect(
          scratch.dataSource.transaction(async (m) => {
            await s.audit.record(
              { action: 'archive.submit', outcome: 'success', actor: staffPrincipal() },
              m,
            );
            expect(await m.query('SELECT count(*)::int AS n FROM audit_logs')).toEqual([{ n: 1 }]);
            await m.query(`INSERT INTO scratch_changes VALUES (1, 'duplicate key')`);
          }),
        ).rejects.toThrow(/duplicate key/);
        expect(await countRows(scratch.dataSource)).toBe(0);
        await s.audit.record({ action: 'archive.read', outcome: 'success', actor: staffPrincipal() });
        // The rolled-back row's id stays unused; the chain has no hole: it never saw that row.
        const rows = await allRows(scratch.dataSource);
        expect(rows.map((r) => r.id)).toEqual(['2']);
        const report = await s.audit.verifyChain();
        expect(report).toMatchObject({ ok: true, rows: 1, head: { seq: '1', id: '2' } });
      });
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
      await db.owner.query('ALTER TABLE audit_logs RENAME TO audit_logs_away');
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
        await db.owner.query('ALTER TABLE audit_logs_away RENAME TO audit_logs');
      }
      expect(await db.dataSource.query('SELECT * FROM scratch_changes WHERE id = 3')).toEqual([]);
    });

    it('keeps one chain when callers run REPEATABLE READ (a stale snapshot cannot fork it)', async () => {
      const cursor = await auditCursor(db.dataSource);
      await db.dataSource.transaction('REPEATABLE READ', async (m) => {
        await m.query('SELECT count(*) FROM audit_logs'); // the snapshot is taken here
        await h.audit.record({ action: 'archive.read', outcome: 'success', actor: staffPrincipal() });
        await h.audit.record({ action: 'archive.submit', outcome: 'success', actor: staffPrincipal() }, m);
      });
      expect(await cursor.rowsSince()).toHaveLength(2);
      const report = await h.audit.verifyChain();
      expect(report).toMatchObject({ ok: true, unsealed: { count: 0 } });
      expect(report.rows).toBe((await allLinks(db.dataSource)).length);
    });

    it('writes a row of its own when handed a manager outside any transaction', async () => {
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
    it('holds time, actor, roles, unit, action, target, outcome, client IP, request id and its transaction', async () => {
      const principal = staffPrincipal({ username: 'wang.reviewer', roles: ['reviewer', 'approver'] });
      h.clock.set('2026-03-02T09:15:30.123+08:00');
      const cursor = await auditCursor(db.dataSource);
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
      const [row] = await cursor.rowsSince();
      expect(row).toEqual({
        id: expect.stringMatching(/^\d+$/),
        xid: expect.stringMatching(/^[1-9]\d*$/),
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
  it('reports the exact row whose content was changed, and audit:verify exits 1 naming it', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 5);
      // The command seals before it verifies: nothing was sealed yet.
      const ok = await runVerifyCli(db.url);
      expect(ok).toMatchObject({ code: 0 });
      expect(ok.stdout).toContain('audit chain ok: 5 rows');

      await tamper(db.owner, `UPDATE audit_logs SET action = 'archive.export' WHERE id = 3`);

      const report = await h.audit.verifyChain();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        { seq: '3', id: '3', kind: 'hash_mismatch', detail: expect.any(String) },
      ]);
      const broken = await runVerifyCli(db.url);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('seq=3 id=3 hash_mismatch');
    });
  });

  it('reports a deleted sealed row as missing', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 4);
      await h.sealer.seal();
      await tamper(db.owner, 'DELETE FROM audit_logs WHERE id = 2');
      const report = await h.audit.verifyChain();
      expect(report.problems).toEqual([
        { seq: '2', id: '2', kind: 'missing_row', detail: expect.any(String) },
      ]);
    });
  });

  it('reports a deleted middle link as a gap and a broken link on the link after it', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 5);
      await h.sealer.seal();
      await tamper(db.owner, 'DELETE FROM audit_chain WHERE seq = 3');
      const report = await h.audit.verifyChain({ batchSize: 2 });
      expect(report.ok).toBe(false);
      expect(report.rows).toBe(4);
      expect(report.problems).toEqual([
        { seq: '4', id: '4', kind: 'gap', detail: expect.stringContaining('3') },
        { seq: '4', id: '4', kind: 'broken_link', detail: expect.any(String) },
      ]);
      // And the row it sealed is now an unsealed row behind the head: a fault once old enough.
      h.clock.advance(3_600_000);
      expect((await h.audit.verifyChain()).unsealed).toMatchObject({ count: 1, oldestId: '3' });
    });
  });

  it('reports a link whose hash was recomputed as a broken link on the next one', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 4);
      await h.sealer.seal();
      // A forger who knows the format rewrites link 2 consistently; link 3 still links to the old hash.
      await tamper(db.owner, `UPDATE audit_chain SET hash = $1 WHERE seq = 2`, ['a'.repeat(64)]);
      const report = await h.audit.verifyChain();
      expect(report.problems).toEqual([
        { seq: '2', id: '2', kind: 'hash_mismatch', detail: expect.any(String) },
        { seq: '3', id: '3', kind: 'broken_link', detail: expect.any(String) },
      ]);
    });
  });

  it('notices a time changed by less than a millisecond', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 2);
      await h.sealer.seal();
      await tamper(
        db.owner,
        `UPDATE audit_logs SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = 1`,
      );
      expect((await h.audit.verifyChain()).problems).toEqual([
        { seq: '1', id: '1', kind: 'hash_mismatch', detail: expect.any(String) },
      ]);
    });
  });

  it('caps the list of problems and says so', async () => {
    await withScratchDatabase(async (db, h) => {
      await recordSome(h, 6);
      await h.sealer.seal();
      await tamper(db.owner, `UPDATE audit_logs SET outcome = 'failure'`);
      const report = await h.audit.verifyChain({ maxProblems: 4 });
      expect(report.problems.map((p) => p.seq)).toEqual(['1', '2', '3', '4']);
      expect(report.truncated).toBe(true);
      expect(report.rows).toBe(6);
    });
  });
});
