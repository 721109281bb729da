import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { OutboxRelayService } from '../../../src/infra/outbox/outbox-relay.service';
import { OutboxService } from '../../../src/infra/outbox/outbox.service';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import { SEARCH_ENGINE, SearchEngine } from '../../../src/infra/search/search-engine';
import type { Principal } from '../../../src/modules/auth/principal';
import {
  ListNeedsQueryDto,
  NeedDto,
  ScreenNeedDto,
  CreateNeedDto,
} from '../../../src/modules/needs/dto/needs.dto';
import { NeedsSearchSource } from '../../../src/modules/needs/needs-search.source';
import { NeedsService } from '../../../src/modules/needs/needs.service';
import { Page } from '../../../src/common/pagination/pagination';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import {
  domainError,
  dto,
  seedWorkflowTree,
  staff,
  worker,
  WorkflowTree,
  UnitRow,
} from '../archives/workflow-fixtures';

/** A date in China, `days` from today (needs carry the database's creation time, not the fake clock's). */
function chinaDate(days = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
const TODAY = chinaDate();

/**
 * The staff need list answered by the `needs` search index (PostgreSQL adapter, the engine without
 * MEILI_URL) and re-read from PostgreSQL: text and filters in the engine, the subtree pushed into it and
 * checked again in SQL, stale documents dropped, a stable order across pages.
 */
describe('the staff need list: search index, then PostgreSQL', () => {
  let t: TestApp;
  let ds: DataSource;
  let needs: NeedsService;
  let engine: SearchEngine;
  let tree: WorkflowTree;
  let reviewer: Principal;
  let districtReviewer: Principal;
  let outsideReviewer: Principal;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  /** Needs by name (see beforeAll). */
  const n: Record<string, NeedDto> = {};
  let welder: string;
  let rice: string;

  /** Relays every pending outbox row, so the index has every committed change. */
  const settle = async () => {
    const outbox = t.app.get(OutboxService);
    const relay = t.app.get(OutboxRelayService);
    for (let i = 0; i < 200; i += 1) {
      if ((await outbox.pendingCount()) === 0) return;
      await relay.relayBatch();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the outbox never drained');
  };
  const order = async (unit: UnitRow, itemCode: string, extra: Record<string, unknown> = {}) => {
    const me = await worker(ds, unit, '张建明');
    await createArchive(ds, {
      orgUnitId: unit.id,
      ownerUserId: me.userId,
      status: 'active',
      archiveNo: `330106-2026-${String(Math.floor(Math.random() * 900000) + 100000)}`,
      activatedAt: new Date('2026-01-05T02:00:00Z'),
      headName: '欧阳建国',
    });
    return needs.create(
      me,
      dto(CreateNeedDto, { itemCode, quantity: 1, urgency: 'normal', contactPreference: 'phone', ...extra }),
    );
  };
  const list = (principal: Principal, query: Record<string, unknown> = {}): Promise<Page<NeedDto>> =>
    needs.list(principal, dto(ListNeedsQueryDto, { pageSize: '100', ...query }));
  const ids = (page: Page<NeedDto>) => page.items.map((item) => item.id);
  /**
   * Removes needs a test added (as the database owner), so the other tests — which run in any order
   * under `--randomize` — see only the needs of beforeAll.
   */
  const forget = async (needIds: string[]) => {
    await settle();
    await t.db.owner.query(`DELETE FROM need_history WHERE need_id = ANY($1::uuid[])`, [needIds]);
    await t.db.owner.query(`DELETE FROM needs WHERE id = ANY($1::uuid[])`, [needIds]);
    await t.app.get(ReindexService).rebuild('needs');
  };
  const named = (...names: string[]) => names.map((name) => n[name]!.id);

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    needs = t.app.get(NeedsService);
    engine = t.app.get<SearchEngine>(SEARCH_ENGINE);
    tree = await seedWorkflowTree(ds);
    reviewer = await staff(ds, tree.grassroots, ['reviewer'], '赵审核');
    districtReviewer = await staff(ds, tree.district, ['reviewer'], '区审核');
    outsideReviewer = await staff(ds, tree.grassroots3, ['reviewer'], '宁波审核');
    welder = (
      await createMenuItem(ds, { name: '焊工技能培训', category: 'training', tags: ['电焊', '氩弧焊'] })
    ).code;
    rice = (await createMenuItem(ds, { name: '米面油慰问品', category: 'donation', unit: 'goods', tags: [] }))
      .code;

    // Created in this order (waiting time), all in screening after the automatic screening.
    n.welderNormal = await order(tree.grassroots, welder, { tags: ['电焊'] });
    n.welderEmergency = await order(tree.grassroots, welder, { urgency: 'emergency', tags: ['氩弧焊'] });
    n.riceUrgent = await order(tree.grassroots, rice, { urgency: 'urgent' });
    n.welderUrgent = await order(tree.grassroots, welder, {
      urgency: 'urgent',
      description: '家里缺大米，想学电焊',
    });
    n.riceNormal = await order(tree.grassroots, rice);
    n.sisterWelder = await order(tree.grassroots2, welder);
    n.ningboWelder = await order(tree.grassroots3, welder, { urgency: 'emergency' });
    n.welderNormal = await needs.screen(
      reviewer,
      n.welderNormal.id,
      dto(ScreenNeedDto, { version: n.welderNormal.version, decision: 'approve' }),
    );
    await settle();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('q: the item and category text and the picked tags, never the worker’s description', () => {
    it('finds by item name, in the default order (emergency first, then the longest waiting)', async () => {
      const page = await list(reviewer, { q: '焊工' });
      expect(ids(page)).toEqual(named('welderEmergency', 'welderUrgent', 'welderNormal'));
      expect(page.total).toBe(3);
    });

    it('finds by category name and by a picked tag', async () => {
      expect(ids(await list(reviewer, { q: '物资捐赠' }))).toEqual(named('riceUrgent', 'riceNormal'));
      expect(ids(await list(reviewer, { q: '氩弧焊' }))).toEqual(named('welderEmergency'));
    });

    it('every word must match', async () => {
      expect(ids(await list(reviewer, { q: '焊工 米面油' }))).toEqual([]);
      expect(ids(await list(reviewer, { q: '焊工 培训' }))).toHaveLength(3);
    });

    it('does not search the description a worker typed (it is not in the index)', async () => {
      expect((await list(reviewer, { q: '大米' })).total).toBe(0);
    });
  });

  describe('filters', () => {
    it.each([
      ['state', { state: 'open' }, ['welderNormal']],
      ['several states', { state: 'open,screening', urgency: 'urgent' }, ['riceUrgent', 'welderUrgent']],
      ['urgency', { urgency: 'emergency' }, ['welderEmergency']],
      ['category', { category: 'donation' }, ['riceUrgent', 'riceNormal']],
      ['category and text', { category: 'training', q: '焊工', urgency: 'normal' }, ['welderNormal']],
      ['submitted today', { createdFrom: TODAY, createdTo: TODAY }, undefined],
    ])('%s', async (_name, query, expected) => {
      const page = await list(reviewer, query);
      if (expected) expect(ids(page)).toEqual(named(...expected));
      else expect(page.total).toBe(5);
    });

    it('item code', async () => {
      expect(ids(await list(reviewer, { itemCode: rice }))).toEqual(named('riceUrgent', 'riceNormal'));
    });

    it('created range outside every need', async () => {
      const page = await list(reviewer, { createdTo: chinaDate(-1) });
      expect(page).toMatchObject({ items: [], total: 0 });
      expect((await list(reviewer, { createdFrom: chinaDate(1) })).total).toBe(0);
    });

    it('the subtree is a filter in the engine, not only a check afterwards: every page is full, the total is the subtree’s', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 5; page += 1) {
        const result = await list(reviewer, { page: String(page), pageSize: '1' });
        expect(result.total).toBe(5);
        expect(result.items).toHaveLength(1);
        seen.push(...ids(result));
      }
      expect(seen).toEqual(ids(await list(reviewer)));
    });

    it('a unit subtree inside the caller’s', async () => {
      expect(ids(await list(districtReviewer, { orgUnitId: tree.grassroots2.id }))).toEqual(
        named('sisterWelder'),
      );
      expect((await list(districtReviewer, { q: '焊工' })).total).toBe(4);
    });
  });

  describe('order', () => {
    it('urgency (default), oldest and newest; ties by id', async () => {
      const all = named('welderEmergency', 'riceUrgent', 'welderUrgent', 'welderNormal', 'riceNormal');
      expect(ids(await list(reviewer))).toEqual(all);
      expect(ids(await list(reviewer, { sort: 'urgency' }))).toEqual(all);
      const created = named('welderNormal', 'welderEmergency', 'riceUrgent', 'welderUrgent', 'riceNormal');
      expect(ids(await list(reviewer, { sort: 'oldest' }))).toEqual(created);
      expect(ids(await list(reviewer, { sort: 'newest' }))).toEqual([...created].reverse());
    });

    it('is the same order as the SQL list workers get', async () => {
      // The worker list is SQL; the order rule (urgency, waiting, id) is shared: compare on one household's two needs.
      const me = await worker(ds, tree.grassroots, '张建明');
      await createArchive(ds, {
        orgUnitId: tree.grassroots.id,
        ownerUserId: me.userId,
        status: 'active',
        archiveNo: '330106-2026-424242',
        activatedAt: new Date('2026-01-05T02:00:00Z'),
      });
      const item = await createMenuItem(ds, { name: '家政技能培训' });
      const other = await createMenuItem(ds, { name: '家政服务岗位', category: 'employment' });
      const first = await needs.create(
        me,
        dto(CreateNeedDto, {
          itemCode: item.code,
          quantity: 1,
          urgency: 'normal',
          contactPreference: 'phone',
        }),
      );
      const second = await needs.create(
        me,
        dto(CreateNeedDto, {
          itemCode: other.code,
          quantity: 1,
          urgency: 'normal',
          contactPreference: 'phone',
        }),
      );
      await settle();
      try {
        for (const sort of ['urgency', 'oldest', 'newest']) {
          const mine = ids(await list(me, { sort }));
          const staffView = ids(await list(reviewer, { sort, q: '家政' }));
          expect(staffView).toEqual(mine);
          expect(new Set(mine)).toEqual(new Set([first.id, second.id]));
        }
      } finally {
        await forget([first.id, second.id]);
      }
    });

    it('pages never repeat or skip a need, equal waiting times included (ties by id)', async () => {
      // Five needs with the same urgency and the same waiting time: only the id orders them.
      const tied = [];
      for (let i = 0; i < 5; i += 1) tied.push((await order(tree.grassroots2, welder)).id);
      await ds.query(`UPDATE needs SET created_at = '2026-03-02T01:00:00Z' WHERE id = ANY($1::uuid[])`, [
        tied,
      ]);
      // No outbox row for the test's own UPDATE: rebuild the index instead.
      await t.app.get(ReindexService).rebuild('needs');
      const query = { orgUnitId: tree.grassroots2.id, urgency: 'normal' };
      try {
        const whole = ids(await list(districtReviewer, query));
        expect(whole).toHaveLength(6);
        expect(whole.slice(0, 5)).toEqual([...tied].sort());
        for (const pageSize of [1, 2, 4]) {
          const paged: string[] = [];
          for (let page = 1; (page - 1) * pageSize < whole.length; page += 1) {
            const result = await list(districtReviewer, {
              ...query,
              page: String(page),
              pageSize: String(pageSize),
            });
            expect(result.total).toBe(6);
            paged.push(...ids(result));
          }
          expect(paged).toEqual(whole);
        }
      } finally {
        await forget(tied);
      }
    });
  });

  describe('PostgreSQL is the source of truth for the page', () => {
    it('another subtree’s need never appears, even when the index wrongly places it in the caller’s', async () => {
      const source = t.app.get(NeedsSearchSource);
      const [real] = await source.load([n.ningboWelder!.id]);
      const [inside] = await source.load([n.welderNormal!.id]);
      // A doctored document: the Ningbo need claims the grassroots unit's path.
      await engine.upsert('needs', [{ ...real!, units: inside!.units }]);
      const raw = await engine.search('needs', {
        filter: { op: 'eq', field: 'units', value: tree.grassroots.id },
        limit: 100,
      });
      expect(raw.hits.map((h) => h.id)).toContain(n.ningboWelder!.id); // the engine is fooled …
      try {
        const page = await list(reviewer, { q: '焊工' });
        expect(ids(page)).not.toContain(n.ningboWelder!.id); // … the list is not
        expect(ids(page)).toEqual(named('welderEmergency', 'welderUrgent', 'welderNormal'));
        expect(page.total).toBe(3);
        expect(ids(await list(reviewer, { urgency: 'emergency' }))).toEqual(named('welderEmergency'));
      } finally {
        await engine.upsert('needs', [real!]);
      }
      expect(ids(await list(outsideReviewer))).toEqual(named('ningboWelder'));
    });

    it('a document whose need does not exist (deleted) is dropped, and the total does not count it', async () => {
      const source = t.app.get(NeedsSearchSource);
      const [template] = await source.load([n.riceNormal!.id]);
      const ghost = randomUUID();
      await engine.upsert('needs', [{ ...template!, id: ghost }]);
      try {
        const page = await list(reviewer, { itemCode: rice });
        expect(ids(page)).toEqual(named('riceUrgent', 'riceNormal'));
        expect(page.total).toBe(2);
      } finally {
        await engine.delete('needs', [ghost]);
      }
    });

    it('a need moved out of the subtree is dropped before the index hears of it', async () => {
      const moving = await order(tree.grassroots, rice, { urgency: 'emergency' });
      await settle();
      try {
        expect(ids(await list(reviewer, { itemCode: rice }))[0]).toBe(moving.id);
        // The archive moves to Ningbo; nothing tells the index (a stale document).
        await ds.query(`UPDATE archives SET org_unit_id = $1 WHERE id = $2`, [
          tree.grassroots3.id,
          moving.archiveId,
        ]);
        const page = await list(reviewer, { itemCode: rice });
        expect(ids(page)).toEqual(named('riceUrgent', 'riceNormal'));
        expect(page.total).toBe(2);
        // Once the index is rebuilt the need shows where it now belongs.
        await t.app.get(ReindexService).rebuild('needs');
        expect(ids(await list(outsideReviewer, { itemCode: rice }))).toEqual([moving.id]);
        expect((await list(reviewer, { itemCode: rice })).total).toBe(2);
      } finally {
        await forget([moving.id]);
      }
    });

    it('a need whose urgency changed since its document was written: the filter is checked again, the page shows PostgreSQL’s values', async () => {
      await ds.query(`UPDATE needs SET urgency = 'urgent' WHERE id = $1`, [n.welderEmergency!.id]);
      try {
        // The index still says emergency; PostgreSQL no longer does.
        expect(ids(await list(reviewer, { urgency: 'emergency' }))).toEqual([]);
        const page = await list(reviewer, { q: '氩弧焊' });
        expect(page.items.map((item) => item.urgency)).toEqual(['urgent']);
      } finally {
        await ds.query(`UPDATE needs SET urgency = 'emergency' WHERE id = $1`, [n.welderEmergency!.id]);
      }
    });
  });

  it('is audited with the filters, the order and what it returned', async () => {
    await list(reviewer, { q: '焊工', state: 'screening', sort: 'newest' });
    const [row] = await ds.query(
      `SELECT details FROM audit_logs WHERE action = 'need.list' AND actor_id = $1 ORDER BY id DESC LIMIT 1`,
      [reviewer.userId],
    );
    expect(row.details).toMatchObject({
      filters: { q: true, state: ['screening'] },
      sort: 'newest',
      returned: 2,
      total: 2,
    });
    expect(JSON.stringify(row.details)).not.toContain('焊工');
  });

  it('refuses a page beyond the first 1000 results with 422, and an outside unit with OUT_OF_SCOPE', async () => {
    expect((await domainError(list(reviewer, { page: '11', pageSize: '100' }))).code).toBe(
      'SEARCH_LIST_WINDOW_EXCEEDED',
    );
    expect((await list(reviewer, { page: '10', pageSize: '100' })).items).toEqual([]);
    expect((await domainError(list(reviewer, { orgUnitId: tree.grassroots3.id }))).code).toBe('OUT_OF_SCOPE');
  });
});
