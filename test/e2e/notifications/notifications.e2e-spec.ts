import request from 'supertest';
import { DataSource } from 'typeorm';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import {
  NOTIFICATION_EVENTS,
  renderNotification,
  type NotificationParams,
} from '../../../src/modules/notifications/notification-events';
import { NotificationsService } from '../../../src/modules/notifications/notifications.service';
import { Actor, createActor } from '../../helpers/actors';
import { createOrgUnit, OrgUnitRow, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const API = '/api/v1';
const PARAMS: NotificationParams[keyof NotificationParams] = {
  itemName: '焊工技能培训',
  partnerName: '绿源纺织',
  decision: 'approve',
  stateName: '待审批',
  dueOn: '2026-12-31',
  unitName: '西湖区总工会',
} as never;

/** The inbox over HTTP: each account its own, read/unread, bad input, no personal number in any body. */
describe('notifications (站内消息) over HTTP', () => {
  let t: TestApp;
  let worker: Actor;
  let unit: OrgUnitRow;
  let staff: Actor;
  const bodies: string[] = [];
  const statuses: number[] = [];
  const http = () => request(t.app.getHttpServer());
  const call = async (actor: Actor | null, method: 'get' | 'post', path: string) => {
    let req = http()[method](`${API}${path}`);
    if (actor) req = req.set('authorization', `Bearer ${actor.token}`);
    const res = await req;
    bodies.push(res.text);
    statuses.push(res.status);
    return res;
  };
  /** Every event, once, to `recipient`, through the service (as the other modules send them). */
  const sendAll = (recipient: string) =>
    t.app.get(DataSource).transaction(async (m) => {
      for (const event of NOTIFICATION_EVENTS)
        await t.app.get(NotificationsService).notify(m, {
          recipients: [recipient],
          event,
          ...renderNotification(event, PARAMS as never),
          ref: { type: 'match', id: '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a' },
        });
    });

  beforeAll(async () => {
    t = await createTestApp();
    const root = await rootOrgUnit(t.db.dataSource);
    unit = await createOrgUnit(t.db.dataSource, {
      parent: root,
      level: 'grassroots',
      regionCode: '330106',
    });
    worker = await createActor(t.app, { kind: 'worker', roles: [], unit });
    staff = await createActor(t.app, { roles: ['caseworker'], unit });
    await sendAll(worker.userId);
    await sendAll(staff.userId);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the caller’s own messages, newest first, paged, with an unread count', async () => {
    // An inbox of its own: other tests mark the shared worker's messages read (in any order).
    const me = await createActor(t.app, { kind: 'worker', roles: [], unit });
    await sendAll(me.userId);
    const page = await call(me, 'get', '/notifications?pageSize=5');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: NOTIFICATION_EVENTS.length, page: 1, pageSize: 5 });
    expect(page.body.items).toHaveLength(5);
    expect(page.body.items[0]).toMatchObject({
      ref: { type: 'match', id: '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a' },
      readAt: null,
    });
    const events = (await call(me, 'get', '/notifications?pageSize=100')).body.items.map(
      (n: { event: string }) => n.event,
    );
    expect([...events].sort()).toEqual([...NOTIFICATION_EVENTS].sort());
    expect((await call(me, 'get', '/notifications/unread-count')).body).toEqual({
      count: NOTIFICATION_EVENTS.length,
    });
  });

  it('marks one read (again: unchanged), refuses another account’s as 404, then reads all', async () => {
    const mine = (await call(worker, 'get', '/notifications')).body.items[0].id as string;
    const theirs = (await call(staff, 'get', '/notifications')).body.items[0].id as string;
    const read = await call(worker, 'post', `/notifications/${mine}/read`);
    expect([read.status, read.body.id]).toEqual([200, mine]);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await call(worker, 'post', `/notifications/${mine}/read`)).body.readAt).toBe(read.body.readAt);
    const other = await call(worker, 'post', `/notifications/${theirs}/read`);
    expect([other.status, other.body.code]).toEqual([404, 'NOTIFICATION_NOT_FOUND']);
    expect((await call(staff, 'get', '/notifications/unread-count')).body.count).toBe(
      NOTIFICATION_EVENTS.length,
    );
    const unread = await call(worker, 'get', '/notifications?unread=true&pageSize=100');
    expect(unread.body.total).toBe(NOTIFICATION_EVENTS.length - 1);
    expect(unread.body.items.map((n: { id: string }) => n.id)).not.toContain(mine);
    const all = await call(worker, 'post', '/notifications/read-all');
    expect([all.status, all.body]).toEqual([200, { updated: NOTIFICATION_EVENTS.length - 1 }]);
    expect((await call(worker, 'get', '/notifications/unread-count')).body).toEqual({ count: 0 });
    expect((await call(worker, 'get', '/notifications?unread=true')).body.total).toBe(0);
    expect((await call(staff, 'get', '/notifications/unread-count')).body.count).toBe(
      NOTIFICATION_EVENTS.length,
    );
  });

  it.each([
    ['get', '/notifications?unread=yes'],
    ['get', '/notifications?pageSize=0'],
    ['get', '/notifications?page=1.5'],
    ['get', '/notifications?recipientId=x'],
    ['post', '/notifications/not-a-uuid/read'],
  ] as const)('bad input %s %s → 400', async (method, path) => {
    expect((await call(worker, method, path)).status).toBe(400);
  });

  it('without a login: 401', async () => {
    expect((await call(null, 'get', '/notifications')).status).toBe(401);
    expect((await call(null, 'post', '/notifications/read-all')).status).toBe(401);
  });

  it('no response carried a personal number, and none was a 500', () => {
    expect(statuses).not.toContain(500);
    for (const body of bodies) expect(findUnmaskedPersonalData(body)).toEqual([]);
  });
});
