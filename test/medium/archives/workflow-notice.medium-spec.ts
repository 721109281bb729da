import type { Principal } from '../../../src/modules/auth/principal';
import type { ArchiveWorkflowService } from '../../../src/modules/archives/archive-workflow.service';
import {
  ApproveArchiveDto,
  ResolveObjectionDto,
  ReviewArchiveDto,
  SubmitArchiveDto,
  VerifyArchiveDto,
} from '../../../src/modules/archives/workflow/dto/workflow-commands.dto';
import {
  ListPublicNoticesQueryDto,
  LodgeObjectionDto,
} from '../../../src/modules/archives/workflow/dto/workflow-responses.dto';
import { createArchive, type ArchiveOverrides } from '../../helpers/factories/archives.factory';
import {
  archiveRow,
  auditRows,
  domainError,
  dto,
  dtoErrors,
  eventRows,
  staff,
  worker,
  workflowHarness,
  WorkflowHarness,
} from './workflow-fixtures';

const VISIT = {
  date: '2026-03-02',
  visitors: ['王丽', '陈刚'],
  findings: '入户查看，家庭陈设简陋，妻子卧床，情况属实。',
};
const NOTICE_FIELDS = ['archiveId', 'category', 'maskedName', 'noticeEndsOn', 'noticeStartsOn', 'unitName'];

