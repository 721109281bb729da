/**
 * Listing the audit log (what GET /audit-logs serves): filters, paging, newest-first order, the
 * auditor's scope in the org tree, and the listing recorded as `audit-logs.read`.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../src/common/errors';
import { AuditErrorCode } from '../../../src/modules/audit/audit.errors';
import type { AuditLogQuery } from '../../../src/modules/audit/audit.service';
import type { OrgLevel } from '../../../src/modules/org-units/org-unit.entity';
import type { Principal } from '../../../src/modules/auth/principal';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { allRows, auditHarness, AuditHarness, staffPrincipal } from './audit-fixtures';

interface Unit {
  id: string;
  path: string;
}

async function insertUnit(ds: DataSource, name: string, level: OrgLevel, parent: Unit | null): Promise<Unit> {
  const id = randomUUID();
  const path = `${parent?.path ?? '/'}${id}/`;
  await ds.query(
    `INSERT INTO org_units (id, parent_id, name, level, region_code, path) VALUES ($1, $2, $3, $4, '320000', $5)`,
    [id, parent?.id ?? null, name, level, path],
  );
  return { id, path };
}

describe('AuditService.list', () => {
  let db: TestDatabase;
  let h: AuditHarness;
  const units = {} as Record<
    'national' | 'province' | 'city' | 'district' | 'grassroots' | 'siblingCity',
    Unit
  >;
  const actors = {} as Record<'national' | 'city' | 'grassroots' | 'siblingCity', Principal>;
  const auditors = {} as Record<'national' | 'province' | 'city' | 'grassroots', Principal>;

  const query = (q: Partial<AuditLogQuery> = {}): AuditLogQuery => ({ page: 1, pageSize: 100, ...q });
  /** Rows other than the auditors' own listings (each list() call adds one). */
  const events = <T extends { action: string }>(rows: T[]) =>
    rows.filter((r) => r.action !== 'audit-logs.read');

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await auditHarness(db.dataSource);
    const ds = db.dataSource;
    units.national = await insertUnit(ds, '中华全国总工会', 'national', null);
    units.province = await insertUnit(ds, '江苏省总工会', 'province', units.national);
    units.city = await insertUnit(ds, '南京市总工会', 'city', units.province);
    units.siblingCity = await insertUnit(ds, '苏州市总工会', 'city', units.province);
    units.district = await insertUnit(ds, '玄武区总工会', 'district', units.city);
    units.grassroots = await insertUnit(ds, '玄武区某公司工会', 'grassroots', units.district);

    const staffAt = (unit: Unit, roles: Principal['roles'], username: string) =>
      staffPrincipal({ orgUnitId: unit.id, orgPath: unit.path, roles, username });
    actors.national = staffAt(units.national, ['admin'], 'qz.admin');
    actors.city = staffAt(units.city, ['reviewer'], 'nj.reviewer');
    actors.grassroots = staffAt(units.grassroots, ['caseworker'], 'xw.caseworker');
    actors.siblingCity = staffAt(units.siblingCity, ['caseworker'], 'sz.caseworker');
    auditors.national = staffAt(units.national, ['auditor'], 'qz.auditor');
    auditors.province = staffAt(units.province, ['auditor'], 'js.auditor');
    auditors.city = staffAt(units.city, ['auditor'], 'nj.auditor');
    auditors.grassroots = staffAt(units.grassroots, ['auditor'], 'xw.auditor');

    // Eight events, one minute apart from 2026-03-02 09:00 Beijing time (01:00Z).
    h.clock.set('2026-03-02T09:00:00+08:00');
    const at = async (entry: Parameters<typeof h.audit.record>[0]) => {
      await h.audit.record(entry);
      h.clock.advance(60_000);
    };
    await at({ action: 'auth.login', outcome: 'success', actor: actors.grassroots });
    await at({
      action: 'archive.read',
      outcome: 'success',
      actor: actors.grassroots,
      target: { type: 'archive', id: 'A1' },
    });
    await at({
      action: 'archive.submit',
      outcome: 'success',
      actor: actors.grassroots,
      target: { type: 'archive', id: 'A1' },
    });
    await at({
      action: 'archive.review',
      outcome: 'success',
      actor: actors.city,
      target: { type: 'archive', id: 'A1' },
    });
    await at({ action: 'auth.login', outcome: 'failure', actor: { username: 'ghost' } });
    await at({
      action: 'access.denied',
      outcome: 'denied',
      actor: actors.siblingCity,
      target: { type: 'archive', id: 'A1' },
    });
    await at({ action: 'auth.logout', outcome: 'success', actor: actors.national });
    // Not an auth.* action, though it starts with the same letters: the prefix filter stops at the dot.
    await at({ action: 'authority.read', outcome: 'success', actor: actors.national });
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('scope', () => {
    it('an auditor at the root unit sees every row', async () => {
      const page = await h.audit.list(auditors.national, query());
      expect(events(page.items).map((r) => r.action)).toEqual([
        'authority.read',
        'auth.logout',
        'access.denied',
        'auth.login',
        'archive.review',
        'archive.submit',
        'archive.read',
        'auth.login',
      ]);
    });

    it('a province auditor sees its subtree and the rows without an actor unit, not the root unit’s', async () => {
      const page = await h.audit.list(auditors.province, query());
      expect(events(page.items).map((r) => r.actorUsername)).toEqual([
        'sz.caseworker',
        'ghost',
        'nj.reviewer',
        'xw.caseworker',
        'xw.caseworker',
        'xw.caseworker',
      ]);
    });

    it('a city auditor sees its own subtree only: not the sibling city, not unit-less rows', async () => {
      const page = await h.audit.list(auditors.city, query());
      expect(new Set(events(page.items).map((r) => r.actorUsername))).toEqual(
        new Set(['nj.reviewer', 'xw.caseworker']),
      );
      expect(events(page.items)).toHaveLength(4);
    });

    it('a grassroots auditor sees its own union’s staff only', async () => {
      const page = await h.audit.list(auditors.grassroots, query());
      expect(events(page.items).map((r) => r.action)).toEqual([
        'archive.submit',
        'archive.read',
        'auth.login',
      ]);
    });

    it('an account without a unit (or not staff) sees nothing', async () => {
      const page = await h.audit.list(staffPrincipal({ orgUnitId: null, roles: ['auditor'] }), query());
      expect(page).toEqual({ items: [], total: 0, page: 1, pageSize: 100 });
      const worker = await h.audit.list({ ...actors.grassroots, kind: 'worker', roles: [] }, query());
      expect(worker.total).toBe(0);
    });
  });

  describe('filters', () => {
    it.each<[string, () => Partial<AuditLogQuery>, string[]]>([
      ['actorId', () => ({ actorId: actors.city.userId }), ['archive.review']],
      ['actorUsername', () => ({ actorUsername: 'ghost' }), ['auth.login']],
      ['exact action', () => ({ action: 'auth.login' }), ['auth.login', 'auth.login']],
      ['action prefix auth.*', () => ({ action: 'auth.*' }), ['auth.logout', 'auth.login', 'auth.login']],
      [
        'action prefix archive.*',
        () => ({ action: 'archive.*' }),
        ['archive.review', 'archive.submit', 'archive.read'],
      ],
      [
        'targetType',
        () => ({ targetType: 'archive' }),
        ['access.denied', 'archive.review', 'archive.submit', 'archive.read'],
      ],
      [
        'targetType + targetId',
        () => ({ targetType: 'archive', targetId: 'A1', outcome: 'denied' }),
        ['access.denied'],
      ],
      ['outcome', () => ({ outcome: 'failure' }), ['auth.login']],
      // 09:02 and 09:03 Beijing time: from inclusive, to inclusive to the millisecond.
      [
        'from/to date-times',
        () => ({ from: '2026-03-02T09:02:00+08:00', to: '2026-03-02T01:03:00Z' }),
        ['archive.review', 'archive.submit'],
      ],
      [
        'to as a whole Beijing day',
        () => ({ to: '2026-03-02', action: 'archive.*' }),
        ['archive.review', 'archive.submit', 'archive.read'],
      ],
      ['from a later day', () => ({ from: '2026-03-03' }), []],
    ])('%s', async (_name, filter, expected) => {
      const page = await h.audit.list(auditors.national, query(filter()));
      expect(events(page.items).map((r) => r.action)).toEqual(expected);
    });

    it('refuses a range whose start is after its end', async () => {
      await expect(
        h.audit.list(auditors.national, query({ from: '2026-03-03', to: '2026-03-02' })),
      ).rejects.toEqual(
        new DomainError(AuditErrorCode.AUDIT_LOG_RANGE_INVALID, { from: '2026-03-03', to: '2026-03-02' }),
      );
    });
  });

  describe('paging and order', () => {
    it('pages newest first with the total', async () => {
      const filter = { action: 'archive.*' };
      const first = await h.audit.list(auditors.national, query({ ...filter, page: 1, pageSize: 2 }));
      const second = await h.audit.list(auditors.national, query({ ...filter, page: 2, pageSize: 2 }));
      expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
      expect(first.items.map((r) => r.action)).toEqual(['archive.review', 'archive.submit']);
      expect(second.items.map((r) => r.action)).toEqual(['archive.read']);
      const ids = [...first.items, ...second.items].map((r) => Number(r.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    });

    it('returns every column, hash and link included once sealed', async () => {
      await h.sealer.seal({ wait: true });
      const page = await h.audit.list(auditors.national, query({ actorId: actors.city.userId }));
      expect(page.items[0]).toMatchObject({
        occurredAt: new Date('2026-03-02T01:03:00.000Z'),
        actorId: actors.city.userId,
        actorUsername: 'nj.reviewer',
        actorKind: 'staff',
        actorRoles: ['reviewer'],
        actorOrgUnitId: units.city.id,
        action: 'archive.review',
        targetType: 'archive',
        targetId: 'A1',
        outcome: 'success',
        details: {},
        chainSeq: expect.stringMatching(/^\d+$/),
        prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });
  });

  it('records each listing as audit-logs.read with the filters (the user name filter only as present)', async () => {
    await h.audit.list(
      auditors.city,
      query({ actorUsername: '13812342210', action: 'auth.*', page: 2, pageSize: 5 }),
    );
    const rows = await allRows(db.dataSource);
    expect(rows[rows.length - 1]).toMatchObject({
      actor_id: auditors.city.userId,
      actor_roles: ['auditor'],
      action: 'audit-logs.read',
      outcome: 'success',
      target_type: 'audit-log',
      target_id: null,
      details: { filters: { actorUsername: true, action: 'auth.*' }, page: 2, pageSize: 5, scope: 'subtree' },
    });
    expect(JSON.stringify(rows[rows.length - 1])).not.toContain('13812342210');
    expect((await h.audit.verifyChain()).ok).toBe(true);
  });
});
