import { DataSource, EntityManager } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import {
  AidLedgerService,
  type AidApprovalCheck,
  type AidRecord,
} from '../../../src/modules/aid-ledger/aid-ledger.service';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { domainError, seedWorkflowTree, staff, WorkflowTree } from '../archives/workflow-fixtures';

const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

/**
 * The aid ledger on real PostgreSQL: the rules at approval against the household's rows (caps, 不重复救助
 * with the earlier row's reference, the audited override), rows immutable in SQL, reversals, the sums the
 * matcher's fairness factor reads, and two concurrent approvals of one household.
 * Limits (config/default.yml): one-off 20,000 元; relief 30,000 元 a year; duplicate cause 180 days.
 */
describe('aid ledger (帮扶台账) on real PostgreSQL', () => {
  let t: TestApp;
  let ds: DataSource;
  let ledger: AidLedgerService;
  let tree: WorkflowTree;
  let approverId: string;
  const clock = new FakeClock('2026-12-05T09:00:00+08:00');

  const household = async () =>
    (await createArchive(ds, { orgUnitId: tree.grassroots.id, status: 'active' })).archive.id;
  const tx = <T>(work: (m: EntityManager) => Promise<T>) => ds.transaction(work);
  const record = (archiveId: string, patch: Partial<AidRecord> = {}) =>
    tx((m) =>
      ledger.record(m, {
        archiveId,
        category: 'relief',
        causeCode: 'illness',
        valueFen: 500_000,
        at: at('2026-06-01'),
        receivedVia: 'in_person',
        recordedBy: null,
        ...patch,
      }),
    );
  const check = (archiveId: string, patch: Partial<AidApprovalCheck> = {}) =>
    tx((m) =>
      ledger.checkAtApproval(m, {
        archiveId,
        category: 'relief',
        causeCode: 'disaster',
        valueFen: 100_000,
        at: at('2026-12-05'),
        ...patch,
      }),
    );

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    ledger = t.app.get(AidLedgerService);
    tree = await seedWorkflowTree(ds);
    approverId = (await staff(ds, tree.district, ['approver'], '孙审批')).userId;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('passes aid within every limit, and writes a row with its audit row at confirmation', async () => {
    const archiveId = await household();
    await expect(check(archiveId)).resolves.toEqual({ overridden: null });
    const { id } = await record(archiveId, { matchId: '0b9d3c4e-8f3a-4d55-9a51-1c2d3e4f5a6b' });
    expect(
      await ds.query(
        `SELECT beneficiary_key, category, cause, value_fen, to_char(aid_date, 'YYYY-MM-DD') AS d, received_via, match_id
           FROM aid_ledger WHERE id = $1`,
        [id],
      ),
    ).toEqual([
      {
        beneficiary_key: 'head',
        category: 'relief',
        cause: 'illness',
        value_fen: 500_000,
        d: '2026-06-01',
        received_via: 'in_person',
        match_id: '0b9d3c4e-8f3a-4d55-9a51-1c2d3e4f5a6b',
      },
    ]);
    expect(await ds.query(`SELECT action FROM audit_logs WHERE target_id = $1`, [id])).toEqual([
      { action: 'aid-ledger.record' },
    ]);
  });

  it('one-off cap: 20,000 元 passes, one fen more is 422 AID_ONE_OFF_CAP (an override does not help)', async () => {
    const archiveId = await household();
    await expect(check(archiveId, { category: 'donation', valueFen: 2_000_000 })).resolves.toEqual({
      overridden: null,
    });
    const error = await domainError(
      check(archiveId, {
        category: 'donation',
        valueFen: 2_000_001,
        override: { reason: '灾后重建急需，经集体研究同意', approverId },
      }),
    );
    expect(error.code).toBe('AID_ONE_OFF_CAP');
    expect(error.details).toMatchObject({ capFen: 2_000_000, valueFen: 2_000_001 });
  });

  it('annual cap per household and category counts this year’s rows only', async () => {
    const archiveId = await household();
    await record(archiveId, { valueFen: 1_500_000, at: at('2026-01-10'), causeCode: 'illness' });
    await record(archiveId, { valueFen: 1_000_000, at: at('2026-03-10'), causeCode: 'accident' });
    await record(archiveId, { valueFen: 2_000_000, at: at('2025-11-10'), causeCode: 'other' }); // last year
    await record(archiveId, { valueFen: 2_000_000, at: at('2026-02-10'), category: 'medical' }); // other category
    await expect(check(archiveId, { valueFen: 500_000 })).resolves.toEqual({ overridden: null });
    const error = await domainError(check(archiveId, { valueFen: 500_001 }));
    expect(error.code).toBe('AID_ANNUAL_CAP');
    expect(error.details).toEqual({
      capFen: 3_000_000,
      usedFen: 2_500_000,
      valueFen: 500_001,
      year: '2026',
      violations: ['AID_ANNUAL_CAP'],
    });
  });

  it('不重复救助: the same cause within 180 days is 422 naming the earlier row, across programmes', async () => {
    const archiveId = await household();
    const other = await household();
    const { id: earlier } = await record(archiveId, {
      category: 'donation',
      causeCode: 'disaster',
      at: at('2026-07-01'),
    });
    await record(other, { causeCode: 'disaster', at: at('2026-11-01') }); // another household
    const error = await domainError(check(archiveId, { category: 'medical' }));
    expect(error.code).toBe('AID_DUPLICATE_CAUSE');
    expect(error.details).toEqual({
      earlierRowId: earlier,
      earlierDate: '2026-07-01',
      cause: 'disaster',
      days: 180,
      violations: ['AID_DUPLICATE_CAUSE'],
    });
    // Another cause passes; the other household's row is not this one's.
    await expect(check(archiveId, { causeCode: 'schooling' })).resolves.toEqual({ overridden: null });
    await expect(check(other, { causeCode: 'schooling' })).resolves.toEqual({ overridden: null });
    // 180 days after 2026-07-01 is 2026-12-28: no longer a duplicate.
    await expect(check(archiveId, { at: at('2026-12-28') })).resolves.toEqual({ overridden: null });
  });

  it('an approver overrides a duplicate cause only with a written reason; the override is audited', async () => {
    const archiveId = await household();
    const { id: earlier } = await record(archiveId, { causeCode: 'disaster', at: at('2026-10-01') });
    for (const reason of ['', '  ', '同意', '联系电话13812345678，同意']) {
      const error = await domainError(check(archiveId, { override: { reason, approverId } }));
      expect(error.code).toBe('AID_OVERRIDE_REASON_REQUIRED');
    }
    const reason = '二次受灾（11月山洪），经区总工会研究同意再次救助';
    await expect(check(archiveId, { override: { reason, approverId } })).resolves.toEqual({
      overridden: {
        code: 'AID_DUPLICATE_CAUSE',
        earlierRowId: earlier,
        earlierDate: '2026-10-01',
        cause: 'disaster',
        days: 180,
      },
    });
    const audits = await ds.query(
      `SELECT actor_id, details FROM audit_logs WHERE action = 'aid-ledger.override-duplicate' AND target_id = $1`,
      [archiveId],
    );
    expect(audits).toEqual([
      {
        actor_id: approverId,
        details: expect.objectContaining({ earlierRowId: earlier, cause: 'disaster', reason }),
      },
    ]);
    // The override is part of the caller's transaction: rolled back with it.
    await expect(
      tx(async (m) => {
        await ledger.checkAtApproval(m, {
          archiveId,
          category: 'relief',
          causeCode: 'disaster',
          valueFen: 1,
          at: at('2026-12-05'),
          override: { reason, approverId },
        });
        throw new Error('approval failed later');
      }),
    ).rejects.toThrow('approval failed later');
    expect(
      await ds.query(
        `SELECT count(*)::int AS n FROM audit_logs WHERE action = 'aid-ledger.override-duplicate' AND target_id = $1`,
        [archiveId],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('rows are immutable in SQL: the app role may not UPDATE or DELETE, and the trigger refuses even the owner', async () => {
    const archiveId = await household();
    const { id } = await record(archiveId);
    await expect(ds.query(`UPDATE aid_ledger SET value_fen = 1 WHERE id = $1`, [id])).rejects.toThrow(
      /permission denied/,
    );
    await expect(ds.query(`DELETE FROM aid_ledger WHERE id = $1`, [id])).rejects.toThrow(/permission denied/);
    const owner = t.db.owner;
    await expect(owner.query(`UPDATE aid_ledger SET value_fen = 1 WHERE id = $1`, [id])).rejects.toThrow(
      /never changed or deleted/,
    );
    await expect(owner.query(`DELETE FROM aid_ledger WHERE id = $1`, [id])).rejects.toThrow(
      /never changed or deleted/,
    );
    await expect(owner.query(`TRUNCATE aid_ledger CASCADE`)).rejects.toThrow(/never changed or deleted/);
    expect(await ds.query(`SELECT value_fen FROM aid_ledger WHERE id = $1`, [id])).toEqual([
      { value_fen: 500_000 },
    ]);
  });

  it('a reversal is a new row negating the original; it frees the cap; neither is reversed twice', async () => {
    const archiveId = await household();
    const { id: original } = await record(archiveId, { valueFen: 2_800_000, causeCode: 'disaster' });
    expect((await domainError(check(archiveId, { valueFen: 300_000, causeCode: 'other' }))).code).toBe(
      'AID_ANNUAL_CAP',
    );
    const reviewer = await staff(ds, tree.grassroots, ['reviewer'], '周审核');
    const { id: reversal } = await tx((m) =>
      ledger.reverse(m, original, '金额登记错误，实为2800元', reviewer),
    );
    expect(
      await ds.query(
        `SELECT id, value_fen, reverses, note, to_char(aid_date, 'YYYY-MM-DD') AS d FROM aid_ledger
          WHERE archive_id = $1 ORDER BY created_at`,
        [archiveId],
      ),
    ).toEqual([
      { id: original, value_fen: 2_800_000, reverses: null, note: null, d: '2026-06-01' },
      {
        id: reversal,
        value_fen: -2_800_000,
        reverses: original,
        note: '金额登记错误，实为2800元',
        d: '2026-06-01',
      },
    ]);
    // Both count for nothing now: the cap and the duplicate cause are free again.
    await expect(check(archiveId, { valueFen: 300_000 })).resolves.toEqual({ overridden: null });
    expect((await domainError(tx((m) => ledger.reverse(m, original, '再次冲销', reviewer)))).code).toBe(
      'AID_LEDGER_ALREADY_REVERSED',
    );
    expect((await domainError(tx((m) => ledger.reverse(m, reversal, '冲销冲销', reviewer)))).code).toBe(
      'AID_LEDGER_REVERSAL_NOT_REVERSIBLE',
    );
    expect(
      (
        await domainError(
          tx((m) => ledger.reverse(m, 'ab3c2f4e-8d7a-4b61-9c1e-2f3a4b5c6d7e', '无', reviewer)),
        )
      ).code,
    ).toBe('AID_LEDGER_ROW_NOT_FOUND');
    expect(await ds.query(`SELECT action FROM audit_logs WHERE target_id = $1`, [reversal])).toEqual([
      { action: 'aid-ledger.reverse' },
    ]);
  });

  it('the database refuses a reversal that does not negate its original exactly', async () => {
    const archiveId = await household();
    const { id } = await record(archiveId, { valueFen: 100_000 });
    const insert = (value: number, date = '2026-06-01') =>
      ds.query(
        `INSERT INTO aid_ledger (archive_id, beneficiary_key, category, cause, value_fen, aid_date, received_via, reverses, note)
         VALUES ($1, 'head', 'relief', 'illness', $2, $3, 'in_person', $4, '手工冲销')`,
        [archiveId, value, date, id],
      );
    await expect(insert(-50_000)).rejects.toThrow(/negate one original row/);
    await expect(insert(-100_000, '2026-06-02')).rejects.toThrow(/negate one original row/);
    await expect(insert(100_000)).rejects.toThrow(/negate one original row/);
    // Only a reversal is negative.
    await expect(
      ds.query(
        `INSERT INTO aid_ledger (archive_id, beneficiary_key, category, cause, value_fen, aid_date, received_via)
         VALUES ($1, 'head', 'relief', 'illness', -1, '2026-06-01', 'in_person')`,
        [archiveId],
      ),
    ).rejects.toThrow(/chk_aid_ledger_sign/);
    await insert(-100_000);
    await expect(insert(-100_000)).rejects.toThrow(/uq_aid_ledger_reverses/);
  });

  it('valueLast12Months: net of reversals, within the last 12 months, an entry for every household', async () => {
    const a = await household();
    const b = await household();
    const none = await household();
    await record(a, { valueFen: 300_000, at: at('2025-12-06') }); // the first day inside
    await record(a, { valueFen: 700_000, at: at('2025-12-05') }); // a year ago: outside
    const { id } = await record(a, { valueFen: 50_000, at: at('2026-11-30') });
    await tx((m) => ledger.reverse(m, id, '重复登记', { userId: null }));
    await record(b, { valueFen: 1_000_000, at: at('2026-12-01'), category: 'medical' });
    const sums = await ledger.valueLast12Months([a, b, none]);
    expect(Object.fromEntries(sums)).toEqual({ [a]: 300_000, [b]: 1_000_000, [none]: 0 });
    expect(Object.fromEntries(await ledger.valueLast12Months([a], '2026-12-06'))).toEqual({ [a]: 0 });
  });

  it('two concurrent approvals for one household cannot both pass the annual cap', async () => {
    const archiveId = await household();
    await record(archiveId, { valueFen: 1_000_000, causeCode: 'other' });
    // Each approval checks and then (standing in for confirmation) records 15,000 元: only one fits 30,000.
    const approve = (cause: AidRecord['causeCode']) =>
      tx(async (m) => {
        await ledger.checkAtApproval(m, {
          archiveId,
          category: 'relief',
          causeCode: cause,
          valueFen: 1_500_000,
          at: at('2026-12-05'),
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        await ledger.record(m, {
          archiveId,
          category: 'relief',
          causeCode: cause,
          valueFen: 1_500_000,
          at: at('2026-12-05'),
          receivedVia: 'bank_transfer',
          recordedBy: null,
        });
      });
    const outcomes = await Promise.allSettled([approve('accident'), approve('unemployment')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(rejected.reason).toMatchObject({ code: 'AID_ANNUAL_CAP' });
  });

  it('approved aid not yet confirmed counts when passed as pending, named by its reference', async () => {
    const archiveId = await household();
    const pending = [
      {
        ref: 'match-1',
        category: 'relief' as const,
        causeCode: 'disaster' as const,
        valueFen: 2_500_000,
        at: at('2026-11-20'),
      },
    ];
    const capped = await domainError(check(archiveId, { causeCode: 'other', valueFen: 600_000, pending }));
    expect(capped.details).toMatchObject({ usedFen: 2_500_000 });
    expect(capped.code).toBe('AID_ANNUAL_CAP');
    const duplicate = await domainError(check(archiveId, { pending }));
    expect(duplicate.details).toMatchObject({ earlierRowId: 'pending:match-1', earlierDate: '2026-11-20' });
    await expect(check(archiveId)).resolves.toEqual({ overridden: null });
  });

  it('refuses to run outside a transaction', async () => {
    const archiveId = await household();
    await expect(
      ledger.checkAtApproval(ds.manager, {
        archiveId,
        category: 'relief',
        causeCode: 'illness',
        valueFen: 1,
        at: at('2026-12-05'),
      }),
    ).rejects.toThrow(/事务/);
  });
});