describe('public notice, objections and activation (real PostgreSQL, FakeClock)', () => {
  let h: WorkflowHarness;
  let workflow: ArchiveWorkflowService;
  let reviewer: Principal;
  let districtReviewer: Principal;
  let districtApprover: Principal;
  let districtApprover2: Principal;
  let caseworker: Principal;
  let otherReviewer: Principal;
  let owner: Principal;

  const notices = (extra: Record<string, unknown> = {}) =>
    workflow.publicNotices(dto(ListPublicNoticesQueryDto, { pageSize: 100, ...extra }));

  /** An archive approved on Monday 2 March 2026 (notice Tue 3 – Mon 9 March). */
  async function publicized(overrides: Partial<ArchiveOverrides> = {}) {
    h.clock.set('2026-03-02T09:00:00+08:00');
    const { archive } = await createArchive(h.db.dataSource, {
      orgUnitId: h.tree.grassroots.id,
      ownerUserId: owner.userId,
      ...overrides,
    });
    let state = await workflow.submit(owner, archive.id, dto(SubmitArchiveDto, { version: archive.version }));
    state = await workflow.review(
      reviewer,
      archive.id,
      dto(ReviewArchiveDto, { version: state.version, decision: 'approve' }),
    );
    state = await workflow.verify(
      districtReviewer,
      archive.id,
      dto(VerifyArchiveDto, { version: state.version, decision: 'pass', visit: VISIT }),
    );
    return workflow.approve(
      districtApprover,
      archive.id,
      dto(ApproveArchiveDto, { version: state.version, decision: 'approve' }),
    );
  }

  const lodge = (archiveId: string, plain: Record<string, unknown> = {}) =>
    workflow.lodgeObjection(
      archiveId,
      dto(LodgeObjectionDto, { reason: '该户家中经营一家小超市，收入并不低。', ...plain }),
      '203.0.113.7',
    );

  beforeAll(async () => {
    h = await workflowHarness();
    workflow = h.workflow;
    const { dataSource } = h.db;
    reviewer = await staff(dataSource, h.tree.grassroots, ['reviewer']);
    districtReviewer = await staff(dataSource, h.tree.district, ['reviewer']);
    districtApprover = await staff(dataSource, h.tree.district, ['approver']);
    districtApprover2 = await staff(dataSource, h.tree.district, ['approver']);
    caseworker = await staff(dataSource, h.tree.grassroots, ['caseworker']);
    otherReviewer = await staff(dataSource, h.tree.grassroots3, ['reviewer']);
    owner = await worker(dataSource, h.tree.grassroots);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('GET /public-notices', () => {
    it('lists an archive only from its first notice day, with masked name, unit, category and dates only', async () => {
      // 低保边缘: per capita 1,500 元, above the 1,240 元 line and within line × 1.5.
      const state = await publicized({
        headName: '张小明',
        category: 'marginal',
        headMonthlyIncomeFen: 300_000,
      });

      h.clock.set('2026-03-02T23:00:00+08:00'); // approval day: not yet posted
      expect((await notices()).items.map((n) => n.archiveId)).not.toContain(state.id);

      h.clock.set('2026-03-03T08:00:00+08:00');
      const page = await notices();
      const notice = page.items.find((n) => n.archiveId === state.id)!;
      expect(notice).toEqual({
        archiveId: state.id,
        maskedName: '张*明',
        unitName: '杭州绿源纺织有限公司工会',
        category: 'marginal',
        noticeStartsOn: '2026-03-03',
        noticeEndsOn: '2026-03-09',
      });
      expect(Object.keys(notice).sort()).toEqual(NOTICE_FIELDS);
      // Nothing personal beyond the masked name: no ID, phone, address, income.
      const body = JSON.stringify(page);
      expect(body).not.toMatch(/张小明|\d{17}[\dX]|138\d{8}|文三路|perCapita/);
    });

    it('drops an archive after its last notice day, even while an open objection holds it in publicizing', async () => {
      const state = await publicized();
      h.clock.set('2026-03-06T10:00:00+08:00');
      await lodge(state.id);
      h.clock.set('2026-03-09T23:30:00+08:00'); // last notice day, China time
      expect((await notices()).items.map((n) => n.archiveId)).toContain(state.id);

      h.clock.set('2026-03-10T00:30:00+08:00'); // the notice ended yesterday
      await workflow.activatePublicized();
      expect(await archiveRow(h.db.dataSource, state.id)).toMatchObject({ status: 'publicizing' });
      const page = await notices();
      expect(page.items.map((n) => n.archiveId)).not.toContain(state.id);
      expect(page.total).toBe(page.items.length);
    });

    it('filters by unit subtree and category; an unknown unit gives an empty page', async () => {
      const state = await publicized();
      h.clock.set('2026-03-04T10:00:00+08:00');
      expect((await notices({ orgUnitId: h.tree.district.id })).items.map((n) => n.archiveId)).toContain(
        state.id,
      );
      expect((await notices({ orgUnitId: h.tree.city2.id })).items.map((n) => n.archiveId)).not.toContain(
        state.id,
      );
      expect((await notices({ category: 'accident' })).items.map((n) => n.archiveId)).not.toContain(state.id);
      expect(await notices({ orgUnitId: '00000000-0000-4000-8000-000000000001' })).toMatchObject({
        items: [],
        total: 0,
      });
    });
  });

  describe('objections', () => {
    it('anyone may lodge one during the notice; the contact is stored encrypted and shown masked to staff', async () => {
      const state = await publicized();
      h.clock.set('2026-03-05T10:00:00+08:00');
      const lodged = await lodge(state.id, { contact: '+86 139-0571-8888' });
      expect(lodged).toMatchObject({ status: 'open', lodgedAt: h.clock.now().toISOString() });

      const [stored] = await h.db.dataSource.query(
        `SELECT contact_ciphertext FROM archive_objections WHERE id = $1`,
        [lodged.id],
      );
      expect(stored.contact_ciphertext).toMatch(/^v2:/);
      expect(stored.contact_ciphertext).not.toContain('13905718888');

      const listed = await workflow.listObjections(reviewer, state.id, {});
      expect(listed).toEqual([
        expect.objectContaining({
          id: lodged.id,
          contact: '139****8888',
          status: 'open',
          reason: '该户家中经营一家小超市，收入并不低。',
        }),
      ]);
      expect(await auditRows(h.db.dataSource, state.id, 'archive.lodge-objection')).toEqual([
        expect.objectContaining({ actor_id: null, details: { objectionId: lodged.id, withContact: true } }),
      ]);
      // Staff elsewhere do not see them.
      expect((await domainError(workflow.listObjections(otherReviewer, state.id, {}))).code).toBe(
        'OUT_OF_SCOPE',
      );
    });

    it('is refused outside the notice (before its first day, after its last, other states, unknown archive) with the same 404', async () => {
      const state = await publicized();
      h.clock.set('2026-03-02T20:00:00+08:00');
      expect((await domainError(lodge(state.id))).code).toBe('PUBLIC_NOTICE_NOT_FOUND');
      h.clock.set('2026-03-10T00:30:00+08:00');
      expect((await domainError(lodge(state.id))).code).toBe('PUBLIC_NOTICE_NOT_FOUND');
      const { archive: draft } = await createArchive(h.db.dataSource, { orgUnitId: h.tree.grassroots.id });
      expect((await domainError(lodge(draft.id))).code).toBe('PUBLIC_NOTICE_NOT_FOUND');
      expect((await domainError(lodge('00000000-0000-4000-8000-000000000002'))).code).toBe(
        'PUBLIC_NOTICE_NOT_FOUND',
      );
    });

    it('validates the reason (10–500 characters) and the contact (a mobile number)', () => {
      expect(dtoErrors(LodgeObjectionDto, { reason: '太短了' })).toEqual(['reason']);
      expect(
        dtoErrors(LodgeObjectionDto, { reason: '该户家中经营一家小超市，收入并不低。', contact: '12345' }),
      ).toEqual(['contact']);
      expect(dtoErrors(LodgeObjectionDto, { reason: '该户家中经营一家小超市，收入并不低。' })).toEqual([]);
    });

    it('an open objection blocks activation; dismissing it (note required) lets the archive activate', async () => {
      const state = await publicized();
      h.clock.set('2026-03-06T10:00:00+08:00');
      const objection = await lodge(state.id);

      h.clock.set('2026-03-10T00:30:00+08:00'); // the notice ended yesterday
      await workflow.activatePublicized();
      expect(await archiveRow(h.db.dataSource, state.id)).toMatchObject({
        status: 'publicizing',
        archive_no: null,
      });

      expect(dtoErrors(ResolveObjectionDto, { decision: 'dismiss' })).toEqual(['note']);
      expect(dtoErrors(ResolveObjectionDto, { decision: 'dismiss', note: '   ' })).toEqual(['note']);
      expect(dtoErrors(ResolveObjectionDto, { decision: 'uphold' })).toEqual([]);
      // A caseworker may not resolve objections.
      expect(
        (
          await domainError(
            workflow.resolveObjection(
              caseworker,
              state.id,
              objection.id,
              dto(ResolveObjectionDto, { decision: 'dismiss', note: '经核实该超市系其亲属所有' }),
            ),
          )
        ).code,
      ).toBe('ACCESS_DENIED');

      const dismissed = await workflow.resolveObjection(
        reviewer,
        state.id,
        objection.id,
        dto(ResolveObjectionDto, { decision: 'dismiss', note: '经核实该超市系其亲属所有，与本户无关' }),
      );
      expect(dismissed.status).toBe('publicizing');
      const again = await domainError(
        workflow.resolveObjection(
          reviewer,
          state.id,
          objection.id,
          dto(ResolveObjectionDto, { decision: 'uphold' }),
        ),
      );
      expect(again.code).toBe('OBJECTION_ALREADY_RESOLVED');

      await workflow.activatePublicized();
      const row = await archiveRow(h.db.dataSource, state.id);
      expect(row.status).toBe('active');
      expect(row.archive_no).toMatch(/^330106-2026-\d{5}$/);
      const [resolved] = await workflow.listObjections(reviewer, state.id, {});
      expect(resolved).toMatchObject({
        status: 'dismissed',
        resolvedBy: reviewer.userId,
        resolutionNote: '经核实该超市系其亲属所有，与本户无关',
      });
    });

    it('upholding one sends the archive back to verifying, clears the notice and takes it off the public list', async () => {
      const state = await publicized();
      h.clock.set('2026-03-04T10:00:00+08:00');
      const first = await lodge(state.id);
      const second = await lodge(state.id, { reason: '该户在外地另有一套住房，请核查。' });

      const upheld = await workflow.resolveObjection(
        districtApprover2,
        state.id,
        first.id,
        dto(ResolveObjectionDto, { decision: 'uphold', note: '需重新入户核实' }),
      );
      expect(upheld).toMatchObject({ status: 'verifying', noticeStartsOn: null, noticeEndsOn: null });
      expect((await notices()).items.map((n) => n.archiveId)).not.toContain(state.id);
      // Objections are lodged only during a notice.
      expect((await domainError(lodge(state.id))).code).toBe('PUBLIC_NOTICE_NOT_FOUND');
      // The second, still open, can be upheld without moving the archive again.
      const alsoUpheld = await workflow.resolveObjection(
        reviewer,
        state.id,
        second.id,
        dto(ResolveObjectionDto, { decision: 'uphold' }),
      );
      expect(alsoUpheld.status).toBe('verifying');

      const events = await eventRows(h.db.dataSource, state.id);
      expect(events.slice(-4).map((e) => [e.command, e.decision, e.from_status, e.to_status])).toEqual([
        ['lodge-objection', null, 'publicizing', 'publicizing'],
        ['lodge-objection', null, 'publicizing', 'publicizing'],
        ['resolve-objection', 'uphold', 'publicizing', 'verifying'],
        ['resolve-objection', 'uphold', 'verifying', 'verifying'],
      ]);
      // The district re-verifies: the workflow goes on from there.
      const current = await archiveRow(h.db.dataSource, state.id);
      const reverified = await workflow.verify(
        districtReviewer,
        state.id,
        dto(VerifyArchiveDto, {
          version: current.version,
          decision: 'return',
          visit: { ...VISIT, date: '2026-03-04' },
          reasons: ['异议属实：另有住房'],
        }),
      );
      expect(reverified.status).toBe('returned');
    });

    it('the approver whose decision opened the notice may neither dismiss nor uphold its objection (403)', async () => {
      const state = await publicized();
      h.clock.set('2026-03-04T10:00:00+08:00');
      const objection = await lodge(state.id);
      for (const decision of [
        { decision: 'dismiss', note: '经核实该超市系其亲属所有，与本户无关' },
        { decision: 'uphold' },
      ]) {
        const error = await domainError(
          workflow.resolveObjection(
            districtApprover,
            state.id,
            objection.id,
            dto(ResolveObjectionDto, decision),
          ),
        );
        expect(error.code).toBe('OBJECTION_OWN_APPROVAL');
      }
      const [open] = await workflow.listObjections(reviewer, state.id, {});
      expect(open).toMatchObject({ id: objection.id, status: 'open', resolvedBy: null });
      expect(await archiveRow(h.db.dataSource, state.id)).toMatchObject({
        status: 'publicizing',
        version: state.version,
      });
      const denied = await auditRows(h.db.dataSource, state.id, 'access.denied');
      expect(denied.at(-1)).toMatchObject({
        actor_id: districtApprover.userId,
        details: { code: 'OBJECTION_OWN_APPROVAL', action: 'archives.resolve-objection' },
      });
      // Another approver may dismiss it.
      const dismissed = await workflow.resolveObjection(
        districtApprover2,
        state.id,
        objection.id,
        dto(ResolveObjectionDto, { decision: 'dismiss', note: '经核实该超市系其亲属所有，与本户无关' }),
      );
      expect(dismissed.status).toBe('publicizing');
    });

    it('whoever entered or submitted the archive may not resolve its objections (403)', async () => {
      const enterer = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'reviewer']);
      const state = await publicized({ createdBy: enterer.userId });
      h.clock.set('2026-03-04T10:00:00+08:00');
      const objection = await lodge(state.id);
      const error = await domainError(
        workflow.resolveObjection(
          enterer,
          state.id,
          objection.id,
          dto(ResolveObjectionDto, { decision: 'dismiss', note: '经核实该超市系其亲属所有，与本户无关' }),
        ),
      );
      expect(error.code).toBe('SELF_APPROVAL');

      // A reviewer who submitted on the household's behalf is just as involved.
      const submitterReviewer = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'reviewer']);
      h.clock.set('2026-03-02T09:00:00+08:00');
      const { archive } = await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        ownerUserId: owner.userId,
      });
      let s2 = await workflow.submit(
        submitterReviewer,
        archive.id,
        dto(SubmitArchiveDto, { version: archive.version }),
      );
      s2 = await workflow.review(
        reviewer,
        archive.id,
        dto(ReviewArchiveDto, { version: s2.version, decision: 'approve' }),
      );
      s2 = await workflow.verify(
        districtReviewer,
        archive.id,
        dto(VerifyArchiveDto, { version: s2.version, decision: 'pass', visit: VISIT }),
      );
      await workflow.approve(
        districtApprover,
        archive.id,
        dto(ApproveArchiveDto, { version: s2.version, decision: 'approve' }),
      );
      h.clock.set('2026-03-04T10:00:00+08:00');
      const second = await lodge(archive.id);
      expect(
        (
          await domainError(
            workflow.resolveObjection(
              submitterReviewer,
              archive.id,
              second.id,
              dto(ResolveObjectionDto, { decision: 'uphold' }),
            ),
          )
        ).code,
      ).toBe('SELF_APPROVAL');
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ status: 'publicizing' });
    });

    it('the owner’s history hides what objections and their resolutions said; staff see it', async () => {
      const state = await publicized();
      h.clock.set('2026-03-04T10:00:00+08:00');
      const objection = await lodge(state.id);
      await workflow.resolveObjection(
        reviewer,
        state.id,
        objection.id,
        dto(ResolveObjectionDto, { decision: 'dismiss', note: '经核实该超市系其楼下邻居所有，与本户无关' }),
      );
      const objectionSteps = (items: Array<{ type: string; action: string }>) =>
        items.filter(
          (i) => i.type === 'transition' && ['lodge-objection', 'resolve-objection'].includes(i.action),
        );

      const staffView = await workflow.history(reviewer, state.id, { page: 1, pageSize: 100 });
      const staffSteps = objectionSteps(staffView.items);
      expect(staffSteps).toEqual([
        expect.objectContaining({
          action: 'resolve-objection',
          note: '经核实该超市系其楼下邻居所有，与本户无关',
          details: { objectionId: objection.id },
        }),
        expect.objectContaining({ action: 'lodge-objection', details: { objectionId: objection.id } }),
      ]);

      const ownerView = await workflow.history(owner, state.id, { page: 1, pageSize: 100 });
      const ownerSteps = objectionSteps(ownerView.items);
      expect(ownerSteps).toEqual([
        expect.objectContaining({
          action: 'resolve-objection',
          decision: 'dismiss',
          note: null,
          reasons: [],
          details: {},
          actorId: null,
        }),
        expect.objectContaining({ action: 'lodge-objection', note: null, details: {} }),
      ]);
      expect(JSON.stringify(ownerView)).not.toContain(objection.id);
      expect(JSON.stringify(ownerView)).not.toContain('邻居');
      // Other steps keep their notes and details for the owner (e.g. the notice dates of the approval).
      expect(ownerView.items.find((i) => i.type === 'transition' && i.action === 'approve')).toMatchObject({
        details: { noticeStartsOn: '2026-03-03', noticeEndsOn: '2026-03-09' },
      });
    });

    it('an objection of another archive is not found', async () => {
      const a = await publicized();
      const b = await publicized();
      h.clock.set('2026-03-04T10:00:00+08:00');
      const objection = await lodge(a.id);
      const error = await domainError(
        workflow.resolveObjection(
          reviewer,
          b.id,
          objection.id,
          dto(ResolveObjectionDto, { decision: 'uphold' }),
        ),
      );
      expect(error.code).toBe('OBJECTION_NOT_FOUND');
    });
  });

  describe('activation job (archives.activate-publicized)', () => {
    it('activates only after the last notice day, numbers per region and year, once', async () => {
      const a = await publicized();
      const b = await publicized();

      h.clock.set('2026-03-09T23:59:00+08:00'); // last notice day
      expect(await workflow.activatePublicized()).toEqual({ activated: 0 });

      h.clock.set('2026-03-10T00:30:00+08:00');
      const { activated } = await workflow.activatePublicized();
      expect(activated).toBeGreaterThanOrEqual(2);
      const rowA = await archiveRow(h.db.dataSource, a.id);
      const rowB = await archiveRow(h.db.dataSource, b.id);
      expect(rowA.status).toBe('active');
      expect(rowB.status).toBe('active');
      expect(rowA.archive_no).not.toBe(rowB.archive_no);
      expect([rowA.archive_no, rowB.archive_no].every((no) => /^330106-2026-\d{5}$/.test(no!))).toBe(true);

      expect(await workflow.activatePublicized()).toEqual({ activated: 0 });
      const events = (await eventRows(h.db.dataSource, a.id)).filter((e) => e.command === 'activate');
      expect(events).toEqual([
        expect.objectContaining({
          actor_id: null,
          actor_role: 'system',
          from_status: 'publicizing',
          to_status: 'active',
          details: { archiveNo: rowA.archive_no },
        }),
      ]);
      expect(await auditRows(h.db.dataSource, a.id, 'archive.activate')).toEqual([
        expect.objectContaining({
          actor_id: null,
          actor_kind: 'system',
          details: expect.objectContaining({ from: 'publicizing', to: 'active', archiveNo: rowA.archive_no }),
        }),
      ]);
      const [facts] = await h.db.dataSource.query(
        `SELECT activated_at, next_visit_due_on::text AS due FROM archives WHERE id = $1`,
        [a.id],
      );
      expect(facts).toEqual({ activated_at: new Date('2026-03-09T16:30:00Z'), due: '2026-09-10' });
    });

    it('concurrent runs give every archive exactly one number, without gaps or duplicates', async () => {
      await h.db.dataSource.query(`UPDATE archives SET status = 'cancelled' WHERE status = 'publicizing'`);
      const states = [];
      for (let i = 0; i < 6; i += 1) states.push(await publicized({ regionCode: '330108' }));
      const [before] = await h.db.dataSource.query(
        `SELECT COALESCE(max(last), 0)::int AS last FROM archive_number_counters WHERE region_code = '330106' AND year = 2026`,
      );
      h.clock.set('2026-03-10T00:30:00+08:00');
      const results = await Promise.all([
        workflow.activatePublicized(),
        workflow.activatePublicized(),
        workflow.activatePublicized(),
      ]);
      expect(results.reduce((sum, r) => sum + r.activated, 0)).toBe(6);
      const numbers: string[] = (
        await h.db.dataSource.query(
          `SELECT archive_no FROM archives WHERE id = ANY($1) ORDER BY archive_no`,
          [states.map((s) => s.id)],
        )
      ).map((r: { archive_no: string }) => r.archive_no);
      expect(new Set(numbers).size).toBe(6);
      // Numbered by the unit's region (330106), not the household's; consecutive.
      const seqs = numbers.map((n) => Number(n.split('-')[2]));
      expect(seqs).toEqual(Array.from({ length: 6 }, (_, i) => before.last + 1 + i));
    });
  });
});
