import { MarkAidExclusionDto } from '../../../src/modules/archives/aid-exclusions/aid-exclusions.dto';
import { AidExclusionsService } from '../../../src/modules/archives/aid-exclusions/aid-exclusions.service';
import { ArchivesService } from '../../../src/modules/archives/archives.service';
import type { Principal } from '../../../src/modules/auth/principal';
import type { ArchiveWorkflowService } from '../../../src/modules/archives/archive-workflow.service';
import {
  AcceptTransferDto,
  CancelArchiveDto,
  ConvertArchiveDto,
  ExitArchiveDto,
  ApproveArchiveDto,
  RejectTransferDto,
  ReopenArchiveDto,
  ReverifyArchiveDto,
  ReviewArchiveDto,
  SubmitArchiveDto,
  VerifyArchiveDto,
  TransferArchiveDto,
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
  workflowHarness,
  WorkflowHarness,
} from './workflow-fixtures';

const DAY = 24 * 60 * 60 * 1000;

describe('dynamic management and daily sweeps (real PostgreSQL, FakeClock)', () => {
  let h: WorkflowHarness;
  let workflow: ArchiveWorkflowService;
  let caseworker: Principal;
  let reviewer: Principal;
  let archivist: Principal;
  let districtArchivist: Principal;
  let receivingArchivist: Principal;
  let ningboArchivist: Principal;
  let approver: Principal;

  /** An active archive of the first grassroots union, numbered, activated a year ago. */
  const active = async (overrides: Partial<ArchiveOverrides> = {}) =>
    (
      await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        status: 'active',
        archiveNo: `330106-2025-${String(Math.floor(Math.random() * 90000) + 10000)}`,
        activatedAt: new Date('2025-03-01T02:00:00Z'),
        lastVerifiedAt: new Date('2025-02-20T02:00:00Z'),
        ...overrides,
      })
    ).archive;

  beforeAll(async () => {
    h = await workflowHarness();
    workflow = h.workflow;
    const { dataSource } = h.db;
    caseworker = await staff(dataSource, h.tree.grassroots, ['caseworker']);
    reviewer = await staff(dataSource, h.tree.grassroots, ['reviewer']);
    archivist = await staff(dataSource, h.tree.grassroots, ['archivist'], '钱档案');
    districtArchivist = await staff(dataSource, h.tree.district, ['archivist']);
    receivingArchivist = await staff(dataSource, h.tree.grassroots2, ['archivist'], '吴接收');
    ningboArchivist = await staff(dataSource, h.tree.grassroots3, ['archivist']);
    approver = await staff(dataSource, h.tree.district, ['approver']);
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(() => h.clock.set('2026-03-02T09:00:00+08:00'));

  describe('exit (脱困)', () => {
    it('records the reason and starts a 6-month relapse watch with a visit due at its end', async () => {
      const archive = await active({ flags: ['stale_verification'] });
      const state = await workflow.exit(
        caseworker,
        archive.id,
        dto(ExitArchiveDto, { version: archive.version, reason: '子女毕业就业，家庭收入稳定' }),
      );
      expect(state).toMatchObject({
        status: 'exited',
        relapseWatchUntil: '2026-09-02',
        nextVisitDueOn: '2026-09-02',
        flags: ['relapse_watch'],
      });
      const [event] = (await eventRows(h.db.dataSource, archive.id)).filter((e) => e.command === 'exit');
      expect(event).toMatchObject({ reasons: ['子女毕业就业，家庭收入稳定'], actor_role: 'caseworker' });
    });

    it('wrong state: only an active archive exits', async () => {
      const { archive } = await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        status: 'submitted',
      });
      const error = await domainError(
        workflow.exit(
          caseworker,
          archive.id,
          dto(ExitArchiveDto, { version: archive.version, reason: '家庭收入稳定' }),
        ),
      );
      expect(error).toMatchObject({
        code: 'ARCHIVE_INVALID_TRANSITION',
        details: { status: 'submitted', command: 'exit' },
      });
    });
  });

  describe('cancel (注销)', () => {
    it('records the coded reason; fraud needs a note; the job-only reason is not accepted', async () => {
      expect(dtoErrors(CancelArchiveDto, { version: 1, reason: 'fraudulent' })).toEqual(['note']);
      expect(dtoErrors(CancelArchiveDto, { version: 1, reason: 'temporary_expired' })).toEqual(['reason']);
      expect(dtoErrors(CancelArchiveDto, { version: 1, reason: 'deceased' })).toEqual([]);

      const archive = await active();
      const state = await workflow.cancel(
        archivist,
        archive.id,
        dto(CancelArchiveDto, { version: archive.version, reason: 'deceased' }),
      );
      expect(state.status).toBe('cancelled');
      expect(await auditRows(h.db.dataSource, archive.id, 'archive.cancel')).toEqual([
        expect.objectContaining({
          actor_id: archivist.userId,
          details: expect.objectContaining({ from: 'active', to: 'cancelled', cancelReason: 'deceased' }),
        }),
      ]);
      // A cancelled archive is closed.
      const again = await domainError(
        workflow.cancel(
          archivist,
          archive.id,
          dto(CancelArchiveDto, { version: state.version, reason: 'deceased' }),
        ),
      );
      expect(again.details).toEqual({ status: 'cancelled', command: 'cancel' });
    });

    it('retirement is no reason to cancel; 清退 names the failed rule, which is recorded', async () => {
      // Retirees stay eligible: most archived workers are retirees.
      expect(dtoErrors(CancelArchiveDto, { version: 1, reason: 'retired' })).toEqual(['reason']);
      expect(dtoErrors(CancelArchiveDto, { version: 1, reason: 'ineligible' })).toEqual(['failedRule']);
      expect(
        dtoErrors(CancelArchiveDto, { version: 1, reason: 'ineligible', failedRule: 'retired' }),
      ).toEqual(['failedRule']);
      expect(dtoErrors(CancelArchiveDto, { version: 1, reason: 'ineligible', failedRule: 'other' })).toEqual([
        'note',
      ]);
      expect(dtoErrors(CancelArchiveDto, { version: 1, reason: 'household_merged' })).toEqual([]);

      const archive = await active();
      await workflow.cancel(
        archivist,
        archive.id,
        dto(CancelArchiveDto, { version: archive.version, reason: 'ineligible', failedRule: 'assets' }),
      );
      expect(await auditRows(h.db.dataSource, archive.id, 'archive.cancel')).toEqual([
        expect.objectContaining({
          details: expect.objectContaining({ cancelReason: 'ineligible', failedRule: 'assets' }),
        }),
      ]);
    });

    it('wrong role: a caseworker may not cancel', async () => {
      const archive = await active();
      const error = await domainError(
        workflow.cancel(
          caseworker,
          archive.id,
          dto(CancelArchiveDto, { version: archive.version, reason: 'left_unit' }),
        ),
      );
      expect(error.code).toBe('ACCESS_DENIED');
    });
  });

  describe('transfer (移交)', () => {
    it('accepted: the receiving union takes it over; number, status and history are kept', async () => {
      const archive = await active();
      const transferring = await workflow.transfer(
        archivist,
        archive.id,
        dto(TransferArchiveDto, {
          version: archive.version,
          toUnitId: h.tree.grassroots2.id,
          note: '职工调入西湖电子厂',
        }),
      );
      expect(transferring).toMatchObject({
        status: 'transferring',
        transferToUnitId: h.tree.grassroots2.id,
        orgUnitId: h.tree.grassroots.id,
      });

      // The receiving archivist sees the incoming archive's history.
      const history = await workflow.history(receivingArchivist, archive.id, { page: 1, pageSize: 10 });
      expect(history.items[0]).toMatchObject({ type: 'transition', action: 'transfer', actorName: '钱档案' });

      const accepted = await workflow.acceptTransfer(
        receivingArchivist,
        archive.id,
        dto(AcceptTransferDto, { version: transferring.version }),
      );
      expect(accepted).toMatchObject({
        status: 'active',
        orgUnitId: h.tree.grassroots2.id,
        transferToUnitId: null,
        archiveNo: archive.archiveNo,
      });
      const events = await eventRows(h.db.dataSource, archive.id);
      expect(events.map((e) => [e.command, e.from_status, e.to_status])).toEqual([
        ['transfer', 'active', 'transferring'],
        ['accept-transfer', 'transferring', 'active'],
      ]);
      expect(events[1].details).toEqual({
        fromUnitId: h.tree.grassroots.id,
        toUnitId: h.tree.grassroots2.id,
      });
      // The sending union no longer has it in scope.
      expect(
        (await domainError(workflow.history(archivist, archive.id, { page: 1, pageSize: 10 }))).code,
      ).toBe('OUT_OF_SCOPE');
    });

    it('rejected: the archive stays with its union in the status it had', async () => {
      const archive = await active();
      const transferring = await workflow.transfer(
        archivist,
        archive.id,
        dto(TransferArchiveDto, { version: archive.version, toUnitId: h.tree.grassroots3.id }),
      );
      expect(dtoErrors(RejectTransferDto, { version: transferring.version })).toEqual(['note']);
      const rejected = await workflow.rejectTransfer(
        ningboArchivist,
        archive.id,
        dto(RejectTransferDto, { version: transferring.version, note: '该职工未在我单位就业' }),
      );
      expect(rejected).toMatchObject({
        status: 'active',
        orgUnitId: h.tree.grassroots.id,
        transferToUnitId: null,
      });
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({
        status: 'active',
        org_unit_id: h.tree.grassroots.id,
      });
    });

    it('wrong state: an exited archive cannot be transferred (its household may already be in a new archive)', async () => {
      // Exited is closed for the one-archive-per-household rule; a transfer would re-open it via restore.
      const archive = await active({ status: 'exited' });
      const error = await domainError(
        workflow.transfer(
          archivist,
          archive.id,
          dto(TransferArchiveDto, { version: archive.version, toUnitId: h.tree.grassroots3.id }),
        ),
      );
      expect(error.code).toBe('ARCHIVE_INVALID_TRANSITION');
      expect(error.details).toEqual({ status: 'exited', command: 'transfer' });
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({
        status: 'exited',
        version: archive.version,
        org_unit_id: h.tree.grassroots.id,
      });
    });

    it('only the receiving side accepts: the sending archivist is refused, and so is whoever started it', async () => {
      const archive = await active();
      const sent = await workflow.transfer(
        archivist,
        archive.id,
        dto(TransferArchiveDto, { version: archive.version, toUnitId: h.tree.grassroots3.id }),
      );
      expect(
        (
          await domainError(
            workflow.acceptTransfer(archivist, archive.id, dto(AcceptTransferDto, { version: sent.version })),
          )
        ).code,
      ).toBe('OUT_OF_SCOPE');

      // The district archivist covers both sides here, but started the transfer itself.
      const other = await active();
      const sent2 = await workflow.transfer(
        districtArchivist,
        other.id,
        dto(TransferArchiveDto, { version: other.version, toUnitId: h.tree.grassroots2.id }),
      );
      const error = await domainError(
        workflow.acceptTransfer(
          districtArchivist,
          other.id,
          dto(AcceptTransferDto, { version: sent2.version }),
        ),
      );
      expect(error.code).toBe('SELF_APPROVAL');
      expect(await archiveRow(h.db.dataSource, other.id)).toMatchObject({ status: 'transferring' });
    });

    it('the target must be another grassroots union', async () => {
      const archive = await active();
      for (const toUnitId of [
        h.tree.district.id,
        h.tree.grassroots.id,
        '00000000-0000-4000-8000-000000000003',
      ]) {
        const error = await domainError(
          workflow.transfer(
            archivist,
            archive.id,
            dto(TransferArchiveDto, { version: archive.version, toUnitId }),
          ),
        );
        expect(error.code).toBe('ARCHIVE_TRANSFER_TARGET_INVALID');
      }
    });

    it('wrong state: a draft cannot be transferred; a transferring archive cannot exit', async () => {
      const { archive } = await createArchive(h.db.dataSource, { orgUnitId: h.tree.grassroots.id });
      expect(
        (
          await domainError(
            workflow.transfer(
              archivist,
              archive.id,
              dto(TransferArchiveDto, { version: archive.version, toUnitId: h.tree.grassroots2.id }),
            ),
          )
        ).details,
      ).toEqual({ status: 'draft', command: 'transfer' });
      const moving = await active();
      const sent = await workflow.transfer(
        archivist,
        moving.id,
        dto(TransferArchiveDto, { version: moving.version, toUnitId: h.tree.grassroots2.id }),
      );
      expect(
        (
          await domainError(
            workflow.exit(
              caseworker,
              moving.id,
              dto(ExitArchiveDto, { version: sent.version, reason: '收入稳定脱困' }),
            ),
          )
        ).details,
      ).toEqual({ status: 'transferring', command: 'exit' });
    });
  });

  describe('convert (转正)', () => {
    const chain = async (id: string, version: number, districtReviewer: Principal) => {
      let state = await workflow.review(
        reviewer,
        id,
        dto(ReviewArchiveDto, { version, decision: 'approve' }),
      );
      state = await workflow.verify(
        districtReviewer,
        id,
        dto(VerifyArchiveDto, {
          version: state.version,
          decision: 'pass',
          visit: {
            date: '2026-03-02',
            visitors: ['王丽', '陈刚'],
            findings: '入户查看，情况属实，符合正式建档条件。',
          },
        }),
      );
      return workflow.approve(
        approver,
        id,
        dto(ApproveArchiveDto, { version: state.version, decision: 'approve' }),
      );
    };

    it('an active temporary archive is submitted again and becomes formal only after the whole chain', async () => {
      const districtReviewer = await staff(h.db.dataSource, h.tree.district, ['reviewer'], '孙复核');
      const temporary = await active({ kind: 'temporary' });
      const converting = await workflow.convert(
        caseworker,
        temporary.id,
        dto(ConvertArchiveDto, { version: temporary.version, note: '家庭困难长期存在，申请转正' }),
      );
      expect(converting).toMatchObject({
        status: 'submitted',
        kind: 'temporary',
        conversionRequestedAt: h.clock.now().toISOString(),
      });
      // Whoever started it decides on none of the steps.
      const self = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'reviewer']);
      const other = await active({ kind: 'temporary' });
      const started = await workflow.convert(
        self,
        other.id,
        dto(ConvertArchiveDto, { version: other.version }),
      );
      expect(
        (
          await domainError(
            workflow.review(
              self,
              other.id,
              dto(ReviewArchiveDto, { version: started.version, decision: 'approve' }),
            ),
          )
        ).code,
      ).toBe('SELF_APPROVAL');

      const publicizing = await chain(temporary.id, converting.version, districtReviewer);
      expect(publicizing).toMatchObject({ status: 'publicizing', kind: 'temporary' });
      h.clock.set('2026-03-11T09:00:00+08:00');
      await workflow.activatePublicized();
      expect(await archiveRow(h.db.dataSource, temporary.id)).toMatchObject({
        status: 'active',
        kind: 'formal',
        archive_no: temporary.archiveNo,
      });
      const events = await eventRows(h.db.dataSource, temporary.id);
      expect(events.map((e) => [e.command, e.from_status, e.to_status])).toEqual([
        ['convert', 'active', 'submitted'],
        ['review', 'submitted', 'verifying'],
        ['verify', 'verifying', 'approving'],
        ['approve', 'approving', 'publicizing'],
        ['activate', 'publicizing', 'active'],
      ]);
      expect(events[4]!.details).toMatchObject({ fromKind: 'temporary', toKind: 'formal' });
      const [row] = await h.db.dataSource.query(
        `SELECT conversion_requested_at FROM archives WHERE id = $1`,
        [temporary.id],
      );
      expect(row.conversion_requested_at).toBeNull();
    });

    it('a return on the way ends the conversion: the archive is active and temporary again', async () => {
      const temporary = await active({ kind: 'temporary' });
      const converting = await workflow.convert(
        caseworker,
        temporary.id,
        dto(ConvertArchiveDto, { version: temporary.version }),
      );
      const back = await workflow.review(
        reviewer,
        temporary.id,
        dto(ReviewArchiveDto, {
          version: converting.version,
          decision: 'return',
          reasons: ['收入证明已过期，请补充'],
        }),
      );
      expect(back).toMatchObject({ status: 'active', kind: 'temporary', conversionRequestedAt: null });
      const [event] = (await eventRows(h.db.dataSource, temporary.id)).filter((e) => e.command === 'review');
      expect(event).toMatchObject({
        to_status: 'active',
        reasons: ['收入证明已过期，请补充'],
        details: { conversionRefused: true },
      });
    });

    it('the rules re-run: an archive that no longer passes them is not sent; approvers do not convert; only temporary, not mid-chain', async () => {
      const incomplete = await active({ kind: 'temporary', skills: null });
      const failed = await domainError(
        workflow.convert(caseworker, incomplete.id, dto(ConvertArchiveDto, { version: incomplete.version })),
      );
      expect(failed.code).toBe('ARCHIVE_RULES_FAILED');
      expect(await archiveRow(h.db.dataSource, incomplete.id)).toMatchObject({
        status: 'active',
        kind: 'temporary',
        version: incomplete.version,
      });

      const temporary = await active({ kind: 'temporary' });
      expect(
        (
          await domainError(
            workflow.convert(approver, temporary.id, dto(ConvertArchiveDto, { version: temporary.version })),
          )
        ).code,
      ).toBe('ACCESS_DENIED');
      const formal = await active();
      expect(
        await domainError(
          workflow.convert(caseworker, formal.id, dto(ConvertArchiveDto, { version: formal.version })),
        ),
      ).toMatchObject({ code: 'ARCHIVE_NOT_TEMPORARY', details: { kind: 'formal' } });
      const { archive: submitted } = await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        kind: 'temporary',
        status: 'submitted',
      });
      expect(
        (
          await domainError(
            workflow.convert(
              caseworker,
              submitted.id,
              dto(ConvertArchiveDto, { version: submitted.version }),
            ),
          )
        ).details,
      ).toEqual({ status: 'submitted', command: 'convert' });

      // Before the chain the kind simply changes; the chain follows as for any application.
      const { archive: draft } = await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        kind: 'temporary',
      });
      expect(
        await workflow.convert(caseworker, draft.id, dto(ConvertArchiveDto, { version: draft.version })),
      ).toMatchObject({ status: 'draft', kind: 'formal' });
    });
  });

  describe('relapse (返困) and the end of the relapse watch', () => {
    it('the daily job ends the watch once relapseWatchMonths have passed; versioned, audited, idempotent', async () => {
      await h.db.dataSource.query(`UPDATE archives SET status = 'cancelled' WHERE status = 'exited'`);
      const archive = await active();
      const exited = await workflow.exit(
        caseworker,
        archive.id,
        dto(ExitArchiveDto, { version: archive.version, reason: '子女毕业就业，家庭收入稳定' }),
      );
      expect(exited).toMatchObject({ relapseWatchUntil: '2026-09-02', flags: ['relapse_watch'] });
      const lapsed = await active({
        status: 'exited',
        flags: ['relapse_watch', 'asset_vehicle'],
        relapseWatchUntil: '2026-03-01',
      });

      expect(await workflow.endRelapseWatch()).toEqual({ ended: 1 });
      expect((await archiveRow(h.db.dataSource, lapsed.id)).flags).toEqual(['asset_vehicle']);
      expect((await archiveRow(h.db.dataSource, archive.id)).flags).toEqual(['relapse_watch']);
      expect(await workflow.endRelapseWatch()).toEqual({ ended: 0 });
      expect(await auditRows(h.db.dataSource, lapsed.id, 'archive.end-relapse-watch')).toEqual([
        expect.objectContaining({ actor_kind: 'system', details: { flag: 'relapse_watch', set: false } }),
      ]);
      const history = await workflow.history(reviewer, lapsed.id, { page: 1, pageSize: 10 });
      expect(history.items.map((i) => [i.type, i.action])).toEqual([
        ['transition', 'end-relapse-watch'],
        ['change', 'end-relapse-watch'],
      ]);

      // The last day of the watch still counts; the day after, it has ended.
      h.clock.set('2026-09-02T09:00:00+08:00');
      expect(await workflow.endRelapseWatch()).toEqual({ ended: 0 });
      h.clock.set('2026-09-03T00:30:00+08:00');
      expect(await workflow.endRelapseWatch()).toEqual({ ended: 1 });
      const row = await h.db.dataSource.query(
        `SELECT flags, to_char(relapse_watch_until, 'YYYY-MM-DD') AS until FROM archives WHERE id = $1`,
        [archive.id],
      );
      expect(row[0]).toEqual({ flags: [], until: '2026-09-02' });
    });

    it('reopens an exited archive as returned; it is active again only through review, verification, approval and notice', async () => {
      const districtReviewer = await staff(h.db.dataSource, h.tree.district, ['reviewer'], '孙复核');
      const archive = await active();
      const exited = await workflow.exit(
        caseworker,
        archive.id,
        dto(ExitArchiveDto, { version: archive.version, reason: '子女毕业就业，家庭收入稳定' }),
      );
      h.clock.set('2026-05-11T09:00:00+08:00');
      // Only a caseworker in scope; a reviewer may not reopen on its own.
      expect(
        (
          await domainError(
            workflow.reopen(
              reviewer,
              archive.id,
              dto(ReopenArchiveDto, { version: exited.version, reason: '妻子再次住院，家庭收入锐减' }),
            ),
          )
        ).code,
      ).toBe('ACCESS_DENIED');
      const reopened = await workflow.reopen(
        caseworker,
        archive.id,
        dto(ReopenArchiveDto, { version: exited.version, reason: '妻子再次住院，家庭收入锐减' }),
      );
      expect(reopened).toMatchObject({
        status: 'returned',
        flags: [],
        relapseWatchUntil: null,
        archiveNo: archive.archiveNo,
      });
      // Not active again by itself: a reviewer may not re-verify it, it must be submitted.
      expect(
        (
          await domainError(
            workflow.exit(
              caseworker,
              archive.id,
              dto(ExitArchiveDto, { version: reopened.version, reason: '家庭收入稳定' }),
            ),
          )
        ).details,
      ).toEqual({ status: 'returned', command: 'exit' });

      let state = await workflow.submit(
        caseworker,
        archive.id,
        dto(SubmitArchiveDto, { version: reopened.version }),
      );
      state = await workflow.review(
        reviewer,
        archive.id,
        dto(ReviewArchiveDto, { version: state.version, decision: 'approve' }),
      );
      state = await workflow.verify(
        districtReviewer,
        archive.id,
        dto(VerifyArchiveDto, {
          version: state.version,
          decision: 'pass',
          visit: {
            date: '2026-05-11',
            visitors: ['王丽', '陈刚'],
            findings: '入户查看，妻子住院，情况属实。',
          },
        }),
      );
      state = await workflow.approve(
        approver,
        archive.id,
        dto(ApproveArchiveDto, { version: state.version, decision: 'approve' }),
      );
      expect(state.status).toBe('publicizing');
      h.clock.set('2026-05-20T09:00:00+08:00');
      expect(await workflow.activatePublicized()).toEqual({ activated: 1 });
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({
        status: 'active',
        archive_no: archive.archiveNo,
      });
      const events = await eventRows(h.db.dataSource, archive.id);
      expect(events.map((e) => [e.command, e.from_status, e.to_status])).toEqual([
        ['exit', 'active', 'exited'],
        ['reopen', 'exited', 'returned'],
        ['submit', 'returned', 'submitted'],
        ['review', 'submitted', 'verifying'],
        ['verify', 'verifying', 'approving'],
        ['approve', 'approving', 'publicizing'],
        ['activate', 'publicizing', 'active'],
      ]);
      expect(events[1]).toMatchObject({
        actor_id: caseworker.userId,
        reasons: ['妻子再次住院，家庭收入锐减'],
        details: { relapse: true, withinWatch: true },
      });
      expect(await auditRows(h.db.dataSource, archive.id, 'archive.reopen')).toHaveLength(1);
    });

    it('refused while a person of the household is in another open archive, or from a status other than exited', async () => {
      const archive = await active({ status: 'exited', flags: ['relapse_watch'] });
      // Submitted: a draft reserves no one (the duplicate rule binds from submission on).
      const { archive: other } = await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots2.id,
        status: 'submitted',
      });
      await h.db.dataSource.query(
        `UPDATE archives o SET head_id_number_ciphertext = a.head_id_number_ciphertext,
                               head_id_number_blind_index = a.head_id_number_blind_index
           FROM archives a WHERE a.id = $1 AND o.id = $2`,
        [archive.id, other.id],
      );
      const error = await domainError(
        workflow.reopen(
          caseworker,
          archive.id,
          dto(ReopenArchiveDto, { version: archive.version, reason: '妻子再次住院，家庭收入锐减' }),
        ),
      );
      expect(error.code).toBe('ARCHIVE_REOPEN_PERSON_ELSEWHERE');
      expect(error.details).toMatchObject({
        violations: [
          expect.objectContaining({ code: 'HOUSEHOLD_DUPLICATE_ARCHIVE', field: 'head.idNumber' }),
        ],
      });
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ status: 'exited' });

      const cancelled = await active({ status: 'cancelled' });
      expect(
        (
          await domainError(
            workflow.reopen(
              caseworker,
              cancelled.id,
              dto(ReopenArchiveDto, { version: cancelled.version, reason: '妻子再次住院，家庭收入锐减' }),
            ),
          )
        ).details,
      ).toEqual({ status: 'cancelled', command: 'reopen' });
    });
  });

  describe('re-verification (复核) of an active archive', () => {
    const check = (overrides: Record<string, unknown> = {}) => ({
      date: '2026-02-27',
      checkers: ['李敏', '王强'],
      findings: '入户复核：家庭情况与档案一致，仍属困难。',
      ...overrides,
    });

    it('a home visit renews the verification: flag cleared, date recorded, versioned, audited; the job leaves it', async () => {
      await h.db.dataSource.query(`UPDATE archives SET status = 'cancelled' WHERE status = 'active'`);
      const archive = await active({
        lastVerifiedAt: new Date('2025-01-10T02:00:00Z'),
        flags: ['stale_verification', 'asset_vehicle'],
      });
      const state = await workflow.reverify(
        reviewer,
        archive.id,
        dto(ReverifyArchiveDto, { version: archive.version, method: 'home_visit', check: check() }),
      );
      expect(state).toMatchObject({
        status: 'active',
        flags: ['asset_vehicle'],
        lastVerifiedAt: '2026-02-26T16:00:00.000Z',
        nextVisitDueOn: '2026-08-27',
        version: archive.version + 1,
      });
      const [event] = (await eventRows(h.db.dataSource, archive.id)).filter((e) => e.command === 'reverify');
      expect(event).toMatchObject({
        from_status: 'active',
        to_status: 'active',
        actor_id: reviewer.userId,
        actor_role: 'reviewer',
        visit: { date: '2026-02-27', visitors: ['李敏', '王强'] },
        details: { method: 'home_visit', checkDate: '2026-02-27', stale: false },
      });
      expect(await auditRows(h.db.dataSource, archive.id, 'archive.reverify')).toEqual([
        expect.objectContaining({ actor_id: reviewer.userId, outcome: 'success' }),
      ]);
      const history = await workflow.history(reviewer, archive.id, { page: 1, pageSize: 10 });
      expect(history.items.map((i) => [i.type, i.action])).toEqual([
        ['transition', 'reverify'],
        ['change', 'reverify'],
      ]);
      expect(Object.keys(history.items[1]!.diff!)).toEqual(
        expect.arrayContaining(['flags', 'lastVerifiedAt', 'nextVisitDueOn']),
      );
      // The daily job agrees: nothing to flag now, and it flags again twelve months after the visit.
      expect(await workflow.flagStale()).toEqual({ flagged: 0, cleared: 0 });
      h.clock.set('2027-02-28T09:00:00+08:00');
      expect(await workflow.flagStale()).toEqual({ flagged: 1, cleared: 0 });
    });

    it('a document check needs one checker, a home visit two; the date lies between the last verification and today', async () => {
      const archive = await active({ flags: ['stale_verification'] });
      const tooFew = await domainError(
        workflow.reverify(
          reviewer,
          archive.id,
          dto(ReverifyArchiveDto, {
            version: archive.version,
            method: 'home_visit',
            check: check({ checkers: ['李敏'] }),
          }),
        ),
      );
      expect(tooFew.code).toBe('ARCHIVE_REVERIFY_CHECKERS_TOO_FEW');
      for (const date of ['2026-03-03', '2025-02-19']) {
        const error = await domainError(
          workflow.reverify(
            reviewer,
            archive.id,
            dto(ReverifyArchiveDto, {
              version: archive.version,
              method: 'document_check',
              check: check({ date }),
            }),
          ),
        );
        expect(error).toMatchObject({ code: 'ARCHIVE_REVERIFY_DATE_INVALID', details: { date } });
      }
      const state = await workflow.reverify(
        reviewer,
        archive.id,
        dto(ReverifyArchiveDto, {
          version: archive.version,
          method: 'document_check',
          check: check({ date: '2026-03-02', checkers: ['李敏'] }),
        }),
      );
      expect(state).toMatchObject({ flags: [], lastVerifiedAt: '2026-03-01T16:00:00.000Z' });
      // A document check does not stand in for the six-monthly visit.
      expect(state.nextVisitDueOn).toBe(archive.nextVisitDueOn);
    });

    it('refused: a caseworker, a reviewer outside the subtree, a stale version, an archive not active', async () => {
      const archive = await active();
      const body = (version: number) =>
        dto(ReverifyArchiveDto, { version, method: 'home_visit', check: check() });
      expect((await domainError(workflow.reverify(caseworker, archive.id, body(archive.version)))).code).toBe(
        'ACCESS_DENIED',
      );
      const outsider = await staff(h.db.dataSource, h.tree.grassroots2, ['reviewer']);
      expect((await domainError(workflow.reverify(outsider, archive.id, body(archive.version)))).code).toBe(
        'OUT_OF_SCOPE',
      );
      expect(
        (await domainError(workflow.reverify(reviewer, archive.id, body(archive.version + 1)))).code,
      ).toBe('ARCHIVE_VERSION_CONFLICT');
      const exited = await active({ status: 'exited' });
      expect(await domainError(workflow.reverify(reviewer, exited.id, body(exited.version)))).toMatchObject({
        code: 'ARCHIVE_INVALID_TRANSITION',
        details: { status: 'exited', command: 'reverify' },
      });
      expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ version: archive.version });
    });
  });

  describe('temporary expiry job (archives.cancel-expired-temporary)', () => {
    it('cancels temporary archives 2 years after activation (or creation if never active), once', async () => {
      const now = h.clock.now().getTime();
      const expired = await active({
        kind: 'temporary',
        activatedAt: new Date(now - 2 * 365 * DAY - 2 * DAY),
      });
      const young = await active({ kind: 'temporary', activatedAt: new Date(now - 2 * 365 * DAY + 2 * DAY) });
      const formalOld = await active({ kind: 'formal', activatedAt: new Date(now - 5 * 365 * DAY) });
      const { archive: oldDraft } = await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        kind: 'temporary',
        createdAt: new Date(now - 3 * 365 * DAY),
      });
      const { archive: oldRejected } = await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        kind: 'temporary',
        status: 'rejected',
        createdAt: new Date(now - 3 * 365 * DAY),
      });

      expect(await workflow.cancelExpiredTemporary()).toEqual({ cancelled: 2 });
      expect((await archiveRow(h.db.dataSource, expired.id)).status).toBe('cancelled');
      expect((await archiveRow(h.db.dataSource, oldDraft.id)).status).toBe('cancelled');
      expect((await archiveRow(h.db.dataSource, young.id)).status).toBe('active');
      expect((await archiveRow(h.db.dataSource, formalOld.id)).status).toBe('active');
      expect((await archiveRow(h.db.dataSource, oldRejected.id)).status).toBe('rejected');
      expect(await auditRows(h.db.dataSource, expired.id, 'archive.expire-temporary')).toEqual([
        expect.objectContaining({
          actor_kind: 'system',
          details: expect.objectContaining({
            from: 'active',
            to: 'cancelled',
            cancelReason: 'temporary_expired',
          }),
        }),
      ]);
      expect(await workflow.cancelExpiredTemporary()).toEqual({ cancelled: 0 });

      // Four days on, the young one has passed its two years too.
      h.clock.advance(4 * DAY);
      expect(await workflow.cancelExpiredTemporary()).toEqual({ cancelled: 1 });
      expect((await archiveRow(h.db.dataSource, young.id)).status).toBe('cancelled');
    });
  });

  describe('本年度不纳入帮扶 (a year out of aid, without cancelling)', () => {
    it('marks an active archive out of this year with a reason; it stays active; once per year; audited', async () => {
      const exclusions = h.moduleRef.get(AidExclusionsService);
      const archive = await active();
      const mark = (who: Principal, id: string, year: number) =>
        exclusions.mark(who, id, dto(MarkAidExclusionDto, { year, reason: '本人表示今年家庭收入已有改善' }));

      const marked = await mark(caseworker, archive.id, 2026);
      expect(marked).toMatchObject({ archiveId: archive.id, year: 2026, markedBy: caseworker.userId });
      expect((await archiveRow(h.db.dataSource, archive.id)).status).toBe('active');
      const detail = await h.moduleRef.get(ArchivesService).get(caseworker, archive.id);
      expect(detail.aidExclusions).toEqual([
        expect.objectContaining({ year: 2026, reason: '本人表示今年家庭收入已有改善' }),
      ]);
      expect(await auditRows(h.db.dataSource, archive.id, 'archive.exclude-aid-year')).toEqual([
        expect.objectContaining({
          actor_id: caseworker.userId,
          details: expect.objectContaining({ year: 2026 }),
        }),
      ]);

      expect((await domainError(mark(reviewer, archive.id, 2026))).code).toBe('ARCHIVE_AID_EXCLUSION_EXISTS');
      expect((await domainError(mark(caseworker, archive.id, 2024))).code).toBe(
        'ARCHIVE_AID_EXCLUSION_YEAR_INVALID',
      );
      await expect(mark(caseworker, archive.id, 2027)).resolves.toMatchObject({ year: 2027 });
      const { archive: draft } = await createArchive(h.db.dataSource, { orgUnitId: h.tree.grassroots.id });
      expect(await domainError(mark(caseworker, draft.id, 2026))).toMatchObject({
        code: 'ARCHIVE_AID_EXCLUSION_NOT_ACTIVE',
        details: { status: 'draft' },
      });
      const outsider = await staff(h.db.dataSource, h.tree.grassroots3, ['caseworker']);
      expect((await domainError(mark(outsider, archive.id, 2026))).code).toBe('OUT_OF_SCOPE');
    });
  });

  describe('draft expiry job (archives.expire-drafts)', () => {
    it('cancels drafts untouched for 90 days as the system; recent drafts and submitted archives stay', async () => {
      const now = h.clock.now().getTime();
      const draft = async (status: 'draft' | 'submitted', untouchedDays: number) => {
        const { archive } = await createArchive(h.db.dataSource, { orgUnitId: h.tree.grassroots.id, status });
        await h.db.dataSource.query(`UPDATE archives SET updated_at = $2 WHERE id = $1`, [
          archive.id,
          new Date(now - untouchedDays * DAY),
        ]);
        return archive;
      };
      const abandoned = await draft('draft', 91);
      const recent = await draft('draft', 89);
      const oldSubmitted = await draft('submitted', 200);

      expect((await workflow.expireStaleDrafts()).expired).toBeGreaterThanOrEqual(1);
      expect((await archiveRow(h.db.dataSource, abandoned.id)).status).toBe('cancelled');
      expect((await archiveRow(h.db.dataSource, recent.id)).status).toBe('draft');
      expect((await archiveRow(h.db.dataSource, oldSubmitted.id)).status).toBe('submitted');
      expect(await auditRows(h.db.dataSource, abandoned.id, 'archive.expire-draft')).toEqual([
        expect.objectContaining({
          actor_kind: 'system',
          details: expect.objectContaining({ from: 'draft', to: 'cancelled', cancelReason: 'draft_expired' }),
        }),
      ]);
      expect(await workflow.expireStaleDrafts()).toEqual({ expired: 0 });
      h.clock.advance(2 * DAY);
      expect(await workflow.expireStaleDrafts()).toEqual({ expired: 1 });
      expect((await archiveRow(h.db.dataSource, recent.id)).status).toBe('cancelled');
    });
  });

  describe('stale verification job (archives.flag-stale)', () => {
    it('flags active archives not verified for 12 months, unflags verified ones, and is idempotent', async () => {
      await h.db.dataSource.query(`UPDATE archives SET status = 'cancelled' WHERE status = 'active'`);
      const now = h.clock.now().getTime();
      const stale = await active({ lastVerifiedAt: new Date(now - 13 * 30 * DAY) });
      const fresh = await active({ lastVerifiedAt: new Date(now - 11 * 30 * DAY) });
      const reverified = await active({
        lastVerifiedAt: new Date(now - 10 * DAY),
        flags: ['stale_verification', 'asset_vehicle'],
      });
      const exited = await active({ status: 'exited', lastVerifiedAt: new Date(now - 20 * 30 * DAY) });

      expect(await workflow.flagStale()).toEqual({ flagged: 1, cleared: 1 });
      expect((await archiveRow(h.db.dataSource, stale.id)).flags).toEqual(['stale_verification']);
      expect((await archiveRow(h.db.dataSource, fresh.id)).flags).toEqual([]);
      expect((await archiveRow(h.db.dataSource, reverified.id)).flags).toEqual(['asset_vehicle']);
      expect((await archiveRow(h.db.dataSource, exited.id)).flags).toEqual([]);
      expect(await workflow.flagStale()).toEqual({ flagged: 0, cleared: 0 });

      expect(await auditRows(h.db.dataSource, stale.id, 'archive.flag-stale')).toEqual([
        expect.objectContaining({ actor_kind: 'system', details: { flag: 'stale_verification', set: true } }),
      ]);
      // The flag change is a version of the archive, visible in its history.
      const history = await workflow.history(reviewer, stale.id, { page: 1, pageSize: 10 });
      expect(history.items.map((i) => [i.type, i.action])).toEqual([
        ['transition', 'flag-stale'],
        ['change', 'flag-stale'],
      ]);

      // Two months later the fresh one has passed 12 months too.
      h.clock.advance(61 * DAY);
      expect(await workflow.flagStale()).toEqual({ flagged: 1, cleared: 0 });
      expect((await archiveRow(h.db.dataSource, fresh.id)).flags).toEqual(['stale_verification']);
    });
  });
});
