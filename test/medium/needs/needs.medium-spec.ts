import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { OutboxService } from '../../../src/infra/outbox/outbox.service';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import { SEARCH_ENGINE, SearchEngine, F } from '../../../src/infra/search/search-engine';
import type { Principal } from '../../../src/modules/auth/principal';
import { CreateNeedDto, ListNeedsQueryDto, ScreenNeedDto } from '../../../src/modules/needs/dto/needs.dto';
import { NeedsSearchSource } from '../../../src/modules/needs/needs-search.source';
import { NeedsService } from '../../../src/modules/needs/needs.service';
import { allowedNeedStatePairs } from '../../../src/modules/needs/rules/need-transitions.rule';
import { createArchive, CreatedArchive } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import {
  domainError,
  dto,
  seedWorkflowTree,
  staff,
  worker,
  WorkflowTree,
} from '../archives/workflow-fixtures';

const DAY = 86_400_000;

/** Needs on real PostgreSQL: create, screen, withdraw, expire, the database's own guards, the index. */
describe('needs (需求/点单) on real PostgreSQL', () => {
  let t: TestApp;
  let ds: DataSource;
  let needs: NeedsService;
  let tree: WorkflowTree;
  let reviewer: Principal;
  let reviewer2: Principal;
  let districtReviewer: Principal;
  let caseworker: Principal;
  let outsideReviewer: Principal;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');

  const household = async (
    owner: Principal | null,
    overrides: Parameters<typeof createArchive>[1] | object = {},
  ) =>
    createArchive(ds, {
      orgUnitId: tree.grassroots.id,
      ownerUserId: owner?.userId ?? null,
      status: 'active',
      archiveNo: `330106-2026-${String(Math.floor(Math.random() * 900000) + 100000)}`,
      activatedAt: new Date('2026-01-05T02:00:00Z'),
      members: [
        { relation: 'spouse', name: '李秀英', birthDate: '1970-02-03' },
        {
          relation: 'child',
          name: '张小明',
          birthDate: '2006-09-01',
          gender: 'male',
          schoolingStage: 'college',
        },
      ],
      ...overrides,
    });
  const order = (principal: Principal, itemCode: string, extra: Record<string, unknown> = {}) =>
    needs.create(
      principal,
      dto(CreateNeedDto, { itemCode, quantity: 1, urgency: 'normal', contactPreference: 'phone', ...extra }),
    );
  const history = (id: string) =>
    ds.query(
      `SELECT command, from_state, to_state, actor_kind, actor_id, reasons FROM need_history WHERE need_id = $1 ORDER BY id`,
      [id],
    );
  const outboxRows = (id: string) =>
    ds.query(`SELECT operation FROM outbox WHERE index_name = 'needs' AND document_id = $1 ORDER BY id`, [
      id,
    ]);
  const newWorker = () => worker(ds, tree.grassroots, '张建明');

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    needs = t.app.get(NeedsService);
    tree = await seedWorkflowTree(ds);
    reviewer = await staff(ds, tree.grassroots, ['reviewer'], '赵审核');
    reviewer2 = await staff(ds, tree.grassroots, ['reviewer'], '钱审核');
    districtReviewer = await staff(ds, tree.district, ['reviewer'], '区审核');
    caseworker = await staff(ds, tree.grassroots, ['caseworker', 'reviewer'], '刘经办');
    outsideReviewer = await staff(ds, tree.grassroots3, ['reviewer'], '宁波审核');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a worker orders for its own household: screening, two history rows, audit and outbox in the same transaction', async () => {
    const me = await newWorker();
    const { archive } = await household(me);
    const item = await createMenuItem(ds, { tags: ['电焊', '氩弧焊'], maxPerNeed: 2 });
    const need = await order(me, item.code, {
      tags: ['电焊'],
      quantity: 2,
      description: '想学电焊，考焊工证',
    });
    expect(need).toMatchObject({
      state: 'screening',
      archiveId: archive.id,
      onBehalf: false,
      regionCode: '330106',
      preferredMode: 'any',
      beneficiary: { kind: 'head', memberId: null },
      screeningViolations: [],
    });
    expect(need.headName).not.toContain('张建明');
    expect(await history(need.id)).toEqual([
      {
        command: 'submit',
        from_state: null,
        to_state: 'submitted',
        actor_kind: 'worker',
        actor_id: me.userId,
        reasons: [],
      },
      {
        command: 'auto-screen',
        from_state: 'submitted',
        to_state: 'screening',
        actor_kind: 'system',
        actor_id: null,
        reasons: [],
      },
    ]);
    expect(await outboxRows(need.id)).toEqual([{ operation: 'upsert' }]);
    expect(await ds.query(`SELECT action FROM audit_logs WHERE target_id = $1`, [need.id])).toEqual([
      { action: 'need.create' },
    ]);
  });

  it('the outbox row is written in the need’s transaction: a failure after it leaves neither', async () => {
    const me = await newWorker();
    await household(me);
    const item = await createMenuItem(ds);
    const outbox = t.app.get(OutboxService);
    const record = outbox.record.bind(outbox);
    const seen: unknown[] = [];
    const spy = jest.spyOn(outbox, 'record').mockImplementationOnce(async (manager, index, ids, op) => {
      await record(manager, index, ids, op);
      // Inside the transaction: the need and its outbox row are both there, uncommitted.
      seen.push(
        ...(await manager.query(
          `SELECT n.state, o.operation FROM needs n JOIN outbox o ON o.document_id = n.id::text WHERE n.id = $1`,
          [ids[0]],
        )),
      );
      throw new Error('a failure after the outbox write');
    });
    try {
      await expect(order(me, item.code)).rejects.toThrow('a failure after the outbox write');
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual([{ state: 'screening', operation: 'upsert' }]);
    expect(await ds.query(`SELECT id FROM needs WHERE menu_item_id = $1`, [item.id])).toEqual([]);
    expect(
      await ds.query(
        `SELECT o.id FROM outbox o LEFT JOIN needs n ON n.id::text = o.document_id WHERE o.index_name = 'needs' AND n.id IS NULL`,
      ),
    ).toEqual([]);
  });

  it('先建档、后帮扶: a draft archive is rejected by the automatic screening with the rule code; no archive at all is 422', async () => {
    const me = await newWorker();
    await household(me, { status: 'draft', archiveNo: null, activatedAt: null });
    const item = await createMenuItem(ds);
    const need = await order(me, item.code);
    expect(need).toMatchObject({ state: 'rejected', rejectReasons: ['archive_not_active'] });
    expect(need.screeningViolations).toEqual(['archive_not_active']);
    expect((await history(need.id))[1]).toMatchObject({
      to_state: 'rejected',
      reasons: ['archive_not_active'],
    });

    const homeless = await newWorker();
    expect((await domainError(order(homeless, item.code))).code).toBe('NEED_ARCHIVE_REQUIRED');
  });

  it('a temporary archive suffices only for items that accept it', async () => {
    const me = await newWorker();
    await household(me, { kind: 'temporary' });
    const relief = await createMenuItem(ds, { category: 'relief', acceptsTemporaryArchive: true });
    const training = await createMenuItem(ds);
    expect((await order(me, relief.code)).state).toBe('screening');
    expect(await order(me, training.code)).toMatchObject({
      state: 'rejected',
      rejectReasons: ['temporary_archive_not_accepted'],
    });
  });

  it('tuition aid: a member in the named schooling stage passes; the spouse or a stranger is rejected', async () => {
    const me = await newWorker();
    const created: CreatedArchive = await household(me);
    const [spouseId, childId] = created.memberIds;
    const tuition = await createMenuItem(ds, {
      category: 'tuition',
      unit: 'yuan',
      maxPerNeed: 500_000,
      beneficiary: 'member_in_stage',
      stages: ['college'],
    });
    const forChild = await order(me, tuition.code, { beneficiaryMemberId: childId, quantity: 300_000 });
    expect(forChild).toMatchObject({
      state: 'screening',
      beneficiary: { kind: 'member', memberId: childId, relation: 'child' },
    });
    expect(forChild.beneficiary.name).not.toBe('张小明');
    expect((await order(me, tuition.code, { beneficiaryMemberId: spouseId })).rejectReasons).toEqual([
      'beneficiary_not_eligible',
    ]);
    expect(
      (await order(me, tuition.code, { beneficiaryMemberId: '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44' }))
        .rejectReasons,
    ).toEqual(['beneficiary_not_in_household']);
    // Above the item's maximum: refused before anything is written.
    const error = await domainError(
      order(me, tuition.code, { beneficiaryMemberId: childId, quantity: 500_001 }),
    );
    expect(error).toMatchObject({ code: 'NEED_QUANTITY_OUT_OF_RANGE', details: { max: 500_000 } });
  });

  it('one open need per household, item and beneficiary: 409 with the existing id; after a withdrawal it can be ordered again', async () => {
    const me = await newWorker();
    await household(me);
    const item = await createMenuItem(ds);
    const first = await order(me, item.code);
    const error = await domainError(order(me, item.code));
    expect(error).toMatchObject({ code: 'NEED_DUPLICATE', details: { needId: first.id } });
    await needs.withdraw(me, first.id, { version: first.version, note: '已自行解决' });
    expect((await order(me, item.code)).state).toBe('screening');
  });

  it('two identical orders at once: the database lets one through, the other gets 409 naming it', async () => {
    const me = await newWorker();
    await household(me);
    const item = await createMenuItem(ds);
    const results = await Promise.allSettled([
      order(me, item.code),
      order(me, item.code),
      order(me, item.code),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    const winnerId = (won[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    for (const r of lost)
      expect(r.reason).toMatchObject({ code: 'NEED_DUPLICATE', details: { needId: winnerId } });
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM needs WHERE menu_item_id = $1`, [
      item.id,
    ]);
    expect(count).toBe(1);
  });

  it('a caseworker orders on a worker’s behalf inside its scope (recorded); outside it, or for another worker, 403', async () => {
    const owner = await newWorker();
    const { archive } = await household(owner);
    const item = await createMenuItem(ds);
    const need = await order(caseworker, item.code, { archiveId: archive.id });
    expect(need.onBehalf).toBe(true);
    expect((await history(need.id))[0]).toMatchObject({ actor_kind: 'staff', actor_id: caseworker.userId });
    expect((await domainError(order(caseworker, item.code))).code).toBe('NEED_ARCHIVE_ID_REQUIRED');

    const outsider = await staff(ds, tree.grassroots3, ['caseworker'], '宁波经办');
    const other = await createMenuItem(ds);
    expect((await domainError(order(outsider, other.code, { archiveId: archive.id }))).code).toBe(
      'OUT_OF_SCOPE',
    );
    const someoneElse = await newWorker();
    expect((await domainError(order(someoneElse, other.code, { archiveId: archive.id }))).code).toBe(
      'NOT_OWNER',
    );
  });

  it('a reviewer of the unit or above opens a need (validity from now); out of scope 403; the orderer may not screen it', async () => {
    const me = await newWorker();
    await household(me);
    const item = await createMenuItem(ds, { validityDays: 30 });
    const need = await order(me, item.code);
    const screen = (who: Principal, body: Record<string, unknown>) =>
      needs.screen(who, need.id, dto(ScreenNeedDto, body));
    expect(
      (await domainError(screen(outsideReviewer, { version: need.version, decision: 'approve' }))).code,
    ).toBe('OUT_OF_SCOPE');
    expect(
      (await domainError(screen(districtReviewer, { version: need.version, decision: 'reject' }))).code,
    ).toBe('NEED_REJECT_REASONS_REQUIRED');
    const opened = await screen(districtReviewer, {
      version: need.version,
      decision: 'approve',
      note: '符合条件',
    });
    expect(opened.state).toBe('open');
    expect(opened.openedAt).toBe(clock.now().toISOString());
    expect(new Date(opened.expiresAt!).getTime() - clock.now().getTime()).toBe(30 * DAY);
    // Screening again: the version moved on.
    expect(
      await domainError(screen(reviewer, { version: opened.version - 1, decision: 'approve' })),
    ).toMatchObject({
      code: 'NEED_VERSION_CONFLICT',
    });
    expect(
      await domainError(screen(reviewer, { version: opened.version, decision: 'approve' })),
    ).toMatchObject({
      code: 'NEED_INVALID_TRANSITION',
      details: { state: 'open' },
    });

    const onBehalf = await order(caseworker, (await createMenuItem(ds)).code, { archiveId: need.archiveId });
    expect(
      (
        await domainError(
          needs.screen(
            caseworker,
            onBehalf.id,
            dto(ScreenNeedDto, { version: onBehalf.version, decision: 'approve' }),
          ),
        )
      ).code,
    ).toBe('SELF_APPROVAL');
  });

  it('two reviewers screening at once: one wins, the other gets 409', async () => {
    const me = await newWorker();
    await household(me);
    const need = await order(me, (await createMenuItem(ds)).code);
    const results = await Promise.allSettled([
      needs.screen(reviewer, need.id, dto(ScreenNeedDto, { version: need.version, decision: 'approve' })),
      needs.screen(
        reviewer2,
        need.id,
        dto(ScreenNeedDto, { version: need.version, decision: 'reject', reasons: ['other'] }),
      ),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.code).toBe('NEED_VERSION_CONFLICT');
    expect((await history(need.id)).filter((h: { command: string }) => h.command === 'screen')).toHaveLength(
      1,
    );
  });

  it('a reviewer rejects with reasons; withdraw works before matched and is 409 after; another worker gets 403', async () => {
    const me = await newWorker();
    await household(me);
    const rejected = await order(me, (await createMenuItem(ds)).code);
    const done = await needs.screen(
      reviewer,
      rejected.id,
      dto(ScreenNeedDto, {
        version: rejected.version,
        decision: 'reject',
        reasons: ['already_helped', 'other'],
      }),
    );
    expect(done).toMatchObject({ state: 'rejected', rejectReasons: ['already_helped', 'other'] });

    const need = await order(me, (await createMenuItem(ds)).code);
    const stranger = await newWorker();
    expect((await domainError(needs.withdraw(stranger, need.id, { version: need.version }))).code).toBe(
      'NOT_OWNER',
    );
    // The match lifecycle (a later issue) moves it to matched; withdrawing is then refused, naming the state.
    const opened = await needs.screen(
      reviewer,
      need.id,
      dto(ScreenNeedDto, { version: need.version, decision: 'approve' }),
    );
    await ds.query(`UPDATE needs SET state = 'matched', version = version + 1 WHERE id = $1`, [need.id]);
    expect(await domainError(needs.withdraw(me, need.id, { version: opened.version + 1 }))).toMatchObject({
      code: 'NEED_INVALID_TRANSITION',
      details: { state: 'matched' },
    });
    const byCaseworker = await order(me, (await createMenuItem(ds)).code);
    const withdrawn = await needs.withdraw(caseworker, byCaseworker.id, {
      version: byCaseworker.version,
      note: '职工电话告知不再需要',
    });
    expect(withdrawn.state).toBe('withdrawn');
    expect((await history(byCaseworker.id)).at(-1)).toMatchObject({
      command: 'withdraw',
      actor_kind: 'staff',
    });
  });

  it('the daily job expires open needs past validity (and nothing else); the run is repeatable', async () => {
    const me = await newWorker();
    await household(me);
    const item = await createMenuItem(ds, { validityDays: 10 });
    const need = await order(me, item.code);
    const waiting = await order(me, (await createMenuItem(ds, { validityDays: 1 })).code);
    await needs.screen(reviewer, need.id, dto(ScreenNeedDto, { version: need.version, decision: 'approve' }));
    const start = clock.now();
    try {
      clock.advance(9 * DAY);
      await needs.expireOverdue();
      expect((await needs.get(me, need.id)).state).toBe('open');
      clock.advance(1 * DAY);
      const { expired } = await needs.expireOverdue();
      expect(expired).toBeGreaterThanOrEqual(1);
      expect((await needs.get(me, need.id)).state).toBe('expired');
      expect((await needs.get(me, waiting.id)).state).toBe('screening');
      expect((await history(need.id)).at(-1)).toMatchObject({
        command: 'expire',
        from_state: 'open',
        to_state: 'expired',
        actor_kind: 'system',
      });
      expect((await outboxRows(need.id)).length).toBe(3);
      expect((await needs.expireOverdue()).expired).toBe(0);
    } finally {
      clock.set(start);
    }
  });

  it('lists: a worker sees only its household; staff their subtree, emergencies first, filters apply', async () => {
    const me = await newWorker();
    await household(me);
    const normal = await order(me, (await createMenuItem(ds)).code);
    const emergency = await order(me, (await createMenuItem(ds, { category: 'relief' })).code, {
      urgency: 'emergency',
    });
    const mine = await needs.list(me, dto(ListNeedsQueryDto, {}));
    expect(mine.items.map((n) => n.id)).toEqual([emergency.id, normal.id]);
    const staffView = await needs.list(
      reviewer,
      dto(ListNeedsQueryDto, { state: 'screening', pageSize: '100' }),
    );
    expect(staffView.items[0]!.urgency).toBe('emergency');
    expect(staffView.items.every((n) => n.state === 'screening')).toBe(true);
    const relief = await needs.list(
      reviewer,
      dto(ListNeedsQueryDto, { category: 'relief', urgency: 'emergency' }),
    );
    expect(relief.items.map((n) => n.id)).toContain(emergency.id);
    expect((await needs.list(outsideReviewer, dto(ListNeedsQueryDto, {}))).total).toBe(0);
    expect(
      (
        await domainError(
          needs.list(districtReviewer, dto(ListNeedsQueryDto, { orgUnitId: tree.grassroots3.id })),
        )
      ).code,
    ).toBe('OUT_OF_SCOPE');
  });

  it('reads are audited; another worker or a unit outside gets 403; an unknown id 404', async () => {
    const me = await newWorker();
    await household(me);
    const need = await order(me, (await createMenuItem(ds)).code);
    await needs.get(reviewer, need.id);
    const reads = await ds.query(
      `SELECT actor_id FROM audit_logs WHERE action = 'need.read' AND target_id = $1`,
      [need.id],
    );
    expect(reads).toEqual([{ actor_id: reviewer.userId }]);
    expect((await domainError(needs.get(outsideReviewer, need.id))).code).toBe('OUT_OF_SCOPE');
    expect((await domainError(needs.get(await newWorker(), need.id))).code).toBe('NOT_OWNER');
    expect((await domainError(needs.get(me, '0b9a6c2e-4d1f-4e8a-9c3b-5f2d7e1a0c44'))).code).toBe(
      'NEED_NOT_FOUND',
    );
    const denied = await ds.query(
      `SELECT details FROM audit_logs WHERE action = 'access.denied' AND target_id = $1`,
      [need.id],
    );
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  describe('the database’s own guards', () => {
    let needId: string;
    beforeAll(async () => {
      const me = await newWorker();
      await household(me);
      needId = (await order(me, (await createMenuItem(ds)).code)).id;
    });

    it('need_state_transitions holds exactly the moves of the state machine', async () => {
      const rows: { from_state: string; to_state: string }[] = await ds.query(
        `SELECT from_state, to_state FROM need_state_transitions ORDER BY 1, 2`,
      );
      expect(rows.map((r) => [r.from_state, r.to_state])).toEqual(allowedNeedStatePairs());
    });

    it.each([
      // Moves no other CHECK catches (closed, matched … also lack the validity window): the trigger alone.
      ['screening → submitted', `UPDATE needs SET state = 'submitted' WHERE id = $1`],
      [
        'history with a move the table lacks',
        `INSERT INTO need_history (need_id, at, actor_kind, command, from_state, to_state) VALUES ($1, now(), 'system', 'x', 'screening', 'closed')`,
      ],
      [
        'history starting anywhere but submitted',
        `INSERT INTO need_history (need_id, at, actor_kind, command, to_state) VALUES ($1, now(), 'system', 'x', 'open')`,
      ],
      ['a quantity of 0', `UPDATE needs SET quantity = 0 WHERE id = $1`],
      ['an unknown urgency', `UPDATE needs SET urgency = 'critical' WHERE id = $1`],
      ['an unknown mode', `UPDATE needs SET preferred_mode = 'mail' WHERE id = $1`],
      ['a bad region', `UPDATE needs SET region_code = '33010' WHERE id = $1`],
      ['rejected without reasons', `UPDATE needs SET state = 'rejected' WHERE id = $1`],
      ['open without a validity window', `UPDATE needs SET state = 'open' WHERE id = $1`],
    ])('refuses %s', async (_name, sql) => {
      await expect(ds.query(sql, [needId])).rejects.toMatchObject({ driverError: { code: '23514' } });
    });

    it('refuses a need created in any state but submitted', async () => {
      const [row] = await ds.query(`SELECT * FROM needs WHERE id = $1`, [needId]);
      await expect(
        ds.query(
          `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code, contact_preference, state, created_by, state_changed_at, version)
           VALUES ($1, $2, 'head', 1, 'normal', 'any', '330106', 'phone', 'open', $3, now(), 1)`,
          [row.archive_id, row.menu_item_id, row.created_by],
        ),
      ).rejects.toMatchObject({ driverError: { code: '23514' } });
    });

    it('refuses a second open need of the same household, item and beneficiary', async () => {
      const [row] = await ds.query(`SELECT * FROM needs WHERE id = $1`, [needId]);
      await expect(
        ds.query(
          `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code, contact_preference, state, created_by, state_changed_at, version)
           VALUES ($1, $2, 'head', 1, 'normal', 'any', '330106', 'phone', 'submitted', $3, now(), 1)`,
          [row.archive_id, row.menu_item_id, row.created_by],
        ),
      ).rejects.toMatchObject({
        driverError: { code: '23505', constraint: 'uq_needs_open_per_beneficiary' },
      });
    });
  });

  it('the index follows every change through the outbox relay: created, screened, withdrawn', async () => {
    const me = await newWorker();
    await household(me);
    const item = await createMenuItem(ds);
    const engine = t.app.get<SearchEngine>(SEARCH_ENGINE);
    const stateInIndex = async (expected: string) => {
      for (let i = 0; i < 100; i += 1) {
        const found = await engine.search('needs', {
          filter: F.and(F.eq('item', item.code), F.eq('state', expected)),
        });
        if (found.hits.length === 1) return found.hits[0]!.id;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the needs index never showed ${item.code} in state ${expected}`);
    };
    const need = await order(me, item.code);
    expect(await stateInIndex('screening')).toBe(need.id);
    const opened = await needs.screen(
      reviewer,
      need.id,
      dto(ScreenNeedDto, { version: need.version, decision: 'approve' }),
    );
    expect(await stateInIndex('open')).toBe(need.id);
    await needs.withdraw(me, need.id, { version: opened.version });
    expect(await stateInIndex('withdrawn')).toBe(need.id);
  });

  it('npm run reindex -- needs: every need is a document with no personal data and no worker text', async () => {
    const me = await newWorker();
    const { headIdNumber } = await household(me, { headName: '欧阳建国' });
    const item = await createMenuItem(ds, { tags: ['电焊'] });
    const need = await order(me, item.code, {
      tags: ['电焊'],
      description: '家住文三路，请尽快联系',
      urgency: 'urgent',
    });
    const report = await t.app.get(ReindexService).rebuild('needs');
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM needs`);
    expect(report.documents).toBe(count);
    const engine = t.app.get<SearchEngine>(SEARCH_ENGINE);
    const found = await engine.search('needs', {
      filter: F.and(F.eq('item', item.code), F.eq('urgency', 'urgent')),
    });
    expect(found.hits.map((h) => h.id)).toEqual([need.id]);
    const inScope = await engine.search('needs', { filter: F.in('units', [tree.district.id]), limit: 100 });
    expect(inScope.hits.map((h) => h.id)).toContain(need.id);
    const [document] = await t.app.get(NeedsSearchSource).load([need.id]);
    const text = JSON.stringify(document);
    expect(findUnmaskedPersonalData(text)).toEqual([]);
    for (const secret of [headIdNumber, '欧阳建国', '13812342210', '文三路', '1968-05'])
      expect(text).not.toContain(secret);
    expect(document).toMatchObject({
      item: item.code,
      tags: ['电焊'],
      state: 'screening',
      regions: ['33', '3301', '330106'],
    });
  });
});
