import { randomUUID } from 'node:crypto';
import { UpdateArchiveDto } from '../../../src/modules/archives/dto/archive-input.dto';
import type { Principal } from '../../../src/modules/auth/principal';
import {
  ArchivesTestContext,
  createArchivesContext,
  createDto,
  dto,
  householdPlain,
  insertLine,
  NANJING_LINE_FEN,
  staffAt,
} from './data-fixtures';

/**
 * The category rules as unions apply them, on real PostgreSQL: income without social assistance, the
 * three categories, the 低保证 evidence, and the 低保 line of the most specific region on the application
 * date. (Pure boundaries: household-figures.rule.spec.ts and dibao-region.rule.spec.ts.)
 */
describe('Archive categories against the 低保 line (real PostgreSQL)', () => {
  let t: ArchivesTestContext;
  let caseworker: Principal;

  /** The rules an archive would be submitted against now (consents left out). */
  const codes = async (id: string): Promise<string[]> =>
    (
      await t.db.dataSource.transaction(async (manager) =>
        t.archives.validateForSubmission(
          manager,
          await t.archives.loadForUpdate(manager, id),
          t.clock.now(),
          {
            consents: false,
          },
        ),
      )
    ).map((v) => `${v.field}:${v.code}`);

  beforeAll(async () => {
    t = await createArchivesContext();
    caseworker = staffAt(t.tree.grassrootsA, ['caseworker']);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('低保金, 特困供养金, 临时救助金, 优抚金, awards and scholarships are stored but not counted as income', async () => {
    // Counted: 1,800 + 500 + 300 (relatives) = 2,600 元 / 3 = 866.66 元, below the 1,110 元 line. Counting
    // the 低保金 alone (+ 800 元) would put it at 1,133.33 元, above the line.
    const archive = await t.archives.create(
      caseworker,
      createDto({
        incomeItems: [
          { kind: 'other', monthlyAmountFen: 30_000, note: '亲属资助' },
          { kind: 'dibao_benefit', monthlyAmountFen: 80_000, note: '低保金' },
          { kind: 'special_care_pension', monthlyAmountFen: 60_000 },
          { kind: 'scholarship', monthlyAmountFen: 50_000, note: '女儿助学金' },
          { kind: 'award', monthlyAmountFen: 10_000 },
          { kind: 'tekun_benefit', monthlyAmountFen: 1 },
          { kind: 'temporary_assistance', monthlyAmountFen: 1 },
        ],
      }),
    );
    expect(archive).toMatchObject({ monthlyIncomeFen: 260_000, perCapitaIncomeFen: 86_666 });
    expect(archive.incomeItems.map((i) => i.kind)).toContain('dibao_benefit');
    expect(await codes(archive.id)).toEqual([]);

    // A pension does count: the same amount as a pension puts the household over the line.
    const updated = await t.archives.update(
      caseworker,
      archive.id,
      dto(UpdateArchiveDto, {
        version: archive.version,
        incomeItems: [
          { kind: 'other', monthlyAmountFen: 30_000 },
          { kind: 'pension', monthlyAmountFen: 80_000 },
        ],
      }),
    );
    expect(updated.monthlyIncomeFen).toBe(340_000);
    expect(await codes(archive.id)).toEqual(['category:CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE']);
  });

  it('a 低保证 number needs the certificate among the evidence files', async () => {
    const archive = await t.archives.create(
      caseworker,
      createDto({ dibaoCertificateNo: '宁低保字第0012345号' }),
    );
    expect(archive.dibaoCertificateNo).toBe('宁低保字第0012345号');
    expect(await codes(archive.id)).toEqual(['dibaoCertificateNo:DIBAO_CERTIFICATE_EVIDENCE_REQUIRED']);
    // Another kind of file does not prove it; a deleted certificate does not either.
    const insertEvidence = (kind: string, deleted: boolean) =>
      t.db.dataSource.query(
        `INSERT INTO archive_evidence (archive_id, kind, file_name, mime_type, size_bytes, sha256, storage_key,
                                       uploaded_by, uploaded_at, deleted_at)
         VALUES ($1, $2, 'x.pdf', 'application/pdf', 10, md5(random()::text) || md5(random()::text), $3, $4, now(), $5)`,
        [archive.id, kind, randomUUID(), caseworker.userId, deleted ? new Date() : null],
      );
    await insertEvidence('income_proof', false);
    await insertEvidence('dibao_certificate', true);
    expect(await codes(archive.id)).toEqual(['dibaoCertificateNo:DIBAO_CERTIFICATE_EVIDENCE_REQUIRED']);
    await insertEvidence('dibao_certificate', false);
    expect(await codes(archive.id)).toEqual([]);
  });

  it('低保边缘: above the line, at most line × 1.5, with one of the federation’s primary causes', async () => {
    const marginal = (headFen: number, primaryCause: string) =>
      t.archives.create(
        caseworker,
        createDto({
          category: 'marginal',
          members: [],
          incomeItems: [],
          causes: ['illness', 'low_income'],
          primaryCause,
          head: { ...(householdPlain().head as object), monthlyIncomeFen: headFen },
        }),
      );
    expect(await codes((await marginal(NANJING_LINE_FEN, 'illness')).id)).toEqual([
      'category:CATEGORY_MARGINAL_INCOME_NOT_ABOVE_LINE',
    ]);
    expect(await codes((await marginal(NANJING_LINE_FEN + 1, 'illness')).id)).toEqual([]);
    expect(await codes((await marginal(166_500, 'illness')).id)).toEqual([]);
    expect(await codes((await marginal(166_501, 'illness')).id)).toEqual([
      'category:CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT',
    ]);
    expect(await codes((await marginal(150_000, 'low_income')).id)).toEqual([
      'primaryCause:CATEGORY_MARGINAL_PRIMARY_CAUSE',
    ]);
  });

  it('意外致困: the incident’s date and its cost are recorded, whatever the usual income', async () => {
    const base = () => ({
      kind: 'temporary',
      category: 'accident',
      causes: ['accident'],
      primaryCause: 'accident',
      head: { ...(householdPlain().head as object), monthlyIncomeFen: 900_000 },
    });
    const bare = await t.archives.create(caseworker, createDto(base()));
    expect((await codes(bare.id)).sort()).toEqual(
      [
        'incidentOn:CATEGORY_ACCIDENT_DATE_REQUIRED',
        'incidentIncomeLossFen:CATEGORY_ACCIDENT_IMPACT_REQUIRED',
      ].sort(),
    );
    const recorded = await t.archives.create(
      caseworker,
      createDto({ ...base(), incidentOn: '2026-10-02', incidentExpenseFen: 6_500_000 }),
    );
    expect(recorded).toMatchObject({
      incidentOn: '2026-10-02',
      incidentExpenseFen: 6_500_000,
      incidentIncomeLossFen: null,
    });
    expect(await codes(recorded.id)).toEqual([]);
    const future = await t.archives.create(
      caseworker,
      createDto({ ...base(), incidentOn: '2026-11-24', incidentIncomeLossFen: 200_000 }),
    );
    expect(await codes(future.id)).toEqual(['incidentOn:CATEGORY_ACCIDENT_DATE_IN_FUTURE']);
  });

  it('the line is the application date’s: a later, lower line does not fail an archive applied for before it', async () => {
    // 南通 港闸区 (320611): its own line from 2026-01-01, lowered from 2026-09-01.
    await insertLine(t.db.dataSource, '320611', '2026-01-01', 100_000);
    await insertLine(t.db.dataSource, '320611', '2026-09-01', 90_000);
    const plain = householdPlain({ regionCode: '320611', members: [], incomeItems: [] });
    (plain.head as Record<string, unknown>).monthlyIncomeFen = 95_000;
    const archive = await t.archives.create(caseworker, createDto(plain));
    // Not yet applied for: judged on today's date (the 900 元 line).
    expect(await codes(archive.id)).toEqual(['category:CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE']);
    await t.db.dataSource.query(`UPDATE archives SET applied_on = '2026-08-31' WHERE id = $1`, [archive.id]);
    expect(await codes(archive.id)).toEqual([]);
    expect((await t.archives.get(caseworker, archive.id)).appliedOn).toBe('2026-08-31');
  });

  it('a newer, lower province line never replaces the city’s line in force', async () => {
    await insertLine(t.db.dataSource, '320000', '2026-10-01', 80_000);
    expect(await t.dibaoLines.lineFor('320102', '2026-11-23')).toMatchObject({
      regionCode: '320100',
      monthlyAmountFen: NANJING_LINE_FEN,
    });
    const plain = householdPlain({ members: [], incomeItems: [] });
    (plain.head as Record<string, unknown>).monthlyIncomeFen = 100_000;
    const archive = await t.archives.create(caseworker, createDto(plain));
    expect(await codes(archive.id)).toEqual([]);
  });
});
