import request from 'supertest';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { AidLedgerService, type AidRecord } from '../../../src/modules/aid-ledger/aid-ledger.service';
import { Actor, createActor } from '../../helpers/actors';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { unionPartnerOf } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const HEAD = '欧阳秀兰';
const CHILD = '欧阳小明';

/** The aid ledger's two reads over HTTP: scope, filters, totals, masking, bad input (never a 500). */
describe('aid ledger (帮扶台账) over HTTP', () => {
  let t: TestApp;
  let district: OrgUnitRow;
  let gr1: OrgUnitRow;
  let gr2: OrgUnitRow;
  let owner: Actor;
  let otherWorker: Actor;
  let districtCaseworker: Actor;
  let gr1Reviewer: Actor;
  let outsider: Actor;
  let archiveId: string;
  let otherArchiveId: string;
  let partnerId: string;
  let offerId: string;
  const rowIds: Record<string, string> = {};
  const statuses: number[] = [];
  const http = () => request(t.app.getHttpServer());
  /** Every answer: scanned for personal numbers as it arrives; the statuses checked for a 500 at the end. */
  const get = async (actor: Actor, path: string) => {
    const res = await http().get(`${API}${path}`).set('authorization', `Bearer ${actor.token}`);
    expect(findUnmaskedPersonalData(res.text)).toEqual([]);
    statuses.push(res.status);
    return res;
  };
  const ids = (res: request.Response) => (res.body.items as { id: string }[]).map((i) => i.id);

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.db.dataSource;
    const root = await rootOrgUnit(ds);
    district = await createOrgUnit(ds, {
      parent: root,
      level: 'district',
      regionCode: '330106',
      name: '西湖区总工会',
    });
    gr1 = await createOrgUnit(ds, { parent: district, regionCode: '330106', name: '绿源纺织工会' });
    gr2 = await createOrgUnit(ds, { parent: district, regionCode: '330106', name: '西湖电子厂工会' });
    const elsewhere = await createOrgUnit(ds, { parent: root, level: 'district', regionCode: '330203' });
    owner = await createActor(t.app, { kind: 'worker', roles: [], unit: gr1 });
    otherWorker = await createActor(t.app, { kind: 'worker', roles: [], unit: gr1 });
    districtCaseworker = await createActor(t.app, { roles: ['caseworker'], unit: district });
    gr1Reviewer = await createActor(t.app, { roles: ['reviewer'], unit: gr1 });
    outsider = await createActor(t.app, { roles: ['caseworker'], unit: elsewhere });
    const created = await createArchive(ds, {
      orgUnitId: gr1.id,
      ownerUserId: owner.userId,
      status: 'active',
      headName: HEAD,
      archiveNo: '330106-2026-000901',
      members: [{ relation: 'child', name: CHILD, birthDate: '2007-09-01', schoolingStage: 'college' }],
    });
    archiveId = created.archive.id;
    otherArchiveId = (await createArchive(ds, { orgUnitId: gr2.id, status: 'active' })).archive.id;
    partnerId = (await unionPartnerOf(ds, district.id)).id;
    const item = await createMenuItem(ds, { category: 'tuition', unit: 'yuan', name: '金秋助学' });
    offerId = (
      await createOffer(ds, t.app.get(FieldCipher), partnerId, [item.id], { title: '2026年金秋助学' })
    ).id;
    const ledger = t.app.get(AidLedgerService);
    const record = (key: string, patch: Partial<AidRecord>) =>
      ds.transaction(async (m) => {
        rowIds[key] = (
          await ledger.record(m, {
            archiveId,
            category: 'relief',
            causeCode: 'illness',
            valueFen: 100_000,
            at: new Date('2026-02-01T10:00:00+08:00'),
            receivedVia: 'in_person',
            recordedBy: null,
            ...patch,
          })
        ).id;
      });
    await record('tuition', {
      category: 'tuition',
      causeCode: 'schooling',
      valueFen: 300_000,
      beneficiaryKey: created.memberIds[0],
      offerId,
      partnerId,
      menuItemId: item.id,
      at: new Date('2026-09-01T10:00:00+08:00'),
      receivedVia: 'bank_transfer',
    });
    await record('relief', {});
    await record('wrong', { valueFen: 50_000, at: new Date('2026-03-01T10:00:00+08:00') });
    await ds.transaction(async (m) => {
      rowIds.reversal = (await ledger.reverse(m, rowIds.wrong!, '重复登记', { userId: null })).id;
    });
    await record('other', { archiveId: otherArchiveId, valueFen: 80_000, causeCode: 'accident' });
  });
  afterAll(async () => {
    // Checked after every test, in whatever order they ran (CI's second pass shuffles them).
    expect(statuses).not.toContain(500);
    await t?.close();
  });

  it('the household’s ledger: the owner and staff in scope see it, masked, with the reversal and net totals', async () => {
    const res = await get(owner, `/archives/${archiveId}/aid`);
    expect(res.status).toBe(200);
    // Newest aid first; a reversal carries its original's date and comes before it.
    expect(ids(res)).toEqual([rowIds.tuition, rowIds.reversal, rowIds.wrong, rowIds.relief]);
    expect(res.body.total).toBe(4);
    const tuition = res.body.items.find((i: { id: string }) => i.id === rowIds.tuition);
    expect(tuition).toMatchObject({
      category: 'tuition',
      cause: 'schooling',
      valueFen: 300_000,
      date: '2026-09-01',
      receivedVia: 'bank_transfer',
      offerId,
      offerTitle: '2026年金秋助学',
      partnerId,
      itemName: '金秋助学',
      archiveNo: '330106-2026-000901',
      beneficiary: { kind: 'member', relation: 'child' },
      orgUnitId: gr1.id,
      reverses: null,
      reversedBy: null,
    });
    const wrong = res.body.items.find((i: { id: string }) => i.id === rowIds.wrong);
    const reversal = res.body.items.find((i: { id: string }) => i.id === rowIds.reversal);
    expect(wrong).toMatchObject({ valueFen: 50_000, reversedBy: rowIds.reversal });
    expect(reversal).toMatchObject({ valueFen: -50_000, reverses: rowIds.wrong, note: '重复登记' });
    expect(res.body.totals).toEqual({
      byCategory: [
        { category: 'relief', valueFen: 100_000, rows: 2 },
        { category: 'tuition', valueFen: 300_000, rows: 1 },
      ],
      byUnit: [{ orgUnitId: gr1.id, orgUnitName: '绿源纺织工会', valueFen: 400_000, rows: 3 }],
    });
    expect(res.text).not.toContain(HEAD);
    expect(res.text).not.toContain(CHILD);
    // Paged and filtered by period.
    const page = await get(owner, `/archives/${archiveId}/aid?pageSize=1&page=2`);
    expect(page.body).toMatchObject({ total: 4, page: 2, pageSize: 1 });
    expect(page.body.items).toHaveLength(1);
    expect(ids(await get(owner, `/archives/${archiveId}/aid?from=2026-08-01&to=2026-12-31`))).toEqual([
      rowIds.tuition,
    ]);
    expect((await get(districtCaseworker, `/archives/${archiveId}/aid`)).status).toBe(200);
    expect((await get(gr1Reviewer, `/archives/${archiveId}/aid`)).status).toBe(200);
  });

  it('another worker, staff out of scope and an unknown archive are refused; reads and denials are audited', async () => {
    // Its own read, whatever ran before it.
    expect((await get(owner, `/archives/${archiveId}/aid`)).status).toBe(200);
    expect((await get(otherWorker, `/archives/${archiveId}/aid`)).body.code).toBe('NOT_OWNER');
    expect((await get(outsider, `/archives/${archiveId}/aid`)).body.code).toBe('OUT_OF_SCOPE');
    expect((await get(gr1Reviewer, `/archives/${otherArchiveId}/aid`)).body.code).toBe('OUT_OF_SCOPE');
    const unknown = await get(owner, `/archives/7c1e0c52-5a1b-4c1e-9d7e-1f2e3d4c5b6a/aid`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ARCHIVE_NOT_FOUND']);
    const audit = await t.db.dataSource.query(
      `SELECT action, outcome, details->>'view' AS view FROM audit_logs
        WHERE target_id = $1 AND actor_id = ANY($2) ORDER BY id`,
      [archiveId, [owner.userId, otherWorker.userId]],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'archive.read', outcome: 'success', view: 'aid' },
        { action: 'access.denied', outcome: 'denied', view: null },
      ]),
    );
  });

  it('the staff ledger: the subtree, every filter, totals by category and unit', async () => {
    const all = await get(districtCaseworker, '/aid-ledger');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(5);
    expect(all.body.totals.byUnit).toEqual(
      expect.arrayContaining([
        { orgUnitId: gr1.id, orgUnitName: '绿源纺织工会', valueFen: 400_000, rows: 3 },
        { orgUnitId: gr2.id, orgUnitName: '西湖电子厂工会', valueFen: 80_000, rows: 1 },
      ]),
    );
    expect(all.body.totals.byUnit).toHaveLength(2);
    expect(all.body.totals.byCategory).toEqual(
      expect.arrayContaining([
        { category: 'relief', valueFen: 180_000, rows: 3 },
        { category: 'tuition', valueFen: 300_000, rows: 1 },
      ]),
    );
    expect(ids(await get(districtCaseworker, '/aid-ledger?category=tuition'))).toEqual([rowIds.tuition]);
    expect(ids(await get(districtCaseworker, `/aid-ledger?offerId=${offerId}`))).toEqual([rowIds.tuition]);
    expect(ids(await get(districtCaseworker, `/aid-ledger?partnerId=${partnerId}`))).toEqual([
      rowIds.tuition,
    ]);
    expect(ids(await get(districtCaseworker, `/aid-ledger?orgUnitId=${gr2.id}`))).toEqual([rowIds.other]);
    expect((await get(districtCaseworker, '/aid-ledger?from=2026-08-01')).body.total).toBe(1);
    expect((await get(districtCaseworker, '/aid-ledger?to=2026-02-01')).body.total).toBe(2);
    // A grassroots reviewer sees its own unit only; a unit outside the caller's subtree is refused.
    expect((await get(gr1Reviewer, '/aid-ledger')).body.total).toBe(4);
    const out = await get(gr1Reviewer, `/aid-ledger?orgUnitId=${gr2.id}`);
    expect([out.status, out.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await get(outsider, '/aid-ledger')).body.total).toBe(0);
    const [listed] = await t.db.dataSource.query(
      `SELECT details FROM audit_logs WHERE action = 'aid-ledger.list' AND actor_id = $1 ORDER BY id LIMIT 1`,
      [districtCaseworker.userId],
    );
    expect(listed.details).toMatchObject({ returned: 5, total: 5 });
  });

  it.each([
    ['/aid-ledger?pageSize=0', 'VALIDATION_FAILED'],
    ['/aid-ledger?pageSize=101', 'VALIDATION_FAILED'],
    ['/aid-ledger?page=1e3', 'VALIDATION_FAILED'],
    ['/aid-ledger?category=cash', 'VALIDATION_FAILED'],
    ['/aid-ledger?orgUnitId=abc', 'VALIDATION_FAILED'],
    ['/aid-ledger?offerId=1', 'VALIDATION_FAILED'],
    ['/aid-ledger?from=2026-13-01', 'VALIDATION_FAILED'],
    ['/aid-ledger?to=2026-02-30', 'VALIDATION_FAILED'],
    ['/aid-ledger?unknown=1', 'VALIDATION_FAILED'],
    ['/aid-ledger?from=2026-09-01&to=2026-08-01', 'AID_LEDGER_PERIOD_INVALID'],
    ['/archives/not-a-uuid/aid', undefined],
  ])('bad input %s → 400 %s', async (path, code) => {
    const res = await get(districtCaseworker, path);
    expect(res.status).toBe(400);
    if (code) expect(res.body.code).toBe(code);
  });
});
