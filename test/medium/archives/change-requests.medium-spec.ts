import type { Principal } from '../../../src/modules/auth/principal';
import { ArchivesService } from '../../../src/modules/archives/archives.service';
import { ArchiveChangeRequestsService } from '../../../src/modules/archives/change-requests/archive-change-requests.service';
import {
  CreateChangeRequestDto,
  DecideChangeRequestDto,
} from '../../../src/modules/archives/change-requests/change-requests.dto';
import { UpdateArchiveDto } from '../../../src/modules/archives/dto/archive-input.dto';
import { createArchive } from '../../helpers/factories/archives.factory';
import {
  archiveRow,
  auditRows,
  domainError,
  dto,
  staff,
  workflowHarness,
  WorkflowHarness,
} from './workflow-fixtures';

describe('change requests (变更申请) of active archives (real PostgreSQL)', () => {
  let h: WorkflowHarness;
  let archives: ArchivesService;
  let changes: ArchiveChangeRequestsService;
  let caseworker: Principal;
  let reviewer: Principal;

  const active = async () =>
    (
      await createArchive(h.db.dataSource, {
        orgUnitId: h.tree.grassroots.id,
        status: 'active',
        archiveNo: `330106-2025-${String(Math.floor(Math.random() * 90000) + 10000)}`,
        activatedAt: new Date('2025-03-01T02:00:00Z'),
      })
    ).archive;
  const headIncome = async (id: string): Promise<number> =>
    (await h.db.dataSource.query(`SELECT head_monthly_income_fen AS v FROM archives WHERE id = $1`, [id]))[0]
      .v;

  beforeAll(async () => {
    h = await workflowHarness();
    archives = h.moduleRef.get(ArchivesService);
    changes = h.moduleRef.get(ArchiveChangeRequestsService);
    caseworker = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker'], '刘经办');
    reviewer = await staff(h.db.dataSource, h.tree.grassroots, ['reviewer'], '赵审核');
  });

  afterAll(async () => {
    await h?.close();
  });

  it("one caseworker's edit no longer changes category or income of an active archive; other fields still save", async () => {
    const archive = await active();
    for (const body of [
      { category: 'marginal' },
      { head: { monthlyIncomeFen: 150000 } },
      { incomeItems: [{ kind: 'pension', monthlyAmountFen: 50000 }] },
    ]) {
      const error = await domainError(
        archives.update(caseworker, archive.id, dto(UpdateArchiveDto, { version: archive.version, ...body })),
      );
      expect(error.code).toBe('ARCHIVE_CHANGE_NEEDS_REVIEW');
    }
    expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ version: archive.version });
    const saved = await archives.update(
      caseworker,
      archive.id,
      dto(UpdateArchiveDto, { version: archive.version, skills: '会电焊，持初级焊工证' }),
    );
    expect(saved.version).toBe(archive.version + 1);
  });

  it('a reviewer in scope who did not ask approves: the change applies, versioned and audited', async () => {
    const archive = await active();
    const request = await changes.request(
      caseworker,
      archive.id,
      dto(CreateChangeRequestDto, {
        version: archive.version,
        reason: '户主工资调整，收入略有增加',
        headMonthlyIncomeFen: 90000,
      }),
    );
    expect(request).toMatchObject({
      status: 'pending',
      baseVersion: archive.version,
      requestedBy: caseworker.userId,
    });
    expect(await headIncome(archive.id)).toBe(80000);
    // One pending request at a time.
    expect(
      (
        await domainError(
          changes.request(
            caseworker,
            archive.id,
            dto(CreateChangeRequestDto, {
              version: archive.version,
              reason: '再次申请变更类别',
              category: 'marginal',
            }),
          ),
        )
      ).code,
    ).toBe('CHANGE_REQUEST_PENDING_EXISTS');

    const decide = (who: Principal, version = archive.version, decision = 'approve') =>
      changes.decide(who, archive.id, request.id, dto(DecideChangeRequestDto, { version, decision }));
    // Never one person alone: the requester may not decide, even holding the reviewer role.
    const both = await staff(h.db.dataSource, h.tree.grassroots, ['caseworker', 'reviewer']);
    const own = await changes.request(
      both,
      (await active()).id,
      dto(CreateChangeRequestDto, {
        version: 1,
        reason: '户主工资调整，收入略有增加',
        headMonthlyIncomeFen: 90000,
      }),
    );
    expect(
      (
        await domainError(
          changes.decide(
            both,
            own.archiveId,
            own.id,
            dto(DecideChangeRequestDto, { version: 1, decision: 'approve' }),
          ),
        )
      ).code,
    ).toBe('SELF_APPROVAL');
    const outsider = await staff(h.db.dataSource, h.tree.grassroots2, ['reviewer']);
    expect((await domainError(decide(outsider))).code).toBe('OUT_OF_SCOPE');
    expect((await domainError(decide(reviewer, archive.version + 1))).code).toBe('ARCHIVE_VERSION_CONFLICT');

    const approved = await decide(reviewer);
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: reviewer.userId,
      archiveVersion: archive.version + 1,
    });
    expect(await headIncome(archive.id)).toBe(90000);
    const [version] = await h.db.dataSource.query(
      `SELECT action, changed_by, diff FROM archive_versions WHERE archive_id = $1 ORDER BY version DESC LIMIT 1`,
      [archive.id],
    );
    expect(version).toMatchObject({ action: 'change-request', changed_by: reviewer.userId });
    expect(Object.keys(version.diff)).toEqual(
      expect.arrayContaining(['head.monthlyIncomeFen', 'perCapitaIncomeFen']),
    );
    expect((await auditRows(h.db.dataSource, archive.id)).map((r) => [r.action, r.actor_id])).toEqual(
      expect.arrayContaining([
        ['archive.request-change', caseworker.userId],
        ['archive.decide-change-request', reviewer.userId],
      ]),
    );
    expect((await domainError(decide(reviewer, approved.archiveVersion!))).code).toBe(
      'CHANGE_REQUEST_ALREADY_DECIDED',
    );
  });

  it('a change the rules refuse is not applied (422, still pending); a rejection needs a note and changes nothing', async () => {
    const archive = await active();
    // Per-capita income of 400 元 is far below the 低保 line: not 低保边缘户.
    const request = await changes.request(
      caseworker,
      archive.id,
      dto(CreateChangeRequestDto, {
        version: archive.version,
        reason: '申请调整为低保边缘户',
        category: 'marginal',
      }),
    );
    const refused = await domainError(
      changes.decide(
        reviewer,
        archive.id,
        request.id,
        dto(DecideChangeRequestDto, { version: archive.version, decision: 'approve' }),
      ),
    );
    expect(refused.code).toBe('ARCHIVE_RULES_FAILED');
    expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ version: archive.version });
    expect(() => dto(DecideChangeRequestDto, { version: archive.version, decision: 'reject' })).toThrow(
      'note',
    );
    const rejected = await changes.decide(
      reviewer,
      archive.id,
      request.id,
      dto(DecideChangeRequestDto, {
        version: archive.version,
        decision: 'reject',
        note: '收入仍低于低保标准，不予变更',
      }),
    );
    expect(rejected).toMatchObject({ status: 'rejected', archiveVersion: null });
    expect(await archiveRow(h.db.dataSource, archive.id)).toMatchObject({ version: archive.version });
    const list = await changes.list(reviewer, archive.id);
    expect(list.map((r) => r.status)).toEqual(['rejected']);
  });

  it('only active archives, only members of the archive, at least one change', async () => {
    const { archive: draft } = await createArchive(h.db.dataSource, { orgUnitId: h.tree.grassroots.id });
    expect(
      (
        await domainError(
          changes.request(
            caseworker,
            draft.id,
            dto(CreateChangeRequestDto, {
              version: draft.version,
              reason: '户主工资调整',
              headMonthlyIncomeFen: 1,
            }),
          ),
        )
      ).code,
    ).toBe('CHANGE_REQUEST_ARCHIVE_NOT_ACTIVE');
    const archive = await active();
    expect(
      (
        await domainError(
          changes.request(
            caseworker,
            archive.id,
            dto(CreateChangeRequestDto, {
              version: archive.version,
              reason: '成员收入变化',
              memberIncomes: [{ memberId: '00000000-0000-4000-8000-000000000001', monthlyIncomeFen: 1000 }],
            }),
          ),
        )
      ).code,
    ).toBe('CHANGE_REQUEST_MEMBER_INVALID');
    expect(
      (
        await domainError(
          changes.request(
            caseworker,
            archive.id,
            dto(CreateChangeRequestDto, { version: archive.version, reason: '没有变更内容' }),
          ),
        )
      ).code,
    ).toBe('CHANGE_REQUEST_EMPTY');
  });
});
