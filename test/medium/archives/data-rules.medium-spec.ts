import { DomainError } from '../../../src/common/errors';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { RecordConsentDto } from '../../../src/modules/archives/dto/archive-actions.dto';
import { UpdateArchiveDto } from '../../../src/modules/archives/dto/archive-input.dto';
import type { Principal } from '../../../src/modules/auth/principal';
import {
  ArchivesTestContext,
  auditRows,
  createArchivesContext,
  createDto,
  dto,
  householdPlain,
  idNumber,
  insertLine,
  NANJING_LINE_FEN,
  staffAt,
  workerAt,
} from './data-fixtures';

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

type Violation = { rule: string; code: string; field: string; message: string };
const violationsOf = (error: DomainError) => (error.details as { violations: Violation[] }).violations;

describe('Archive rules on real PostgreSQL: duplicates, submission checks, consents, 低保 lines', () => {
  let t: ArchivesTestContext;
  let caseworkerA: Principal;
  let caseworkerB: Principal;

  beforeAll(async () => {
    t = await createArchivesContext();
    caseworkerA = staffAt(t.tree.grassrootsA, ['caseworker']);
    caseworkerB = staffAt(t.tree.grassrootsB, ['caseworker']);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('one archive per household, across units', () => {
    it('a person who heads an open archive in one unit cannot be a member in another: the error names the unit only', async () => {
      const plain = householdPlain();
      const head = plain.head as { idNumber: string; name: string };
      await t.archives.create(caseworkerA, createDto(plain));

      const count = async () => (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM archives`))[0].n;
      const before = await count();
      const other = householdPlain({ regionCode: '320505' });
      (other.members as Record<string, unknown>[])[0] = {
        relation: 'spouse',
        name: head.name,
        idNumber: ` ${head.idNumber.toLowerCase()} `,
        monthlyIncomeFen: 0,
        health: 'healthy',
        schoolingStage: 'none',
      };
      const error = await failure(t.archives.create(caseworkerB, createDto(other)));
      expect(error.code).toBe('ARCHIVE_RULES_FAILED');
      const [violation] = violationsOf(error);
      expect(violation).toMatchObject({
        rule: 'household-duplicate',
        code: 'HOUSEHOLD_DUPLICATE_ARCHIVE',
        field: 'members.0.idNumber',
      });
      expect(violation.message).toContain('南京熊猫电子集团工会');
      expect(JSON.stringify(error.details)).not.toContain(head.name);
      expect(findUnmaskedPersonalData(JSON.stringify(error.details))).toEqual([]);
      expect(await count()).toBe(before);
    });

    it('a closed archive (rejected, exited, cancelled) does not block a new one', async () => {
      const plain = householdPlain();
      const first = await t.archives.create(caseworkerA, createDto(plain));
      const again = () => t.archives.create(caseworkerB, createDto({ ...plain, regionCode: '320505' }));
      expect(violationsOf(await failure(again())).map((v) => v.field)).toEqual([
        'head.idNumber',
        'members.0.idNumber',
        'members.1.idNumber',
      ]);
      await t.db.dataSource.query(`UPDATE archives SET status = 'cancelled' WHERE id = $1`, [first.id]);
      await expect(again()).resolves.toMatchObject({ orgUnitId: t.tree.grassrootsB.id });
    });

    it('the same person twice in one household is refused', async () => {
      const plain = householdPlain();
      const members = plain.members as Record<string, unknown>[];
      members[1] = {
        ...members[1],
        idNumber: members[0].idNumber,
        relation: 'sibling',
        schoolingStage: 'none',
      };
      const error = await failure(t.archives.create(caseworkerA, createDto(plain)));
      expect(violationsOf(error).map((v) => `${v.field}:${v.code}`)).toContain(
        'members.1.idNumber:HOUSEHOLD_PERSON_REPEATED',
      );
    });

    it('an edit that adds someone from another open archive is refused and changes nothing', async () => {
      const a = await t.archives.create(caseworkerA, createDto());
      const bPlain = householdPlain({ regionCode: '320505' });
      const b = await t.archives.create(caseworkerB, createDto(bPlain));
      const bHead = (bPlain.head as { idNumber: string }).idNumber;
      const error = await failure(
        t.archives.update(
          caseworkerA,
          a.id,
          dto(UpdateArchiveDto, {
            version: 1,
            members: [
              {
                id: a.members[0].id,
                relation: 'spouse',
                name: '李秀英',
                monthlyIncomeFen: 0,
                health: 'healthy',
                schoolingStage: 'none',
              },
              {
                relation: 'sibling',
                name: '王建华',
                idNumber: bHead,
                monthlyIncomeFen: 0,
                health: 'healthy',
                schoolingStage: 'none',
              },
            ],
          }),
        ),
      );
      expect(violationsOf(error)).toEqual([
        expect.objectContaining({ code: 'HOUSEHOLD_DUPLICATE_ARCHIVE', field: 'members.1.idNumber' }),
      ]);
      expect(violationsOf(error)[0].message).toContain('苏州纺织厂工会');
      const after = await t.archives.load(a.id);
      expect(after.version).toBe(1);
      expect(after.members).toHaveLength(2);
      expect((await t.archives.load(b.id)).version).toBe(1);
    });

    it('two concurrent drafts for the same person: exactly one is created', async () => {
      const plain = householdPlain();
      const results = await Promise.allSettled([
        t.archives.create(caseworkerA, createDto(plain)),
        t.archives.create(caseworkerB, createDto({ ...plain, regionCode: '320505' })),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0].reason as DomainError).code).toBe('ARCHIVE_RULES_FAILED');
      const head = (plain.head as { idNumber: string }).idNumber;
      const rows = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM archives WHERE head_id_number_blind_index = $1`,
        [t.cipher.blindIndex(head, 'id_number')],
      );
      expect(rows[0].n).toBe(1);
    });
  });

  describe('validateForSubmission and consents', () => {
    const validate = (id: string) =>
      t.db.dataSource.transaction(async (manager) =>
        t.archives.validateForSubmission(manager, await t.archives.loadForUpdate(manager, id), t.clock.now()),
      );
    const consent = (who: Principal, id: string, plain: Record<string, unknown>) =>
      t.archives.recordConsent(
        who,
        id,
        dto(RecordConsentDto, {
          purpose: 'archive_management',
          textVersion: '2026.1',
          grantedAt: '2026-11-20T09:00:00+08:00',
          ...plain,
        }),
      );

    it('lists every missing consent, then passes once the head and a guardian consented', async () => {
      const plain = householdPlain();
      (plain.members as Record<string, unknown>[]).push({
        relation: 'grandchild',
        name: '王乐乐',
        idNumber: idNumber('2018-04-01', 'male'),
        monthlyIncomeFen: 0,
        health: 'healthy',
        schoolingStage: 'primary',
      });
      const archive = await t.archives.create(caseworkerA, createDto(plain));
      expect((await validate(archive.id)).map((v) => `${v.field}:${v.code}`)).toEqual([
        'consents.head.general:CONSENT_HEAD_GENERAL_MISSING',
        'consents.head.sensitive:CONSENT_HEAD_SENSITIVE_MISSING',
        'members.2.consent:CONSENT_GUARDIAN_MISSING',
      ]);
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'general' });
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'sensitive' });
      const grandchild = archive.members[2];
      const guardian = await consent(caseworkerA, archive.id, {
        subject: 'member',
        memberId: grandchild.id,
        kind: 'sensitive',
        byGuardian: true,
        guardianName: '王建国',
      });
      expect(guardian).toMatchObject({
        subject: 'member',
        memberId: grandchild.id,
        byGuardian: true,
        recordedBy: caseworkerA.userId,
      });
      expect(await validate(archive.id)).toEqual([]);

      // Consents are shown in the detail view and audited.
      const detail = await t.archives.get(caseworkerA, archive.id);
      expect(detail.consents.map((c) => [c.subject, c.kind])).toEqual([
        ['head', 'general'],
        ['head', 'sensitive'],
        ['member', 'sensitive'],
      ]);
      expect(
        await auditRows(t.db.dataSource, { action: 'archive.consent-record', targetId: archive.id }),
      ).toHaveLength(3);

      // Re-sending the member list keeps the member (matched by id) and so its guardian consent.
      const members = detail.members.map((m) => ({
        id: m.id,
        relation: m.relation,
        name: m.name,
        monthlyIncomeFen: m.monthlyIncomeFen,
        health: m.health,
        schoolingStage: m.schoolingStage,
      }));
      await t.archives.update(caseworkerA, archive.id, dto(UpdateArchiveDto, { version: 1, members }));
      expect(await validate(archive.id)).toEqual([]);
    });

    it('a worker records consent for its own archive only; unknown members and future dates are refused', async () => {
      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsA);
      const own = await t.archives.create(worker, createDto());
      await expect(consent(worker, own.id, { subject: 'head', kind: 'general' })).resolves.toMatchObject({
        recordedBy: worker.userId,
      });
      const other = await t.archives.create(caseworkerA, createDto());
      expect((await failure(consent(worker, other.id, { subject: 'head', kind: 'general' }))).code).toBe(
        'NOT_OWNER',
      );
      expect(
        (
          await failure(
            consent(caseworkerA, other.id, {
              subject: 'member',
              memberId: own.members[0].id,
              kind: 'general',
            }),
          )
        ).code,
      ).toBe('ARCHIVE_CONSENT_MEMBER_INVALID');
      expect(
        (
          await failure(
            consent(caseworkerA, other.id, {
              subject: 'head',
              kind: 'general',
              grantedAt: '2026-12-01T00:00:00+08:00',
            }),
          )
        ).code,
      ).toBe('ARCHIVE_CONSENT_IN_FUTURE');
      expect((await failure(consent(caseworkerB, other.id, { subject: 'head', kind: 'general' }))).code).toBe(
        'OUT_OF_SCOPE',
      );
    });

    it('checks 五清, the category against the 低保 line and identity together', async () => {
      // Per capita exactly at the 南京 line passes; one fen more does not.
      const atLine = householdPlain({ members: [], incomeItems: [], skills: '   ' });
      (atLine.head as Record<string, unknown>).monthlyIncomeFen = NANJING_LINE_FEN;
      const archive = await t.archives.create(caseworkerA, createDto(atLine));
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'general' });
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'sensitive' });
      expect((await validate(archive.id)).map((v) => v.code)).toEqual(['FIVE_CLEARS_SKILLS_MISSING']);

      await t.archives.update(
        caseworkerA,
        archive.id,
        dto(UpdateArchiveDto, { version: 1, skills: '无', head: { monthlyIncomeFen: NANJING_LINE_FEN + 1 } }),
      );
      const violations = await validate(archive.id);
      expect(violations.map((v) => `${v.field}:${v.code}`)).toEqual([
        'category:CATEGORY_DIBAO_INCOME_ABOVE_LINE',
      ]);
      expect(violations[0].message).toContain('1110.01');
    });

    it('uses the line in force on the date: a later city line applies only from its date', async () => {
      const plain = householdPlain({ members: [], incomeItems: [] });
      (plain.head as Record<string, unknown>).monthlyIncomeFen = 115_000;
      const archive = await t.archives.create(caseworkerA, createDto(plain));
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'general' });
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'sensitive' });
      await insertLine(t.db.dataSource, '320100', '2027-01-01', 118_000);
      expect((await validate(archive.id)).map((v) => v.code)).toEqual(['CATEGORY_DIBAO_INCOME_ABOVE_LINE']);
      t.clock.set('2027-01-01T00:30:00+08:00');
      try {
        expect(await validate(archive.id)).toEqual([]);
      } finally {
        t.clock.set('2026-11-23T10:00:00+08:00');
      }
    });
  });

  describe('低保 lines', () => {
    it('lookup: the district’s own line, else its city’s, else its province’s, as of the date', async () => {
      await insertLine(t.db.dataSource, '320505', '2026-01-01', 105_000);
      await insertLine(t.db.dataSource, '320505', '2026-07-01', 107_000);
      const fen = async (region: string, date: string) =>
        (await t.dibaoLines.lineFor(region, date))?.monthlyAmountFen ?? null;
      expect(await fen('320505', '2026-06-30')).toBe(105_000);
      expect(await fen('320505', '2026-07-01')).toBe(107_000);
      // Before the district had a line of its own: the province (苏州 city has none).
      expect(await fen('320505', '2025-12-31')).toBe(98_000);
      expect(await fen('320102', '2026-11-23')).toBe(NANJING_LINE_FEN);
      expect(await fen('320100', '2026-11-23')).toBe(NANJING_LINE_FEN);
      expect(await fen('321102', '2026-11-23')).toBe(98_000);
      expect(await fen('320102', '2025-06-30')).toBeNull();
      expect(await fen('330106', '2026-11-23')).toBeNull();
    });

    it('an archivist adds a dated line for its own region and below; duplicates and other regions are refused', async () => {
      const archivist = staffAt(t.tree.cityA, ['archivist']);
      const created = await t.dibaoLines.create(archivist, {
        regionCode: '320102',
        effectiveFrom: '2026-12-01',
        monthlyAmountFen: 113_500,
        source: '宁民发〔2026〕88号',
      });
      expect(created).toMatchObject({
        regionCode: '320102',
        monthlyAmountFen: 113_500,
        createdBy: archivist.userId,
      });
      const [audit] = await auditRows(t.db.dataSource, { action: 'dibao-line.create', targetId: created.id });
      expect(audit.details).toMatchObject({
        regionCode: '320102',
        effectiveFrom: '2026-12-01',
        monthlyAmountFen: 113_500,
      });

      const again = await failure(
        t.dibaoLines.create(archivist, {
          regionCode: '320102',
          effectiveFrom: '2026-12-01',
          monthlyAmountFen: 1,
        }),
      );
      expect(again.code).toBe('DIBAO_LINE_EXISTS');
      const outside = await failure(
        t.dibaoLines.create(archivist, {
          regionCode: '320505',
          effectiveFrom: '2026-12-01',
          monthlyAmountFen: 110_000,
        }),
      );
      expect(outside.code).toBe('OUT_OF_SCOPE');
      expect(await t.dibaoLines.lineFor('320102', '2026-12-01')).toMatchObject({ monthlyAmountFen: 113_500 });
    });
  });
});
