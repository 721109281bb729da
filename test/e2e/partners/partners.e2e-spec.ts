import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { seedDemoOrgTree, DemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { PartnersService } from '../../../src/modules/partners/partners.service';
import { Actor, createActor } from '../../helpers/actors';
import { randomCreditCode } from '../../helpers/factories/partners.factory';
import { rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const tag = () => randomBytes(3).toString('hex');

/** Partners through the whole application: registration, the login gate, vetting, the partner's accounts. */
describe('partners (合作方)', () => {
  let t: TestApp;
  let tree: DemoOrgTree;
  let reviewer: Actor;
  let reviewer2: Actor;
  let siblingReviewer: Actor;
  const bodies: string[] = [];
  const http = () => request(t.app.getHttpServer());
  const send = async (method: 'get' | 'post', path: string, body?: object, token?: string) => {
    let req = http()[method](`${API}${path}`);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    const res = body === undefined ? await req : await req.send(body);
    bodies.push(res.text);
    return res;
  };
  const registration = (overrides: Record<string, unknown> = {}) => ({
    kind: 'company',
    name: `西湖爱心企业${tag()}`,
    creditCode: randomCreditCode(),
    orgUnitId: tree.xihu.id,
    contactName: '王联络',
    mobile: '13812342210',
    regionCodes: ['330106'],
    categories: ['training', 'employment'],
    account: { username: `qiye.${tag()}`, displayName: '李经理', password: 'Aixin-2026-qiye' },
    ...overrides,
  });
  const login = (username: string, password = 'Aixin-2026-qiye') =>
    send('post', '/auth/login', { username, password });

  beforeAll(async () => {
    t = await createTestApp();
    tree = await t.db.dataSource.transaction((m) => seedDemoOrgTree(m));
    reviewer = await createActor(t.app, { roles: ['reviewer'], unit: tree.xihu as never });
    reviewer2 = await createActor(t.app, { roles: ['reviewer'], unit: tree.hangzhou as never });
    siblingReviewer = await createActor(t.app, { roles: ['reviewer'], unit: tree.gongshu as never });
  });

  afterAll(async () => {
    for (const body of bodies) expect(findUnmaskedPersonalData(body)).toEqual([]);
    await t?.close();
  });

  it('registers a pending partner with a masked mobile; its account cannot log in until approved', async () => {
    const body = registration({ creditCode: ' 91350100m000100y43 ' });
    const res = await send('post', '/partners', body);
    expect(res.status).toBe(201);
    expect(res.body.partner).toMatchObject({
      status: 'pending',
      creditCode: '91350100M000100Y43',
      mobile: '138****2210',
      kind: 'company',
    });
    const [row] = await t.db.dataSource.query(`SELECT mobile_ciphertext FROM partners WHERE id = $1`, [
      res.body.partner.id,
    ]);
    expect(row.mobile_ciphertext).not.toContain('13812342210');

    const refused = await login(body.account.username);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'AUTH_PARTNER_NOT_APPROVED',
      details: { partnerStatus: 'pending' },
    });
    // A wrong password still gets the generic answer: the reason is given only to who knows the password.
    expect((await login(body.account.username, 'Wrong-2026-pass')).body.code).toBe('AUTH_LOGIN_FAILED');

    // Out of scope (a sibling district): 403; the reviewer of the unit approves; the account logs in.
    const id = res.body.partner.id;
    expect(
      (await send('post', `/partners/${id}/approve`, { version: 1 }, siblingReviewer.token)).status,
    ).toBe(403);
    const approved = await send('post', `/partners/${id}/approve`, { version: 1 }, reviewer.token);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 2 });
    const ok = await login(body.account.username);
    expect(ok.status).toBe(200);
    const token = ok.body.accessToken as string;
    expect((await send('get', `/partners/${id}`, undefined, token)).status).toBe(200);

    // Suspension: the session ends at once, login is refused, isActive turns false; reinstating undoes it.
    const suspended = await send(
      'post',
      `/partners/${id}/suspend`,
      { version: 2, reason: '投诉核查' },
      reviewer.token,
    );
    expect(suspended.body.status).toBe('suspended');
    expect((await send('get', `/partners/${id}`, undefined, token)).status).toBe(401);
    expect((await login(body.account.username)).body).toMatchObject({
      details: { partnerStatus: 'suspended' },
    });
    await expect(t.app.get(PartnersService).isActive(id)).resolves.toBe(false);
    expect(
      (await send('post', `/partners/${id}/reinstate`, { version: 3 }, reviewer.token)).body.status,
    ).toBe('approved');
    await expect(t.app.get(PartnersService).isActive(id)).resolves.toBe(true);

    const audit = await t.db.dataSource.query(
      `SELECT action FROM audit_logs WHERE target_type = 'partner' AND target_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['partner.register', 'partner.approve', 'partner.suspend', 'partner.reinstate']),
    );
  });

  it('two reviewers deciding at once: one wins, the other gets 409', async () => {
    const { body } = await send('post', '/partners', registration());
    const id = body.partner.id;
    const results = await Promise.all([
      send('post', `/partners/${id}/approve`, { version: 1 }, reviewer.token),
      send('post', `/partners/${id}/reject`, { version: 1, reason: '材料不全' }, reviewer2.token),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toMatch(/PARTNER_VERSION_CONFLICT/);
  });

  it('refuses transitions the state machine does not allow, naming the current state', async () => {
    const { body } = await send('post', '/partners', registration());
    const res = await send('post', `/partners/${body.partner.id}/reinstate`, { version: 1 }, reviewer.token);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'PARTNER_INVALID_TRANSITION', details: { current: 'pending' } });
    const noReason = await send(
      'post',
      `/partners/${body.partner.id}/reject`,
      { version: 1 },
      reviewer.token,
    );
    expect(noReason.status).toBe(400);
  });

  it('refuses a duplicate credit code (409) without saying who holds it, and leaves nothing behind', async () => {
    const first = registration();
    expect((await send('post', '/partners', first)).status).toBe(201);
    const second = registration({ creditCode: first.creditCode.toLowerCase() });
    const res = await send('post', '/partners', second);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('PARTNER_CREDIT_CODE_TAKEN');
    expect(JSON.stringify(res.body)).not.toContain(first.name);
    const [{ n }] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE username = $1`, [
      second.account.username,
    ]);
    expect(n).toBe(0);
  });

  it('a concurrent duplicate credit code: exactly one registration, no half-written record', async () => {
    const creditCode = randomCreditCode();
    const attempts = [registration({ creditCode }), registration({ creditCode })];
    const results = await Promise.all(attempts.map((b) => send('post', '/partners', b)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM users WHERE username = ANY($1)`,
      [attempts.map((a) => a.account.username)],
    );
    expect(n).toBe(1);
  });

  it('a taken user name rolls the partner back too', async () => {
    const first = registration();
    await send('post', '/partners', first);
    const second = registration({ account: { ...first.account } });
    const res = await send('post', '/partners', second);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('USERNAME_TAKEN');
    expect(
      await t.db.dataSource.query(`SELECT 1 FROM partners WHERE credit_code = $1`, [second.creditCode]),
    ).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    ['no body fields', { kind: undefined }, 400, 'VALIDATION_FAILED'],
    ['union kind', { kind: 'union' }, 400, 'VALIDATION_FAILED'],
    ['a bad mobile', { mobile: '12345' }, 400, 'VALIDATION_FAILED'],
    ['a five-digit region', { regionCodes: ['33010'] }, 400, 'VALIDATION_FAILED'],
    ['an unknown category', { categories: ['fishing'] }, 400, 'VALIDATION_FAILED'],
    ['a non-uuid unit', { orgUnitId: 'xihu' }, 400, 'VALIDATION_FAILED'],
    ['no account', { account: undefined }, 400, 'VALIDATION_FAILED'],
    ['the account as a list', { account: [{ username: 'a.b.c' }] }, 400, 'VALIDATION_FAILED'],
    ['the account as a string', { account: 'a.b.c' }, 400, 'VALIDATION_FAILED'],
    [
      'a credit code with a wrong check character',
      { creditCode: '91350100M000100Y44' },
      422,
      'PARTNER_CREDIT_CODE_INVALID',
    ],
    ['a credit code with an O', { creditCode: '91350100MO00100Y43' }, 422, 'PARTNER_CREDIT_CODE_INVALID'],
    ['a company without a credit code', { creditCode: undefined }, 422, 'PARTNER_CREDIT_CODE_REQUIRED'],
    ['an unknown unit', { orgUnitId: randomUUID() }, 422, 'PARTNER_ORG_UNIT_NOT_FOUND'],
    [
      'a weak password',
      { account: { username: `x.${tag()}`, displayName: '李', password: 'abc' } },
      422,
      'PASSWORD_POLICY_VIOLATION',
    ],
    ['a phone number in the name', { name: '联系13812342210' }, 422, 'PARTNER_TEXT_CONTAINS_PERSONAL_DATA'],
  ])('refuses %s', async (_name, overrides, status, code) => {
    const res = await send('post', '/partners', registration(overrides));
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  it('accepts a volunteer team without a credit code', async () => {
    const res = await send('post', '/partners', registration({ kind: 'volunteer', creditCode: undefined }));
    expect(res.status).toBe(201);
    expect(res.body.partner.creditCode).toBeNull();
  });

  it('answers 404 for an unknown partner and 400 for a malformed id', async () => {
    expect((await send('get', `/partners/${randomUUID()}`, undefined, reviewer.token)).status).toBe(404);
    expect((await send('get', `/partners/not-a-uuid`, undefined, reviewer.token)).status).toBe(400);
  });

  it('lists partners in scope with filters; a sibling district sees none of them', async () => {
    const { body } = await send('post', '/partners', registration({ name: `筛选测试${tag()}` }));
    const mine = await send(
      'get',
      `/partners?status=pending&kind=company&q=${encodeURIComponent('筛选测试')}`,
      undefined,
      reviewer.token,
    );
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((p: { id: string }) => p.id)).toContain(body.partner.id);
    const theirs = await send(
      'get',
      `/partners?q=${encodeURIComponent('筛选测试')}`,
      undefined,
      siblingReviewer.token,
    );
    expect(theirs.body.items).toEqual([]);
  });

  it("the first account adds and disables the partner's accounts; others may only list", async () => {
    const reg = registration();
    const { body } = await send('post', '/partners', reg);
    const id = body.partner.id;
    await send('post', `/partners/${id}/approve`, { version: 1 }, reviewer.token);
    const first = (await login(reg.account.username)).body.accessToken as string;
    const added = await send(
      'post',
      `/partners/${id}/accounts`,
      { username: `zy.${tag()}`, displayName: '赵专员', password: 'Aixin-2026-zhuanyuan' },
      first,
    );
    expect(added.status).toBe(201);
    // An account someone else chose the password of changes it first (a restricted session until then).
    const initial = (await login(added.body.username, 'Aixin-2026-zhuanyuan')).body.accessToken as string;
    const changed = await send(
      'post',
      '/auth/password',
      { currentPassword: 'Aixin-2026-zhuanyuan', newPassword: 'Xinmima-2026-zy' },
      initial,
    );
    expect(changed.status).toBe(200);
    const second = (await login(added.body.username, 'Xinmima-2026-zy')).body.accessToken as string;
    const list = await send('get', `/partners/${id}/accounts`, undefined, second);
    expect(list.body.items.map((a: { first: boolean }) => a.first)).toEqual([true, false]);
    const byOther = await send(
      'post',
      `/partners/${id}/accounts`,
      { username: `zy.${tag()}`, displayName: '钱', password: 'Aixin-2026-zhuanyuan' },
      second,
    );
    expect(byOther.status).toBe(403);
    expect(byOther.body.code).toBe('PARTNER_ACCOUNT_ADMIN_ONLY');
    const disabled = await send(
      'post',
      `/partners/${id}/accounts/${added.body.id}/disable`,
      { reason: '离职' },
      first,
    );
    expect(disabled.body.status).toBe('disabled');
    const again = await send(
      'post',
      `/partners/${id}/accounts/${added.body.id}/disable`,
      { reason: '离职' },
      first,
    );
    expect(again.status).toBe(409);
  });

  it('creating an org unit creates its union partner in the same transaction', async () => {
    const admin = await createActor(t.app, { roles: ['admin'], unit: tree.xihu as never });
    const res = await send(
      'post',
      '/org-units',
      { parentId: tree.xihu.id, name: `新建基层工会${tag()}`, level: 'grassroots', regionCode: '330106' },
      admin.token,
    );
    expect(res.status).toBe(201);
    const union = await t.app.get(PartnersService).unionPartnerOf(res.body.id);
    expect(union).toMatchObject({ kind: 'union', status: 'approved', orgUnitId: res.body.id });
  });
});

describe('partner registration rate limit', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After once the address has used its registrations', async () => {
    const rule = { limit: 2, windowSeconds: 3600 };
    t = await createTestApp({
      overrides: {
        auth: { rateLimit: { partnerRegistration: { perIp: rule, perAccount: rule, perAccountIp: rule } } },
      },
    });
    const statuses: number[] = [];
    let last: request.Response | undefined;
    const root = await rootOrgUnit(t.db.dataSource);
    for (let i = 0; i < 3; i++) {
      last = await request(t.app.getHttpServer())
        .post(`${API}/partners`)
        .send({
          kind: 'volunteer',
          name: `志愿服务队${tag()}`,
          orgUnitId: root.id,
          contactName: '陈队长',
          mobile: '13912340000',
          regionCodes: ['330106'],
          categories: ['care'],
          account: { username: `zy.${tag()}`, displayName: '陈队长', password: 'Zhiyuan-2026-dui' },
        });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect(last!.body.code).toBe('RATE_LIMITED');
    expect(last!.headers['retry-after']).toBeDefined();
  });
});
