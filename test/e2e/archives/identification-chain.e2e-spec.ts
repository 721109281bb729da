import request from 'supertest';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { findUnmaskedPersonalData } from '../../../src/common/masking/mask';
import { makeIdNumber } from '../../../src/common/validation/id-number';
import { seedDibaoLines } from '../../../src/database/seeds/dibao-lines.seed';
import { DemoOrgTree, seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { JobName, JobQueue } from '../../../src/infra/queue';
import { Actor, createActor, loginActor } from '../../helpers/actors';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';

/**
 * 建档立卡 end to end, as the people do it: a worker applies on the phone, gives consent and submits;
 * the grassroots reviewer reviews; the district reviewer verifies after a home visit; the district
 * approver approves; the notice is public without login; after five working days the daily job makes
 * the archive active with its number. Every actor logs in as itself; no row is written behind the API.
 */
describe('identification chain: from a worker self-application to an active archive', () => {
  const clock = new FakeClock('2026-09-01T09:00:00+08:00'); // a Tuesday
  let t: TestApp;
  let tree: DemoOrgTree;
  const actors: Record<string, Actor> = {};
  const bodies: string[] = [];

  const http = () => request(t.app.getHttpServer());
  async function call(actor: Actor | null, method: 'get' | 'post', path: string, body?: object) {
    let req = http()[method](`${API}${path}`);
    if (actor) req = req.set('authorization', `Bearer ${actor.token}`);
    const res = body === undefined ? await req : await req.send(body);
    bodies.push(res.text);
    return res;
  }
  /** Sessions idle out while the clock jumps days ahead: everyone logs in again. */
  async function moveClock(to: string): Promise<void> {
    clock.set(to);
    for (const actor of Object.values(actors))
      actor.token = await loginActor(t.app, actor, () => clock.now());
  }

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const dataSource = t.app.get(DataSource);
    tree = await dataSource.transaction(async (manager) => {
      const units = await seedDemoOrgTree(manager);
      await seedDibaoLines(manager);
      return units;
    });
    const row = (key: keyof DemoOrgTree) => {
      const u = tree[key];
      return { id: u.id, name: u.name, level: u.level, path: u.path, parentId: u.parentId };
    };
    const now = () => clock.now();
    actors.worker = await createActor(t.app, { kind: 'worker', unit: row('xihu-gr-1') }, now);
    actors.grassrootsReviewer = await createActor(
      t.app,
      { roles: ['reviewer'], unit: row('xihu-gr-1') },
      now,
    );
    actors.districtReviewer = await createActor(t.app, { roles: ['reviewer'], unit: row('xihu') }, now);
    actors.approver = await createActor(t.app, { roles: ['approver'], unit: row('xihu') }, now);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('walks the whole chain, every step by its own actor, audited and in the history', async () => {
    const { worker, grassrootsReviewer, districtReviewer, approver } = actors;
    const headId = makeIdNumber({
      regionCode: '330106',
      birthDate: '1971-06-15',
      sequence: 37,
      gender: 'male',
    });
    const spouseId = makeIdNumber({
      regionCode: '330106',
      birthDate: '1973-02-08',
      sequence: 24,
      gender: 'female',
    });
    const childId = makeIdNumber({
      regionCode: '330106',
      birthDate: '2014-04-20',
      sequence: 51,
      gender: 'male',
    });

    // 1. The worker applies for itself (its grassroots union is implied).
    const created = await call(worker, 'post', '/archives', {
      kind: 'formal',
      category: 'dibao',
      regionCode: '330106',
      head: {
        name: '王建国',
        idNumber: headId,
        phone: '13957112233',
        employer: '杭州某某机械有限公司',
        employmentStatus: 'employed',
        monthlyIncomeFen: 120_000,
        bankAccount: '6222021202004567898',
      },
      members: [
        {
          relation: 'spouse',
          name: '李淑芬',
          idNumber: spouseId,
          monthlyIncomeFen: 0,
          health: 'serious_illness',
          schoolingStage: 'none',
        },
        {
          relation: 'child',
          name: '王小宇',
          idNumber: childId,
          monthlyIncomeFen: 0,
          health: 'healthy',
          schoolingStage: 'primary',
        },
      ],
      address: '杭州市西湖区文新街道某小区5幢301室',
      housingType: 'rented',
      causes: ['illness', 'schooling'],
      primaryCause: 'illness',
      householdSituation: '三口之家，妻子患尿毒症长期透析，儿子读小学五年级，租房居住。',
      causeDescription: '妻子每周透析三次，医保报销后每月自付约两千元，家庭收入仅靠本人工资。',
      skills: '机床操作，持中级车工证',
      jobWishes: '希望在本单位继续工作，可接受加班',
      stateOfMind: '压力较大但积极乐观，希望得到帮助渡过难关',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ status: 'draft', orgUnitId: tree['xihu-gr-1'].id });
    expect(created.body.perCapitaIncomeFen).toBe(40_000); // 1,200 元 / 3 people, computed, never typed in

    // 2. Consent (PIPL): general and sensitive for the head, a guardian's for the 12-year-old.
    const grantedAt = clock.now().toISOString();
    const consent = (extra: object) =>
      call(worker, 'post', `/archives/${id}/consents`, {
        purpose: 'archive_management',
        textVersion: '2026.1',
        grantedAt,
        ...extra,
      });
    expect((await consent({ subject: 'head', kind: 'general' })).status).toBe(201);
    expect((await consent({ subject: 'head', kind: 'sensitive' })).status).toBe(201);
    const detail = await call(worker, 'get', `/archives/${id}`);
    const child = (detail.body.members as Array<{ id: string; relation: string }>).find(
      (m) => m.relation === 'child',
    )!;
    for (const kind of ['general', 'sensitive']) {
      const res = await consent({
        subject: 'member',
        memberId: child.id,
        kind,
        byGuardian: true,
        guardianName: '王建国',
      });
      expect(res.status).toBe(201);
    }

    // 3. The worker submits.
    let res = await call(worker, 'post', `/archives/${id}/submit`, {
      version: (await call(worker, 'get', `/archives/${id}`)).body.version,
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('submitted');

    // 4. Grassroots review by the union's own reviewer.
    res = await call(grassrootsReviewer, 'post', `/archives/${id}/review`, {
      version: res.body.version,
      decision: 'approve',
    });
    expect(res.body.status).toBe('verifying');

    // 5. Verification with a home visit, by the unit above (西湖区总工会).
    res = await call(districtReviewer, 'post', `/archives/${id}/verify`, {
      version: res.body.version,
      decision: 'pass',
      visit: {
        date: '2026-09-01',
        visitors: ['赵刚', '孙丽'],
        findings: '入户核实：租住老旧小区，家中陈设简陋，透析单据齐全，情况属实。',
      },
    });
    expect(res.body.status).toBe('approving');

    // 6. Approval by an approver who did not submit, review or verify it.
    res = await call(approver, 'post', `/archives/${id}/approve`, {
      version: res.body.version,
      decision: 'approve',
    });
    expect(res.body).toMatchObject({
      status: 'publicizing',
      noticeStartsOn: '2026-09-02',
      noticeEndsOn: '2026-09-08',
    });

    // 7. The public notice: no login, masked name, unit and category only.
    await moveClock('2026-09-03T10:00:00+08:00');
    const notices = await call(null, 'get', '/public-notices');
    expect(notices.status).toBe(200);
    expect(notices.body.items).toEqual([
      {
        archiveId: id,
        maskedName: '王*国',
        unitName: tree['xihu-gr-1'].name,
        category: 'dibao',
        noticeStartsOn: '2026-09-02',
        noticeEndsOn: '2026-09-08',
      },
    ]);

    // 8. Five working days later the daily job activates it and gives it its number.
    await moveClock('2026-09-09T00:30:00+08:00');
    await t.app.get(JobQueue).enqueue(JobName.ArchivesActivatePublicized, {});
    let archive = (await call(worker, 'get', `/archives/${id}`)).body;
    for (let i = 0; i < 100 && archive.status !== 'active'; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      archive = (await call(worker, 'get', `/archives/${id}`)).body;
    }
    expect(archive).toMatchObject({ status: 'active', archiveNo: '330106-2026-00001' });
    // The worker sees its own record, masked.
    expect(archive.head.idNumber).toBe(`${headId.slice(0, 3)}***********${headId.slice(-4)}`);

    // 9. Every step is in the history and in the audit log, by the actor who took it.
    const history = await call(grassrootsReviewer, 'get', `/archives/${id}/history?pageSize=50`);
    const transitions = (history.body.items as Array<{ type: string; action: string }>)
      .filter((item) => item.type === 'transition')
      .map((item) => item.action);
    expect(transitions).toEqual(['activate', 'approve', 'verify', 'review', 'submit']);
    const audit: Array<{ action: string; actor_id: string | null }> = await t.db.dataSource.query(
      `SELECT action, actor_id FROM audit_logs WHERE target_id = $1 AND outcome = 'success' AND action LIKE 'archive.%' ORDER BY id`,
      [id],
    );
    const by = (action: string) => audit.find((row) => row.action === action)?.actor_id;
    expect(by('archive.create')).toBe(worker.userId);
    expect(by('archive.submit')).toBe(worker.userId);
    expect(by('archive.review')).toBe(grassrootsReviewer.userId);
    expect(by('archive.verify')).toBe(districtReviewer.userId);
    expect(by('archive.approve')).toBe(approver.userId);
    expect(audit.some((row) => row.action === 'archive.activate')).toBe(true);

    // No response on the way carried an unmasked ID or phone number.
    for (const body of bodies) expect(findUnmaskedPersonalData(body)).toEqual([]);
  });
});
