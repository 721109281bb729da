import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource, EntityManager } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import type { Principal } from '../../../src/modules/auth/principal';
import { CreateNeedDto, ScreenNeedDto } from '../../../src/modules/needs/dto/needs.dto';
import { NeedsService } from '../../../src/modules/needs/needs.service';
import {
  DELIVERY_CHANNEL,
  type DeliveryChannel,
} from '../../../src/modules/notifications/delivery/delivery-channel';
import { NotificationDeliveryService } from '../../../src/modules/notifications/delivery/notification-delivery.service';
import { ListNotificationsQueryDto } from '../../../src/modules/notifications/dto/notifications.dto';
import { renderNotification } from '../../../src/modules/notifications/notification-events';
import {
  NotificationsService,
  type NotifyInput,
} from '../../../src/modules/notifications/notifications.service';
import { VetPartnerDto } from '../../../src/modules/partners/dto/partner.dto';
import { PartnerVettingService } from '../../../src/modules/partners/partner-vetting.service';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import {
  domainError,
  dto,
  seedWorkflowTree,
  staff,
  worker,
  WorkflowTree,
} from '../archives/workflow-fixtures';

const waitFor = async (check: () => Promise<boolean>, ms = 8_000) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in time');
};

/**
 * Notifications on real PostgreSQL: rows written in the caller's transaction and delivered after commit
 * (the rows are their own outbox), retries and giving up, inbox scoping, the text guard, and the two
 * events wired today (need screened, partner approved / suspended).
 */
