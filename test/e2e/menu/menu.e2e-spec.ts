import request from 'supertest';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import type { MenuItemConfig } from '../../../src/config';
import { MenuService } from '../../../src/modules/menu/menu.service';
import { MENU_CATEGORIES } from '../../../src/modules/menu/menu.enums';
import { Actor, createActor } from '../../helpers/actors';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';

/** The service menu through the whole application: public reads, the administrator's changes, the start-time sync. */
describe('the service menu (点菜单)', () => {
  let t: TestApp;
  let admin: Actor;
  let caseworker: Actor;
  const http = () => request(t.app.getHttpServer());
  const bodies: string[] = [];
  const as = (actor: Actor) => ({
    get: async (path: string) => {
      const res = await http().get(`${API}${path}`).set('authorization', `Bearer ${actor.token}`);
      bodies.push(res.text);
      return res;
    },
    post: async (path: string, body: object) => {
      const res = await http().post(`${API}${path}`).set('authorization', `Bearer ${actor.token}`).send(body);
      bodies.push(res.text);
      return res;
    },
    patch: async (path: string, body: object) => {
      const res = await http()
        .patch(`${API}${path}`)
        .set('authorization', `Bearer ${actor.token}`)
        .send(body);
      bodies.push(res.text);
      return res;
    },
  });
  const audits = (targetId: string) =>
    t.db.dataSource.query(
      `SELECT action, actor_id, details FROM audit_logs WHERE target_type = 'menu-item' AND target_id = $1 ORDER BY id`,
      [targetId],
    );
  const newItem = (overrides: Record<string, unknown> = {}) => ({
    code: `forklift_${Math.random().toString(36).slice(2, 8)}`,
    category: 'training',
    name: `叉车司机培训${Math.random().toString(36).slice(2, 5)}`,
    description: '场内机动车辆（叉车）司机培训与考证',
    unit: 'slots',
    maxPerNeed: 1,
    requiresActiveArchive: true,
    acceptsTemporaryArchive: false,
    beneficiary: 'any_member',
    slaDays: 30,
    validityDays: 120,
    documents: ['身份证'],
    tags: ['叉车'],
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp();
    const root = await rootOrgUnit(t.db.dataSource);
    admin = await createActor(t.app, { roles: ['admin'], unit: root });
    caseworker = await createActor(t.app, { roles: ['caseworker'], unit: root });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(bodies.splice(0).flatMap((b) => findUnmaskedPersonalData(b))).toEqual([]);
  });

  it('GET /menu: every shipped item, by category in the fixed order, without login', async () => {
    const res = await http().get(`${API}/menu`).expect(200);
    const categories = res.body.categories as { category: string; name: string; items: { code: string }[] }[];
    expect(categories.map((c) => c.category)).toEqual([...MENU_CATEGORIES]);
    const shipped = t.config.menu.items.map((i) => i.code).sort();
    expect(categories.flatMap((c) => c.items.map((i) => i.code)).sort()).toEqual(
      expect.arrayContaining(shipped),
    );
    const tuition = categories.find((c) => c.category === 'tuition')!;
    expect(tuition.name).toBe('金秋助学');
    expect(tuition.items.map((i) => i.code)).toEqual([
      'tuition_senior_high',
      'tuition_vocational',
      'tuition_college',
      'tuition_postgraduate',
    ]);
    expect(res.body.categories[0].items[0]).not.toHaveProperty('version');
  });

  it('GET /menu: ETag and If-None-Match → 304 until an item changes', async () => {
    const first = await http().get(`${API}/menu`).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    // Nothing is kept by browsers or proxies (no-store, as every answer); the app sends its copy's ETag.
    expect(first.headers['cache-control']).toBe('no-store');
    const unchanged = await http().get(`${API}/menu`).set('if-none-match', etag).expect(304);
    expect(unchanged.text).toBe('');
    await http().get(`${API}/menu`).set('if-none-match', `"other", W/${etag}`).expect(304);
    await http().get(`${API}/menu`).set('if-none-match', '"other"').expect(200);

    const item = await as(admin).get('/menu-items/care_tutoring');
    await as(admin)
      .patch('/menu-items/care_tutoring', { version: item.body.version, slaDays: 20 })
      .then((r) => expect(r.status).toBe(200));
    const after = await http().get(`${API}/menu`).set('if-none-match', etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
  });

  it('GET /menu/:code: an active item; unknown, malformed and inactive codes are 404', async () => {
    const res = await http().get(`${API}/menu/tuition_college`).expect(200);
    expect(res.body).toMatchObject({
      code: 'tuition_college',
      category: 'tuition',
      categoryName: '金秋助学',
      unit: 'yuan',
      maxPerNeed: 500000,
      beneficiary: 'member_in_stage',
      stages: ['college'],
    });
    for (const code of ['no_such_item', 'Bad-Code', '%E4%B8%AD']) {
      const missing = await http().get(`${API}/menu/${code}`).expect(404);
      expect(missing.body.code).toBe('MENU_ITEM_NOT_FOUND');
    }
    const inactive = await createMenuItem(t.db.dataSource, { active: false });
    await http().get(`${API}/menu/${inactive.code}`).expect(404);
    const menu = await http().get(`${API}/menu`).expect(200);
    expect(JSON.stringify(menu.body)).not.toContain(inactive.code);
  });

  it('an administrator creates an item (audited); the menu shows it; the code is never reused', async () => {
    const body = newItem({ tags: ['  叉车  ', '电动叉车'] });
    const created = await as(admin).post('/menu-items', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: body.code,
      tags: ['叉车', '电动叉车'],
      stages: [],
      active: true,
      version: 1,
      followsConfig: false,
    });
    expect(await audits(created.body.id)).toEqual([
      {
        action: 'menu-item.create',
        actor_id: admin.userId,
        details: { code: body.code, category: 'training', unit: 'slots' },
      },
    ]);
    const menu = await http().get(`${API}/menu`).expect(200);
    expect(JSON.stringify(menu.body)).toContain(body.code);

    const again = await as(admin).post('/menu-items', newItem({ code: body.code }));
    expect([again.status, again.body.code]).toEqual([409, 'MENU_ITEM_CODE_TAKEN']);
    const shipped = await as(admin).post('/menu-items', newItem({ code: 'tuition_college' }));
    expect(shipped.status).toBe(409);
  });

  it('refuses bad input with 400 naming each field, an inconsistent item with 422, and personal data in texts', async () => {
    const bad = await as(admin).post(
      '/menu-items',
      newItem({
        code: 'X',
        category: 'food',
        unit: 'kg',
        maxPerNeed: 0,
        slaDays: 400,
        stages: ['kindergarten'],
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body.details)).toEqual(
      expect.stringContaining('项目代码须为3–40位小写字母、数字或下划线'),
    );
    for (const field of ['code', 'category', 'unit', 'maxPerNeed', 'slaDays', 'stages'])
      expect(JSON.stringify(bad.body.details)).toContain(field);

    const inconsistent = await as(admin).post(
      '/menu-items',
      newItem({ category: 'tuition', unit: 'yuan', maxPerNeed: 5_000_001, beneficiary: 'member_in_stage' }),
    );
    expect(inconsistent.status).toBe(400); // above the DTO's own bound
    const noStages = await as(admin).post(
      '/menu-items',
      newItem({ category: 'tuition', unit: 'yuan', maxPerNeed: 200_000, beneficiary: 'member_in_stage' }),
    );
    expect([noStages.status, noStages.body.code]).toEqual([422, 'MENU_ITEM_INCONSISTENT']);
    expect(noStages.body.details.problems).toEqual([
      { field: 'stages', message: '受助对象为“在读家庭成员”时须列出适用的学段' },
    ]);
    const slots = await as(admin).post('/menu-items', newItem({ maxPerNeed: 1001 }));
    expect([slots.status, slots.body.code]).toEqual([422, 'MENU_ITEM_INCONSISTENT']);

    const phone = await as(admin).post('/menu-items', newItem({ description: '报名请联系 13812342210' }));
    expect([phone.status, phone.body.code, phone.body.details]).toEqual([
      422,
      'MENU_TEXT_CONTAINS_PERSONAL_DATA',
      { field: 'description' },
    ]);
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM menu_items WHERE description LIKE '%1381234%'`,
    );
    expect(n).toBe(0);
  });

  it('PATCH with the version: changes the fields sent, audits before/after, and the item stops following menu.yml', async () => {
    const current = await as(admin).get('/menu-items/training_welder');
    expect(current.body.followsConfig).toBe(true);
    const res = await as(admin).patch('/menu-items/training_welder', {
      version: current.body.version,
      maxPerNeed: 2,
      tags: ['电弧焊', '氩弧焊'],
      name: current.body.name,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      maxPerNeed: 2,
      tags: ['电弧焊', '氩弧焊'],
      version: current.body.version + 1,
      followsConfig: false,
    });
    const [row] = (await audits(current.body.id)).filter(
      (a: { action: string }) => a.action === 'menu-item.update',
    );
    expect(row.details).toEqual({
      code: 'training_welder',
      changed: ['maxPerNeed', 'tags'],
      before: { maxPerNeed: 1, tags: current.body.tags },
      after: { maxPerNeed: 2, tags: ['电弧焊', '氩弧焊'] },
    });

    const stale = await as(admin).patch('/menu-items/training_welder', {
      version: current.body.version,
      slaDays: 9,
    });
    expect([stale.status, stale.body.code, stale.body.details]).toEqual([
      409,
      'MENU_ITEM_VERSION_CONFLICT',
      { currentVersion: current.body.version + 1 },
    ]);
    // A change that makes the item inconsistent is refused and writes nothing.
    const broken = await as(admin).patch('/menu-items/training_welder', {
      version: res.body.version,
      beneficiary: 'member_in_stage',
    });
    expect([broken.status, broken.body.code]).toEqual([422, 'MENU_ITEM_INCONSISTENT']);
    expect((await as(admin).get('/menu-items/training_welder')).body).toMatchObject({
      beneficiary: 'any_member',
      version: res.body.version,
    });
    const unknown = await as(admin).patch('/menu-items/no_such_item', { version: 1, slaDays: 9 });
    expect(unknown.status).toBe(404);
    const noVersion = await as(admin).patch('/menu-items/training_welder', { slaDays: 9 });
    expect(noVersion.status).toBe(400);
    // null is not "leave as is": every field of an item has a value.
    for (const field of ['name', 'documents', 'tags', 'stages', 'sortOrder', 'requiresActiveArchive']) {
      const cleared = await as(admin).patch('/menu-items/training_welder', {
        version: res.body.version,
        [field]: null,
      });
      expect([cleared.status, cleared.body.code, JSON.stringify(cleared.body.details)]).toEqual([
        400,
        'VALIDATION_FAILED',
        expect.stringContaining(field),
      ]);
    }
    const createdWithNull = await as(admin).post('/menu-items', newItem({ tags: null }));
    expect(createdWithNull.status).toBe(400);
  });

  it('deactivate (with a reason) hides the item; activate brings it back; both audited, each once', async () => {
    const item = await createMenuItem(t.db.dataSource);
    const off = await as(admin).post(`/menu-items/${item.code}/deactivate`, {
      version: item.version,
      reason: '项目已并入其他培训',
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    await http().get(`${API}/menu/${item.code}`).expect(404);
    const twice = await as(admin).post(`/menu-items/${item.code}/deactivate`, {
      version: off.body.version,
      reason: '项目已并入其他培训',
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'MENU_ITEM_ALREADY_IN_STATE']);
    const noReason = await as(admin).post(`/menu-items/${item.code}/deactivate`, {
      version: off.body.version,
    });
    expect(noReason.status).toBe(400);

    const on = await as(admin).post(`/menu-items/${item.code}/activate`, { version: off.body.version });
    expect(on.status).toBe(200);
    await http().get(`${API}/menu/${item.code}`).expect(200);
    expect(
      (await audits(item.id)).map((a: { action: string; details: unknown }) => [a.action, a.details]),
    ).toEqual([
      ['menu-item.deactivate', { code: item.code, reason: '项目已并入其他培训' }],
      ['menu-item.activate', { code: item.code }],
    ]);
  });

  it('lists every item for the administrator, filtered by category, state and text', async () => {
    const inactive = await createMenuItem(t.db.dataSource, { active: false, category: 'policy' });
    const page = await as(admin).get('/menu-items?category=policy&pageSize=100');
    expect(page.body.items.map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining(['policy_consultation', 'policy_social_insurance']),
    );
    const off = await as(admin).get('/menu-items?active=false&pageSize=100');
    expect(off.body.items.map((i: { code: string }) => i.code)).toContain(inactive.code);
    expect(off.body.items.every((i: { active: boolean }) => !i.active)).toBe(true);
    const found = await as(admin).get(`/menu-items?q=${encodeURIComponent('金秋助学')}`);
    expect(found.body.total).toBe(4);
    const bad = await as(admin).get('/menu-items?active=yes');
    expect(bad.status).toBe(400);
  });

  it('staff without the admin role read the public menu but cannot change it (403, audited by the guard)', async () => {
    const res = await as(caseworker).post('/menu-items', newItem());
    expect(res.status).toBe(403);
    expect((await as(caseworker).get('/menu-items')).status).toBe(403);
  });

  describe('config/menu.yml at start', () => {
    const entry = (overrides: Partial<MenuItemConfig> = {}): MenuItemConfig =>
      ({
        ...t.config.menu.items.find((i) => i.code === 'legal_consultation')!,
        ...overrides,
      }) as MenuItemConfig;
    const row = async (code: string) =>
      (
        await t.db.dataSource.query(`SELECT name, version, edited_by FROM menu_items WHERE code = $1`, [code])
      )[0];

    it('a second start with the same file changes nothing; a changed entry is updated and audited', async () => {
      const menu = t.app.get(MenuService);
      const unchanged = await menu.syncFromConfig();
      expect(unchanged).toEqual({ inserted: [], updated: [], keptEdited: [] });

      const before = await row('legal_consultation');
      const changed = await menu.syncFromConfig([entry({ name: '法律咨询（线上线下）' })]);
      expect(changed).toEqual({ inserted: [], updated: ['legal_consultation'], keptEdited: [] });
      expect(await row('legal_consultation')).toEqual({
        name: '法律咨询（线上线下）',
        version: before.version + 1,
        edited_by: null,
      });
      const [seed] = await t.db.dataSource.query(
        `SELECT actor_username, details FROM audit_logs WHERE action = 'menu-item.seed' ORDER BY id DESC LIMIT 1`,
      );
      expect(seed).toEqual({
        actor_username: 'system',
        details: { inserted: [], updated: ['legal_consultation'] },
      });
      await menu.syncFromConfig();
      expect((await row('legal_consultation')).name).toBe('法律咨询');
    });

    it('a new entry is inserted; an entry an administrator edited keeps the administrator’s version', async () => {
      const menu = t.app.get(MenuService);
      const fresh = entry({ code: 'legal_notary', name: '公证咨询' });
      expect(await menu.syncFromConfig([fresh])).toEqual({
        inserted: ['legal_notary'],
        updated: [],
        keptEdited: [],
      });

      const current = await as(admin).get('/menu-items/legal_notary');
      await as(admin).patch('/menu-items/legal_notary', { version: current.body.version, slaDays: 3 });
      const kept = await menu.syncFromConfig([{ ...fresh, name: '公证与遗嘱咨询' } as MenuItemConfig]);
      expect(kept).toEqual({ inserted: [], updated: [], keptEdited: ['legal_notary'] });
      expect((await row('legal_notary')).name).toBe('公证咨询');
    });

    it('two instances starting at once write each entry once', async () => {
      const menu = t.app.get(MenuService);
      const fresh = entry({ code: 'legal_mediation', name: '人民调解' });
      const results = await Promise.all([menu.syncFromConfig([fresh]), menu.syncFromConfig([fresh])]);
      expect(results.flatMap((r) => r.inserted)).toEqual(['legal_mediation']);
      expect((await row('legal_mediation')).version).toBe(1);
    });
  });

  it('the database refuses an inconsistent row and the application role cannot delete an item', async () => {
    await expect(
      t.db.dataSource.query(
        `UPDATE menu_items SET beneficiary = 'member_in_stage' WHERE code = 'training_cook'`,
      ),
    ).rejects.toThrow(/chk_menu_items_stages/);
    await expect(
      t.db.dataSource.query(`DELETE FROM menu_items WHERE code = 'training_cook'`),
    ).rejects.toThrow(/permission denied/);
  });
});
