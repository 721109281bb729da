import type { Principal } from '../../../src/modules/auth/principal';
import type { ArchiveWorkflowService } from '../../../src/modules/archives/archive-workflow.service';
import {
  ApproveArchiveDto,
  ReviewArchiveDto,
  SubmitArchiveDto,
  VerifyArchiveDto,
} from '../../../src/modules/archives/workflow/dto/workflow-commands.dto';
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

describe('archive identification workflow (real PostgreSQL, FakeClock)', () => {
  let h: WorkflowHarness;
  let workflow: ArchiveWorkflowService;
  /** Staff of the archive's grassroots union. */
  let caseworker: Principal;
  let reviewer: Principal;
  /** Staff of the district above it. */
  let districtReviewer: Principal;
  let districtApprover: Principal;
  /** Staff elsewhere. */
  let otherReviewer: Principal;
  let otherApprover: Principal;
  let owner: Principal;

  const newArchive = async (overrides: Partial<ArchiveOverrides> = {}) =>
    (
      await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        ownerUserId: owner.userId,
        ...overrides,
      })
    ).archive;

  const submitDto = (version: number) => dto(SubmitArchiveDto, { version });
  const reviewDto = (version: number, decision = 'approve', extra: Record<string, unknown> = {}) =>
    dto(ReviewArchiveDto, { version, decision, ...extra });
  const verifyDto = (version: number, decision = 'pass', extra: Record<string, unknown> = {}) =>
    dto(VerifyArchiveDto, { version, decision, visit: VISIT, ...extra });
  const approveDto = (version: number, decision = 'approve', extra: Record<string, unknown> = {}) =>
    dto(ApproveArchiveDto, { version, decision, ...extra });

  /** Submitted by the owner and moved up to (and including) `until`. */
  async function advance(until: 'submitted' | 'verifying' | 'approving' | 'publicizing') {
    const archive = await newArchive();
    let state = await workflow.submit(owner, archive.id, submitDto(archive.version));
    if (until === 'submitted') return state;
    state = await workflow.review(reviewer, archive.id, reviewDto(state.version));
    if (until === 'verifying') return state;
    state = await workflow.verify(districtReviewer, archive.id, verifyDto(state.version));
    if (until === 'approving') return state;
    return workflow.approve(districtApprover, archive.id, approveDto(state.version));
  }

  beforeAll(async () => {
    h = await workflowHarness();
    workflow = h.workflow;
    const { dataSource } = h.db;
    caseworker = await staff(dataSource, h.tree.grassroots, ['caseworker'], '刘经办');
    reviewer = await staff(dataSource, h.tree.grassroots, ['reviewer'], '赵审核');
    districtReviewer = await staff(dataSource, h.tree.district, ['reviewer'], '孙复核');
    districtApprover = await staff(dataSource, h.tree.district, ['approver'], '周审定');
    otherReviewer = await staff(dataSource, h.tree.grassroots3, ['reviewer']);
    otherApprover = await staff(dataSource, h.tree.grassroots3, ['approver']);
    owner = await worker(dataSource, h.tree.grassroots, '张建明');
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(() => h.clock.set('2026-03-02T09:00:00+08:00'));

  it('walks draft → submitted → verifying → approving → publicizing, each step an event and an audit row', async () => {
    const archive = await newArchive();

    const submitted = await workflow.submit(owner, archive.id, submitDto(archive.version));
    expect(submitted).toMatchObject({ status: 'submitted', submittedAt: h.clock.now().toISOString() });
    expect(submitted.version).toBeGreaterThan(archive.version);

    const verifying = await workflow.review(
      reviewer,
      archive.id,
      reviewDto(submitted.version, 'approve', { note: '情况属实' }),
    );
    expect(verifying.status).toBe('verifying');

    const approving = await workflow.verify(districtReviewer, archive.id, verifyDto(verifying.version));
    expect(approving).toMatchObject({ status: 'approving', lastVerifiedAt: h.clock.now().toISOString() });

    // Monday 2 March: the notice runs from Tuesday 3 to Monday 9 March (5 working days, weekend skipped).
    const publicizing = await workflow.approve(districtApprover, archive.id, approveDto(approving.version));
    expect(publicizing).toMatchObject({
      status: 'publicizing',
      noticeStartsOn: '2026-03-03',
      noticeEndsOn: '2026-03-09',
    });

    const events = await eventRows(h.db.dataSource, archive.id);
    expect(events.map((e) => [e.command, e.decision, e.from_status, e.to_status, e.actor_role])).toEqual([
      ['submit', null, 'draft', 'submitted', 'worker'],
      ['review', 'approve', 'submitted', 'verifying', 'reviewer'],
      ['verify', 'pass', 'verifying', 'approving', 'reviewer'],
      ['approve', 'approve', 'approving', 'publicizing', 'approver'],
    ]);
    expect(events[1].note).toBe('情况属实');
    expect(events[2].visit).toEqual(VISIT);
    expect(events.map((e) => e.actor_id)).toEqual([
      owner.userId,
      reviewer.userId,
      districtReviewer.userId,
      districtApprover.userId,
    ]);

    const audits = (await auditRows(h.db.dataSource, archive.id)).filter(
      (a) => a.outcome === 'success' && a.action !== 'archive.read',
    );
    expect(audits.map((a) => [a.action, a.details.from, a.details.to])).toEqual([
      ['archive.submit', 'draft', 'submitted'],
      ['archive.review', 'submitted', 'verifying'],
      ['archive.verify', 'verifying', 'approving'],
      ['archive.approve', 'approving', 'publicizing'],
    ]);
  });

  it('shows every transition with its versions in the history, newest first, audited as a read', async () => {
    const state = await advance('approving');
    const page = await workflow.history(reviewer, state.id, { page: 1, pageSize: 100 });
    const transitions = page.items.filter((i) => i.type === 'transition');
    expect(transitions.map((t) => t.action)).toEqual(['verify', 'review', 'submit']);
    expect(transitions[0]).toMatchObject({
      actorName: '孙复核',
      actorRole: 'reviewer',
      toStatus: 'approving',
      visit: VISIT,
    });
    const changes = page.items.filter((i) => i.type === 'change');
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(changes.find((c) => c.action === 'verify')?.diff).toMatchObject({
      status: { from: 'verifying', to: 'approving' },
    });
    expect(page.total).toBe(page.items.length);
    const reads = await auditRows(h.db.dataSource, state.id, 'archive.read');
    expect(reads.at(-1)).toMatchObject({ actor_id: reviewer.userId, details: { view: 'history' } });
  });

  describe('submit', () => {
    it('a caseworker of the unit submits for the worker; submittedBy is the caseworker', async () => {
      const archive = await newArchive();
      const state = await workflow.submit(caseworker, archive.id, submitDto(archive.version));
      expect(state.status).toBe('submitted');
      const [row] = await h.db.dataSource.query(`SELECT submitted_by FROM archives WHERE id = $1`, [
        archive.id,
      ]);
      expect(row.submitted_by).toBe(caseworker.userId);
    });

    it('refuses with 422 and every violation when a rule fails, leaving the archive untouched', async () => {
      const archive = await newArchive({ skills: null, consents: false });
      const error = await domainError(workflow.submit(owner, archive.id, submitDto(archive.version)));
      expect(error.code).toBe('ARCHIVE_RULES_FAILED');
      const { violations } = error.details as { violations: Array<{ rule: string; field: string }> };
      expect(violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['five-clears', 'consent']));
      expect(violations.find((v) => v.rule === 'five-clears')?.field).toBe('skills');
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({
        status: 'draft',
        version: archive.version,
      });
      expect(await eventRows(h.db.dataSource, archive.id)).toEqual([]);
    });

    it('another worker may not submit someone else’s archive (403, audited as denied)', async () => {
      const archive = await newArchive();
      const stranger = await worker(h.db.dataSource, h.tree.grassroots, '王五');
      const error = await domainError(workflow.submit(stranger, archive.id, submitDto(archive.version)));
      expect(error.code).toBe('NOT_OWNER');
      const denied = await auditRows(h.db.dataSource, archive.id, 'access.denied');
      expect(denied.at(-1)).toMatchObject({
        outcome: 'denied',
        actor_id: stranger.userId,
        details: { code: 'NOT_OWNER', action: 'archives.submit' },
      });
    });

    it('a caseworker of another unit may not submit (403 out of scope)', async () => {
      const archive = await newArchive();
      const outsider = await staff(h.db.dataSource, h.tree.grassroots3, ['caseworker']);
      expect(
        (await domainError(workflow.submit(outsider, archive.id, submitDto(archive.version)))).code,
      ).toBe('OUT_OF_SCOPE');
    });

    it('a missing archive is 404', async () => {
      const error = await domainError(
        workflow.submit(owner, '00000000-0000-4000-8000-00000000abcd', submitDto(1)),
      );
      expect(error.code).toBe('ARCHIVE_NOT_FOUND');
    });
  });

  describe('review (基层审查)', () => {
    it('return needs reasons; the archive goes back to the submitter, who resubmits it', async () => {
      expect(dtoErrors(ReviewArchiveDto, { version: 1, decision: 'return' })).toEqual(['reasons']);
      expect(dtoErrors(ReviewArchiveDto, { version: 1, decision: 'reject', reasons: [] })).toEqual([
        'reasons',
      ]);
      expect(dtoErrors(ReviewArchiveDto, { version: 1, decision: 'approve' })).toEqual([]);

      const submitted = await advance('submitted');
      const returned = await workflow.review(
        reviewer,
        submitted.id,
        reviewDto(submitted.version, 'return', { reasons: ['缺少医疗费用票据', '收入证明未盖章'] }),
      );
      expect(returned.status).toBe('returned');

      // The owner sees the reasons, not which staff member returned it.
      const history = await workflow.history(owner, submitted.id, { page: 1, pageSize: 20 });
      const ret = history.items.find((i) => i.action === 'review');
      expect(ret).toMatchObject({
        reasons: ['缺少医疗费用票据', '收入证明未盖章'],
        actorId: null,
        actorName: null,
        actorRole: 'reviewer',
      });

      const resubmitted = await workflow.submit(owner, submitted.id, submitDto(returned.version));
      expect(resubmitted.status).toBe('submitted');
      const events = await eventRows(h.db.dataSource, submitted.id);
      expect(events.at(-1)).toMatchObject({
        command: 'submit',
        from_status: 'returned',
        details: { resubmission: true },
      });
    });

    it('reject ends the application', async () => {
      const submitted = await advance('submitted');
      const rejected = await workflow.review(
        reviewer,
        submitted.id,
        reviewDto(submitted.version, 'reject', { reasons: ['家庭人均收入高于低保边缘标准'] }),
      );
      expect(rejected.status).toBe('rejected');
      const again = await domainError(workflow.submit(owner, submitted.id, submitDto(rejected.version)));
      expect(again.code).toBe('ARCHIVE_INVALID_TRANSITION');
      expect(again.details).toEqual({ status: 'rejected', command: 'submit' });
    });

    it('wrong state: a draft cannot be reviewed (409 with the current status)', async () => {
      const archive = await newArchive();
      const error = await domainError(workflow.review(reviewer, archive.id, reviewDto(archive.version)));
      expect(error.code).toBe('ARCHIVE_INVALID_TRANSITION');
      expect(error.details).toEqual({ status: 'draft', command: 'review' });
    });

    it('wrong unit: the district reviewer may not do the grassroots review (403)', async () => {
      const submitted = await advance('submitted');
      const error = await domainError(
        workflow.review(districtReviewer, submitted.id, reviewDto(submitted.version)),
      );
      expect(error.code).toBe('ARCHIVE_WRONG_UNIT_LEVEL');
      expect(error.details).toEqual({ required: 'own' });
      expect(await archiveRow(h.db.dataSource, submitted.id)).toMatchObject({ status: 'submitted' });
    });

    it('wrong unit: a reviewer of another union is out of scope (403)', async () => {
      const submitted = await advance('submitted');
      expect(
        (await domainError(workflow.review(otherReviewer, submitted.id, reviewDto(submitted.version)))).code,
      ).toBe('OUT_OF_SCOPE');
    });

    it('wrong role: a caseworker may not review (403)', async () => {
      const submitted = await advance('submitted');
      const error = await domainError(
        workflow.review(caseworker, submitted.id, reviewDto(submitted.version)),
      );
      expect(error.code).toBe('ACCESS_DENIED');
    });

    it('self-approval: a reviewer may not review what it submitted itself (403)', async () => {
      const both = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'reviewer']);
      const archive = await newArchive();
      const submitted = await workflow.submit(both, archive.id, submitDto(archive.version));
      const error = await domainError(workflow.review(both, archive.id, reviewDto(submitted.version)));
      expect(error.code).toBe('SELF_APPROVAL');
    });

    it('self-approval: a caseworker+reviewer who entered the archive may not review it, whoever submitted it (403)', async () => {
      const enterer = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'reviewer']);
      const archive = await newArchive({ createdBy: enterer.userId });
      // The owner submits, so `submittedBy` is not the enterer: only `createdBy` identifies them.
      const submitted = await workflow.submit(owner, archive.id, submitDto(archive.version));
      const error = await domainError(workflow.review(enterer, archive.id, reviewDto(submitted.version)));
      expect(error.code).toBe('SELF_APPROVAL');
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({
        status: 'submitted',
        version: submitted.version,
      });
      const denied = await auditRows(h.db.dataSource, archive.id, 'access.denied');
      expect(denied.at(-1)).toMatchObject({
        actor_id: enterer.userId,
        details: { code: 'SELF_APPROVAL', action: 'archives.review' },
      });
      // Another reviewer of the union may.
      expect((await workflow.review(reviewer, archive.id, reviewDto(submitted.version))).status).toBe(
        'verifying',
      );
    });

    it('optimistic lock: a stale version gets 409 with the current one, and nothing changes', async () => {
      const submitted = await advance('submitted');
      const error = await domainError(
        workflow.review(reviewer, submitted.id, reviewDto(submitted.version - 1)),
      );
      expect(error.code).toBe('ARCHIVE_VERSION_CONFLICT');
      expect(error.details).toEqual({ currentVersion: submitted.version });
      expect(await archiveRow(h.db.dataSource, submitted.id)).toMatchObject({
        status: 'submitted',
        version: submitted.version,
      });
    });

    it('two reviewers deciding on the same version at once: one wins, the other gets 409', async () => {
      const submitted = await advance('submitted');
      const reviewer2 = await staff(h.db.dataSource, h.tree.grassroots, ['reviewer']);
      const results = await Promise.allSettled([
        workflow.review(reviewer, submitted.id, reviewDto(submitted.version, 'approve')),
        workflow.review(
          reviewer2,
          submitted.id,
          reviewDto(submitted.version, 'reject', { reasons: ['材料不全'] }),
        ),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect((failure.reason as { code: string }).code).toBe('ARCHIVE_VERSION_CONFLICT');
      expect(
        (await eventRows(h.db.dataSource, submitted.id)).filter((e) => e.command === 'review'),
      ).toHaveLength(1);
    });
  });

  describe('verify (复核, unit above, home visit)', () => {
    it('the home visit needs two visitors and findings; its date cannot be in the future', async () => {
      expect(
        dtoErrors(VerifyArchiveDto, {
          version: 1,
          decision: 'pass',
          visit: { ...VISIT, visitors: ['王丽'] },
        }),
      ).toEqual(['visit']);
      expect(dtoErrors(VerifyArchiveDto, { version: 1, decision: 'pass' })).toEqual(['visit']);
      expect(dtoErrors(VerifyArchiveDto, { version: 1, decision: 'return', visit: VISIT })).toEqual([
        'reasons',
      ]);

      const verifying = await advance('verifying');
      const error = await domainError(
        workflow.verify(
          districtReviewer,
          verifying.id,
          verifyDto(verifying.version, 'pass', { visit: { ...VISIT, date: '2026-03-03' } }),
        ),
      );
      expect(error.code).toBe('ARCHIVE_VISIT_DATE_INVALID');
    });

    it('self-approval: a district reviewer who entered the archive may not verify it (403)', async () => {
      const enterer = await staff(h.db.dataSource, h.tree.district, ['caseworker', 'reviewer']);
      const archive = await newArchive({ createdBy: enterer.userId });
      let state = await workflow.submit(owner, archive.id, submitDto(archive.version));
      state = await workflow.review(reviewer, archive.id, reviewDto(state.version));
      const error = await domainError(workflow.verify(enterer, archive.id, verifyDto(state.version)));
      expect(error.code).toBe('SELF_APPROVAL');
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ status: 'verifying' });
    });

    it('wrong unit: the grassroots reviewer may not verify (403)', async () => {
      const verifying = await advance('verifying');
      const error = await domainError(workflow.verify(reviewer, verifying.id, verifyDto(verifying.version)));
      expect(error.code).toBe('ARCHIVE_WRONG_UNIT_LEVEL');
      expect(error.details).toEqual({ required: 'parent' });
    });

    it('wrong unit: a reviewer two levels up may not verify either (the unit directly above does)', async () => {
      const cityReviewer = await staff(h.db.dataSource, h.tree.city, ['reviewer']);
      const verifying = await advance('verifying');
      expect(
        (await domainError(workflow.verify(cityReviewer, verifying.id, verifyDto(verifying.version)))).code,
      ).toBe('ARCHIVE_WRONG_UNIT_LEVEL');
    });

    it('return sends the archive back with reasons', async () => {
      const verifying = await advance('verifying');
      const state = await workflow.verify(
        districtReviewer,
        verifying.id,
        verifyDto(verifying.version, 'return', { reasons: ['入户发现家中有经营性门面'] }),
      );
      expect(state).toMatchObject({ status: 'returned', lastVerifiedAt: null });
    });

    it('wrong state: an approving archive cannot be verified again', async () => {
      const approving = await advance('approving');
      const error = await domainError(
        workflow.verify(districtReviewer, approving.id, verifyDto(approving.version)),
      );
      expect(error.details).toEqual({ status: 'approving', command: 'verify' });
    });
  });

  describe('approve (审定)', () => {
    it('self-approval: the approver may not approve what it submitted (403)', async () => {
      const submitterApprover = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'approver']);
      const archive = await newArchive();
      let state = await workflow.submit(submitterApprover, archive.id, submitDto(archive.version));
      state = await workflow.review(reviewer, archive.id, reviewDto(state.version));
      state = await workflow.verify(districtReviewer, archive.id, verifyDto(state.version));
      const error = await domainError(
        workflow.approve(submitterApprover, archive.id, approveDto(state.version)),
      );
      expect(error.code).toBe('SELF_APPROVAL');
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ status: 'approving' });
    });

    it('self-approval: a caseworker+approver who entered the archive may not approve it (403)', async () => {
      const enterer = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'approver']);
      const archive = await newArchive({ createdBy: enterer.userId });
      let state = await workflow.submit(owner, archive.id, submitDto(archive.version));
      state = await workflow.review(reviewer, archive.id, reviewDto(state.version));
      state = await workflow.verify(districtReviewer, archive.id, verifyDto(state.version));
      const error = await domainError(workflow.approve(enterer, archive.id, approveDto(state.version)));
      expect(error.code).toBe('SELF_APPROVAL');
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({
        status: 'approving',
        version: state.version,
      });
    });

    it('self-approval: whoever submitted an earlier round may not approve after a resubmission by someone else (403)', async () => {
      const submitterApprover = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'approver']);
      const otherCaseworker = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker']);
      const archive = await newArchive();
      let state = await workflow.submit(submitterApprover, archive.id, submitDto(archive.version));
      state = await workflow.review(
        reviewer,
        archive.id,
        reviewDto(state.version, 'return', { reasons: ['缺少医疗费用票据'] }),
      );
      // The resubmission overwrites `submittedBy`; the first submitter is still involved.
      state = await workflow.submit(otherCaseworker, archive.id, submitDto(state.version));
      const [row] = await h.db.dataSource.query(`SELECT submitted_by FROM archives WHERE id = $1`, [
        archive.id,
      ]);
      expect(row.submitted_by).toBe(otherCaseworker.userId);
      state = await workflow.review(reviewer, archive.id, reviewDto(state.version));
      state = await workflow.verify(districtReviewer, archive.id, verifyDto(state.version));
      const error = await domainError(
        workflow.approve(submitterApprover, archive.id, approveDto(state.version)),
      );
      expect(error.code).toBe('SELF_APPROVAL');
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ status: 'approving' });
      // An uninvolved approver may.
      expect((await workflow.approve(districtApprover, archive.id, approveDto(state.version))).status).toBe(
        'publicizing',
      );
    });

    it('the verifier may not also approve the same application (403)', async () => {
      const verifierApprover = await staff(h.db.dataSource, h.tree.district, ['reviewer', 'approver']);
      const verifying = await advance('verifying');
      const approving = await workflow.verify(verifierApprover, verifying.id, verifyDto(verifying.version));
      const error = await domainError(
        workflow.approve(verifierApprover, verifying.id, approveDto(approving.version)),
      );
      expect(error.code).toBe('ARCHIVE_SAME_PERSON_DECIDES_TWICE');
    });

    it('wrong role: a reviewer may not approve; wrong unit: an approver of another city is out of scope', async () => {
      const approving = await advance('approving');
      expect(
        (await domainError(workflow.approve(districtReviewer, approving.id, approveDto(approving.version))))
          .code,
      ).toBe('ACCESS_DENIED');
      expect(
        (await domainError(workflow.approve(otherApprover, approving.id, approveDto(approving.version))))
          .code,
      ).toBe('OUT_OF_SCOPE');
    });

    it('an approver of the archive’s own union may approve (scope includes its own unit)', async () => {
      const localApprover = await staff(h.db.dataSource, h.tree.grassroots, ['approver']);
      const approving = await advance('approving');
      expect(
        (await workflow.approve(localApprover, approving.id, approveDto(approving.version))).status,
      ).toBe('publicizing');
    });

    it('approved on a Friday, the notice runs the whole next week', async () => {
      const approving = await advance('approving');
      h.clock.set('2026-03-06T16:30:00+08:00');
      const state = await workflow.approve(districtApprover, approving.id, approveDto(approving.version));
      expect(state).toMatchObject({ noticeStartsOn: '2026-03-09', noticeEndsOn: '2026-03-13' });
    });

    it('return and reject need reasons', async () => {
      expect(dtoErrors(ApproveArchiveDto, { version: 1, decision: 'reject' })).toEqual(['reasons']);
      const approving = await advance('approving');
      const state = await workflow.approve(
        districtApprover,
        approving.id,
        approveDto(approving.version, 'reject', { reasons: ['经复核不符合建档条件'] }),
      );
      expect(state).toMatchObject({ status: 'rejected', noticeStartsOn: null });
    });

    it('wrong state: a publicizing archive cannot be approved again', async () => {
      const publicizing = await advance('publicizing');
      const error = await domainError(
        workflow.approve(districtApprover, publicizing.id, approveDto(publicizing.version)),
      );
      expect(error.details).toEqual({ status: 'publicizing', command: 'approve' });
    });
  });

  it('free text with an ID or phone number is refused (notes are shown to other people)', async () => {
    const submitted = await advance('submitted');
    const error = await domainError(
      workflow.review(
        reviewer,
        submitted.id,
        reviewDto(submitted.version, 'return', { reasons: ['请联系 13812342210 补充材料'] }),
      ),
    );
    expect(error.code).toBe('ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA');
  });
});