describe('notifications (站内消息) on real PostgreSQL', () => {
  let t: TestApp;
  let ds: DataSource;
  let notifications: NotificationsService;
  let tree: WorkflowTree;
  let alice: Principal;
  let bob: Principal;
  const body = renderNotification('match.approved', { itemName: '焊工技能培训', partnerName: '绿源纺织' });
  const notify = (recipients: string[], extra: Partial<NotifyInput> = {}) =>
    ds.transaction((m: EntityManager) =>
      notifications.notify(m, { recipients, event: 'match.approved', ...body, ...extra }),
    );
  const rows = (recipientId: string) =>
    ds.query(
      `SELECT id, event, title, delivery_state AS state, delivery_attempts AS attempts, last_error AS "lastError"
         FROM notifications WHERE recipient_id = $1 ORDER BY created_at, id`,
      [recipientId],
    );
  const inbox = (who: Principal, query: Record<string, unknown> = {}) =>
    notifications.list(who, dto(ListNotificationsQueryDto, query));

  beforeAll(async () => {
    // The poll is 10 minutes: only the after-commit nudge can deliver within a test.
    t = await createTestApp({ overrides: { notifications: { maxAttempts: 2, pollIntervalMs: 600_000 } } });
    // The application's own DataSource: its commits are the ones the delivery service listens to.
    ds = t.app.get(DataSource);
    notifications = t.app.get(NotificationsService);
    tree = await seedWorkflowTree(ds);
    alice = await worker(ds, tree.grassroots, '张建明');
    bob = await worker(ds, tree.grassroots, '李秀英');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes one row per recipient in the caller’s transaction and delivers it after commit', async () => {
    const ids = await notify([alice.userId, bob.userId, alice.userId], {
      ref: { type: 'match', id: '7d0b4f6e-0c1a-4e2b-9f3c-5a6b7c8d9e0f' },
    });
    expect(ids).toHaveLength(2);
    await waitFor(async () => (await rows(alice.userId))[0]?.state === 'sent');
    expect(await rows(alice.userId)).toEqual([
      {
        id: ids[0],
        event: 'match.approved',
        title: '对接已审批',
        state: 'sent',
        attempts: 1,
        lastError: null,
      },
    ]);
  });

  it('a rolled-back transaction leaves no row and delivers nothing', async () => {
    const carol = await worker(ds, tree.grassroots, '王五');
    await expect(
      ds.transaction(async (m) => {
        await notifications.notify(m, { recipients: [carol.userId], event: 'match.approved', ...body });
        throw new Error('the match approval failed');
      }),
    ).rejects.toThrow('the match approval failed');
    expect(await rows(carol.userId)).toEqual([]);
  });

  it('refuses text with an ID or phone number, an unknown event, and a call outside a transaction', async () => {
    const carol = await worker(ds, tree.grassroots, '王五');
    await expect(notify([carol.userId], { body: '请致电13812345678联系服务方' })).rejects.toThrow(
      /身份证号、手机号/,
    );
    await expect(notify([carol.userId], { title: '身份证110101199003074514' })).rejects.toThrow(
      /身份证号、手机号/,
    );
    await expect(notify([carol.userId], { event: 'match.lost' as never })).rejects.toThrow(
      /未登记的通知事件/,
    );
    await expect(
      notifications.notify(ds.manager, { recipients: [carol.userId], event: 'match.approved', ...body }),
    ).rejects.toThrow(/事务/);
    expect(await rows(carol.userId)).toEqual([]);
  });

  it('a failing channel is retried with backoff, then the row is failed (maxAttempts 2)', async () => {
    const carol = await worker(ds, tree.grassroots, '王五');
    const channel = t.app.get<DeliveryChannel>(DELIVERY_CHANNEL);
    const spy = jest.spyOn(channel, 'deliver').mockRejectedValue(new Error('短信网关返回 HTTP 503'));
    try {
      await notify([carol.userId]);
      await waitFor(async () => (await rows(carol.userId))[0]?.attempts === 1);
      expect(await rows(carol.userId)).toEqual([
        expect.objectContaining({ state: 'pending', attempts: 1, lastError: '短信网关返回 HTTP 503' }),
      ]);
      const [{ due }] = await ds.query(
        `SELECT next_attempt_at > now() + interval '1 second' AS due FROM notifications WHERE recipient_id = $1`,
        [carol.userId],
      );
      expect(due).toBe(true); // held back by the backoff (2 s)
      await ds.query(`UPDATE notifications SET next_attempt_at = now() WHERE recipient_id = $1`, [
        carol.userId,
      ]);
      await t.app.get(NotificationDeliveryService).deliverBatch();
      await waitFor(async () => (await rows(carol.userId))[0]?.state === 'failed');
      expect(await rows(carol.userId)).toEqual([expect.objectContaining({ state: 'failed', attempts: 2 })]);
    } finally {
      spy.mockRestore();
    }
  });

  it('the inbox: own rows only, unread filter and count, mark read (another’s is 404), read all', async () => {
    const dave = await worker(ds, tree.grassroots, '赵六');
    const erin = await worker(ds, tree.grassroots, '钱七');
    const [first] = await notify([dave.userId]);
    const [second] = await notify([dave.userId], {
      event: 'match.delivered',
      title: '服务已完成',
      body: '请确认',
    });
    const [erins] = await notify([erin.userId]);
    const page = await inbox(dave);
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(page.items.map((n) => n.id)).toEqual([second, first]);
    expect(await notifications.unreadCount(dave)).toEqual({ count: 2 });
    expect((await domainError(notifications.markRead(dave, erins!))).code).toBe('NOTIFICATION_NOT_FOUND');
    expect(
      (await domainError(notifications.markRead(dave, '2f1e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b'))).code,
    ).toBe('NOTIFICATION_NOT_FOUND');
    const read = await notifications.markRead(dave, first!);
    expect(read.readAt).not.toBeNull();
    // Marking again keeps the first time.
    expect((await notifications.markRead(dave, first!)).readAt).toBe(read.readAt);
    expect((await inbox(dave, { unread: 'true' })).items.map((n) => n.id)).toEqual([second]);
    expect(await notifications.unreadCount(dave)).toEqual({ count: 1 });
    expect(await notifications.markAllRead(dave)).toEqual({ updated: 1 });
    expect(await notifications.unreadCount(dave)).toEqual({ count: 0 });
    // Erin's message was never touched by Dave's calls.
    expect(await notifications.unreadCount(erin)).toEqual({ count: 1 });
  });

  it('need screened: the household’s worker (and the caseworker who ordered for it) is told the outcome', async () => {
    const needs = t.app.get(NeedsService);
    const owner = await worker(ds, tree.grassroots, '孙八');
    const caseworker = await staff(ds, tree.grassroots, ['caseworker'], '刘经办');
    const reviewer = await staff(ds, tree.grassroots, ['reviewer'], '赵审核');
    await createArchive(ds, { orgUnitId: tree.grassroots.id, ownerUserId: owner.userId, status: 'active' });
    const item = await createMenuItem(ds, { name: '焊工技能培训' });
    const created = await needs.create(
      caseworker,
      dto(CreateNeedDto, {
        itemCode: item.code,
        quantity: 1,
        urgency: 'normal',
        contactPreference: 'phone',
        archiveId: (await ds.query(`SELECT id FROM archives WHERE owner_user_id = $1`, [owner.userId]))[0].id,
      }),
    );
    expect(await rows(owner.userId)).toEqual([]);
    await needs.screen(
      reviewer,
      created.id,
      dto(ScreenNeedDto, { version: created.version, decision: 'approve' }),
    );
    for (const who of [owner, caseworker]) {
      const [n] = (await inbox(who)).items;
      expect(n).toMatchObject({
        event: 'need.screened',
        title: '需求已通过审核',
        body: expect.stringContaining('焊工技能培训'),
        ref: { type: 'need', id: created.id },
      });
    }
    expect(await rows(reviewer.userId)).toEqual([]);
  });

  it('partner approved and suspended: every account of the partner is told', async () => {
    const vetting = t.app.get(PartnerVettingService);
    const reviewer = await staff(ds, tree.district, ['reviewer'], '区审核');
    const partner = await createPartner(ds, t.app.get(FieldCipher), tree.district.id, {
      status: 'pending',
      name: '杭州爱心家政服务有限公司',
    });
    const accounts = await Promise.all(
      [1, 2].map(
        async () =>
          (await createUser(ds, { kind: 'partner', roles: [], partnerId: partner.id, orgUnit: null })).user
            .id,
      ),
    );
    await vetting.vet(reviewer, partner.id, 'approve', dto(VetPartnerDto, { version: 1 }));
    await vetting.vet(
      reviewer,
      partner.id,
      'suspend',
      dto(VetPartnerDto, { version: 2, reason: '服务投诉核查期间暂停' }),
    );
    for (const id of accounts)
      expect((await rows(id)).map((r: { event: string }) => r.event)).toEqual([
        'partner.approved',
        'partner.suspended',
      ]);
    const [suspended] = await ds.query(
      `SELECT body FROM notifications WHERE recipient_id = $1 AND event = 'partner.suspended'`,
      [accounts[0]],
    );
    expect(suspended.body).toContain('杭州爱心家政服务有限公司');
  });
});

