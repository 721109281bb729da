import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { DomainError } from '../../../src/common/errors';
import { createHttpApp } from '../../../src/bootstrap';
import { OfferCapacityService } from '../../../src/modules/offers/offer-capacity.service';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { seedWorkflowTree, WorkflowTree } from '../archives/workflow-fixtures';

interface Counts {
  state: string;
  closed_reason: string | null;
  capacity: number;
  reserved: number;
  used: number;
  remaining: number;
}

/**
 * An offer's capacity spent by matches (issue 13 §2) on real PostgreSQL: reservations from two
 * application instances at once never overbook; release and use keep remaining = capacity − reserved −
 * used; the last use closes the offer as exhausted.
 */
describe('offer capacity (reserve, release, use)', () => {
  let t: TestApp;
  let second: Awaited<ReturnType<typeof createHttpApp>>;
  let ds: DataSource;
  let cipher: FieldCipher;
  let tree: WorkflowTree;
  let partnerId: string;
  let itemId: string;
  const clock = new FakeClock('2026-06-01T09:00:00+08:00');

  const counts = async (id: string): Promise<Counts> =>
    (
      await ds.query(
        `SELECT state, closed_reason, capacity, reserved, used, remaining FROM offers WHERE id = $1`,
        [id],
      )
    )[0];
  const published = async (capacity: number, extra: Parameters<typeof createOffer>[4] = {}) =>
    (await createOffer(ds, cipher, partnerId, [itemId], { state: 'published', capacity, ...extra })).id;
  const inTx = <T>(
    app: { get: TestApp['app']['get'] },
    work: (c: OfferCapacityService, m: import('typeorm').EntityManager) => Promise<T>,
  ) => app.get(DataSource).transaction((m) => work(app.get(OfferCapacityService), m));

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    cipher = t.app.get(FieldCipher);
    tree = await seedWorkflowTree(ds);
    partnerId = (await createPartner(ds, cipher, tree.district.id)).id;
    itemId = (await createMenuItem(ds, { unit: 'slots' })).id;
    // A second application instance on the same database (its own connection pool).
    second = await createHttpApp(t.config);
    await second.init();
  }, 120_000);

  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('50 concurrent reservations from two instances against capacity 7: exactly 7 succeed', async () => {
    for (let run = 0; run < 5; run++) {
      const id = await published(7);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          inTx(i % 2 === 0 ? t.app : second, (c, m) => c.reserve(m, id, 1)),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(ok).toHaveLength(7);
      expect(refused).toHaveLength(43);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(DomainError);
        expect((r.reason as DomainError).code).toBe('OFFER_CAPACITY_EXHAUSTED');
      }
      expect(await counts(id)).toMatchObject({ capacity: 7, reserved: 7, used: 0, remaining: 0 });
    }
  });

  it('refuses to reserve on an offer that is paused, out of its window, or whose partner is suspended', async () => {
    const paused = await published(5, { state: 'paused' });
    const expired = await published(5, { validFrom: '2026-01-01', validUntil: '2026-05-31' });
    const suspendedPartner = (await createPartner(ds, cipher, tree.district.id, { status: 'suspended' })).id;
    const ofSuspended = (
      await createOffer(ds, cipher, suspendedPartner, [itemId], { state: 'published', capacity: 5 })
    ).id;
    for (const id of [paused, expired, ofSuspended]) {
      await expect(inTx(t.app, (c, m) => c.reserve(m, id, 1))).rejects.toMatchObject({
        code: 'OFFER_CAPACITY_EXHAUSTED',
      });
      expect(await counts(id)).toMatchObject({ reserved: 0, remaining: 5 });
    }
  });

  it('release gives a reservation back, use turns it into use, and the last use closes the offer as exhausted', async () => {
    const id = await published(2);
    await inTx(t.app, (c, m) => c.reserve(m, id, 1));
    await inTx(t.app, (c, m) => c.reserve(m, id, 1));
    await inTx(t.app, (c, m) => c.release(m, id, 1));
    expect(await counts(id)).toMatchObject({ reserved: 1, used: 0, remaining: 1, state: 'published' });
    await inTx(t.app, (c, m) => c.use(m, id, 1));
    expect(await counts(id)).toMatchObject({ reserved: 0, used: 1, remaining: 1, state: 'published' });
    await inTx(t.app, (c, m) => c.reserve(m, id, 1));
    await inTx(t.app, (c, m) => c.use(m, id, 1));
    expect(await counts(id)).toMatchObject({
      reserved: 0,
      used: 2,
      remaining: 0,
      state: 'closed',
      closed_reason: 'exhausted',
    });
    const [last] = await ds.query(
      `SELECT command, from_state, to_state, actor_kind FROM offer_history WHERE offer_id = $1 ORDER BY id DESC LIMIT 1`,
      [id],
    );
    expect(last).toEqual({
      command: 'close',
      from_state: 'published',
      to_state: 'closed',
      actor_kind: 'system',
    });
  });

  it('never releases or uses more than is reserved, and a failed step leaves the offer as it was', async () => {
    const id = await published(3);
    await inTx(t.app, (c, m) => c.reserve(m, id, 1));
    await expect(inTx(t.app, (c, m) => c.release(m, id, 2))).rejects.toThrow(/more than is reserved/);
    await expect(inTx(t.app, (c, m) => c.use(m, id, 2))).rejects.toThrow(/more than is reserved/);
    expect(await counts(id)).toMatchObject({ reserved: 1, used: 0, remaining: 2 });
  });
});