/** The SMS channel configured by URL and key, end to end: the number leaves only in the gateway request. */
describe('notifications through the SMS channel', () => {
  let t: TestApp;
  let server: Server;
  const requests: { authorization?: string; body: string }[] = [];
  const PHONE = '13912345678';

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        requests.push({ authorization: req.headers.authorization, body: text });
        res.writeHead(200).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    t = await createTestApp({
      overrides: {
        notifications: {
          channel: 'sms',
          sms: { url: `http://127.0.0.1:${port}/send`, apiKey: 'medium-test-key-42' },
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('looks the number up from the user id, posts it to the gateway, and keeps it out of the row', async () => {
    const ds = t.db.dataSource;
    const tree = await seedWorkflowTree(ds);
    const unit = {
      id: tree.grassroots.id,
      name: tree.grassroots.name,
      level: 'grassroots' as const,
      path: tree.grassroots.path,
      parentId: tree.grassroots.parentId,
    };
    const { user } = await createUser(ds, {
      kind: 'worker',
      roles: [],
      orgUnit: unit,
      phone: PHONE,
      cipher: t.app.get(FieldCipher),
    });
    const { user: noPhone } = await createUser(ds, { kind: 'worker', roles: [], orgUnit: unit });
    const rendered = renderNotification('match.confirm-receipt', { itemName: '临时生活救助金' });
    await ds.transaction((m) =>
      t.app.get(NotificationsService).notify(m, {
        recipients: [user.id, noPhone.id],
        event: 'match.confirm-receipt',
        ...rendered,
      }),
    );
    await waitFor(async () => {
      const states = await ds.query(`SELECT delivery_state FROM notifications ORDER BY delivery_state`);
      return states.map((s: { delivery_state: string }) => s.delivery_state).join() === 'sent,skipped';
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.authorization).toBe('Bearer medium-test-key-42');
    expect(JSON.parse(requests[0]!.body)).toMatchObject({
      phone: PHONE,
      content: `【帮扶】${rendered.title}：${rendered.body}`,
    });
    const stored = JSON.stringify(await ds.query(`SELECT * FROM notifications`));
    expect(stored).not.toContain(PHONE);
  });
});
