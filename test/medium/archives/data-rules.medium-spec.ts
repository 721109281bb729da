import { forceArchiveStatus } from '../../helpers/archive-status';
import { requestContext } from '../../../src/common/context/request-context';
import { DomainError } from '../../../src/common/errors';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { RecordConsentDto } from '../../../src/modules/archives/dto/archive-actions.dto';
import { UpdateArchiveDto } from '../../../src/modules/archives/dto/archive-input.dto';
import type { Principal } from '../../../src/modules/auth/principal';
import { ArchivesRepository } from '../../../src/modules/archives/archives.repository';
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
    /** The duplicate rule binds from submission on: a draft reserves no one. */
    const submitted = async (id: string) => forceArchiveStatus(t.db.dataSource, id, 'submitted');

    it('a person who heads a submitted archive in one unit cannot be a member in another: the error names the unit only', async () => {
      const plain = householdPlain();
      const head = plain.head as { idNumber: string; name: string };
      await submitted((await t.archives.create(caseworkerA, createDto(plain))).id);

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

    it('a worker hitting another household’s archive is not told the unit; the probe is audited without personal data', async () => {
      const plain = householdPlain();
      const head = plain.head as { idNumber: string; name: string };
      const first = await t.archives.create(caseworkerA, createDto(plain));
      await submitted(first.id);

      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsB);
      const other = householdPlain({ regionCode: '320505' });
      (other.members as Record<string, unknown>[])[0] = {
        relation: 'spouse',
        name: '李某',
        idNumber: head.idNumber,
        monthlyIncomeFen: 0,
        health: 'healthy',
        schoolingStage: 'none',
      };
      const error = await failure(t.archives.create(worker, createDto(other)));
      expect(violationsOf(error)).toEqual([
        {
          rule: 'household-duplicate',
          code: 'PERSON_ALREADY_IN_ARCHIVE',
          field: 'members.0.idNumber',
          message: '该人员已在其他困难职工档案中，请联系所在基层工会核实',
        },
      ]);
      expect(JSON.stringify(error.details)).not.toContain('南京熊猫电子集团工会');
      const hits = (await auditRows(t.db.dataSource, { action: 'archive.duplicate-hit' })).filter(
        (r) => r.actor_id === worker.userId,
      );
      expect(hits).toEqual([
        expect.objectContaining({
          outcome: 'denied',
          target_id: null,
          details: { fields: ['members.0.idNumber'] },
        }),
      ]);
      expect(JSON.stringify(hits)).not.toContain(first.id);
      expect(findUnmaskedPersonalData(JSON.stringify(hits))).toEqual([]);

      // The same archive checked in a worker's request (e.g. its own submit): generic too; staff: the unit.
      const own = await t.archives.create(worker, createDto(householdPlain({ regionCode: '320505' })));
      await t.db.dataSource.query(
        `UPDATE archive_members SET id_number_blind_index = $1 WHERE archive_id = $2 AND position = 0`,
        [t.cipher.blindIndex(head.idNumber, 'id_number'), own.id],
      );
      const codes = (viewer: Principal | undefined) =>
        t.db.dataSource.transaction(async (m) => {
          const loaded = await t.archives.loadForUpdate(m, own.id);
          const run = () => t.archives.validateForSubmission(m, loaded, t.clock.now(), { consents: false });
          const violations = viewer
            ? await requestContext.run({ requestId: 'r1', ip: null, userAgent: null, principal: viewer }, run)
            : await run();
          return violations.filter((v) => v.rule === 'household-duplicate').map((v) => v.code);
        });
      expect(await codes(worker)).toEqual(['PERSON_ALREADY_IN_ARCHIVE']);
      expect(await codes(caseworkerB)).toEqual(['HOUSEHOLD_DUPLICATE_ARCHIVE']);
      expect(await codes(undefined)).toEqual(['HOUSEHOLD_DUPLICATE_ARCHIVE']);
      // Back to its own person so later tests see one open archive per person.
      await forceArchiveStatus(t.db.dataSource, own.id, 'rejected');
    });

    it('a closed archive (rejected, exited, cancelled) does not block a new one', async () => {
      const plain = householdPlain();
      const first = await t.archives.create(caseworkerA, createDto(plain));
      await submitted(first.id);
      const again = () => t.archives.create(caseworkerB, createDto({ ...plain, regionCode: '320505' }));
      expect(violationsOf(await failure(again())).map((v) => v.field)).toEqual([
        'head.idNumber',
        'members.0.idNumber',
        'members.1.idNumber',
      ]);
      await forceArchiveStatus(t.db.dataSource, first.id, 'cancelled');
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
      await submitted(b.id);
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

    it('a draft reserves no one: other drafts name the same people, staff see a warning, the first submitted binds', async () => {
      const plain = householdPlain();
      const head = (plain.head as { idNumber: string }).idNumber;
      // Anyone typing other people's ID numbers into drafts must not block them from being archived.
      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsB);
      const squatter = await t.archives.create(worker, createDto({ ...plain, regionCode: '320505' }));
      expect(squatter.draftWarnings).toEqual([]);
      const real = await t.archives.create(caseworkerA, createDto(plain));
      expect(real.draftWarnings.map((w) => `${w.field}:${w.code}`)).toEqual([
        'head.idNumber:PERSON_IN_OTHER_DRAFT',
        'members.0.idNumber:PERSON_IN_OTHER_DRAFT',
        'members.1.idNumber:PERSON_IN_OTHER_DRAFT',
      ]);
      expect(real.draftWarnings[0].message).toContain('苏州纺织厂工会');
      expect(findUnmaskedPersonalData(JSON.stringify(real.draftWarnings))).toEqual([]);
      // The worker is told nothing about the caseworker's draft.
      expect((await t.archives.get(worker, squatter.id)).draftWarnings).toEqual([]);
      const rows = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM archives WHERE head_id_number_blind_index = $1`,
        [t.cipher.blindIndex(head, 'id_number')],
      );
      expect(rows[0].n).toBe(2);

      // The real archive is submitted first: from then on the duplicate rule binds the other.
      await submitted(real.id);
      const duplicates = await t.db.dataSource.transaction(async (m) => {
        const loaded = await t.archives.loadForUpdate(m, squatter.id);
        const violations = await t.archives.validateForSubmission(m, loaded, t.clock.now(), {
          consents: false,
          viewer: worker,
        });
        return violations.filter((v) => v.rule === 'household-duplicate').map((v) => v.code);
      });
      expect(duplicates).toEqual([
        'PERSON_ALREADY_IN_ARCHIVE',
        'PERSON_ALREADY_IN_ARCHIVE',
        'PERSON_ALREADY_IN_ARCHIVE',
      ]);
      await forceArchiveStatus(t.db.dataSource, real.id, 'rejected');
      await forceArchiveStatus(t.db.dataSource, squatter.id, 'rejected');
    });

    it('a worker holds at most one archive that has not ended', async () => {
      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsB);
      const first = await t.archives.create(worker, createDto({ regionCode: '320505' }));
      const again = () => t.archives.create(worker, createDto({ regionCode: '320505' }));
      const error = await failure(again());
      expect(error.code).toBe('ARCHIVE_OWNER_HAS_OPEN_ARCHIVE');
      expect(error.details).toEqual({ archiveId: first.id });
      // Staff cannot open a second one in the worker's name either.
      const error2 = await failure(
        t.archives.create(caseworkerB, createDto({ regionCode: '320505', ownerUserId: worker.userId })),
      );
      expect(error2.code).toBe('ARCHIVE_OWNER_HAS_OPEN_ARCHIVE');
      // Concurrent applications: exactly one survives.
      await forceArchiveStatus(t.db.dataSource, first.id, 'cancelled');
      const results = await Promise.allSettled([again(), again()]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const open = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM archives WHERE owner_user_id = $1 AND status <> 'cancelled'`,
        [worker.userId],
      );
      expect(open[0].n).toBe(1);
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

    it('consents follow the person: a changed ID number withdraws them; a removed member’s are kept, withdrawn', async () => {
      const plain = householdPlain();
      (plain.members as Record<string, unknown>[]).push(
        {
          relation: 'grandchild',
          name: '王乐乐',
          idNumber: idNumber('2018-04-01', 'male'),
          monthlyIncomeFen: 0,
          health: 'healthy',
          schoolingStage: 'primary',
        },
        {
          relation: 'grandchild',
          name: '王笑笑',
          idNumber: idNumber('2019-06-01', 'female'),
          monthlyIncomeFen: 0,
          health: 'healthy',
          schoolingStage: 'preschool',
        },
      );
      const archive = await t.archives.create(caseworkerA, createDto(plain));
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'general' });
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'sensitive' });
      const [, , boy, girl] = archive.members;
      for (const child of [boy, girl]) {
        await consent(caseworkerA, archive.id, {
          subject: 'member',
          memberId: child.id,
          kind: 'sensitive',
          byGuardian: true,
          guardianName: '王建国',
        });
      }
      expect(await validate(archive.id)).toEqual([]);
      const memberInput = (m: (typeof archive.members)[number]) => ({
        id: m.id,
        relation: m.relation,
        name: m.name,
        monthlyIncomeFen: m.monthlyIncomeFen,
        health: m.health,
        schoolingStage: m.schoolingStage,
      });

      // The head's ID number and the boy's (matched by member id) now name other people.
      await t.archives.update(
        caseworkerA,
        archive.id,
        dto(UpdateArchiveDto, {
          version: 1,
          head: { idNumber: idNumber('1968-07-01', 'male') },
          members: [
            memberInput(archive.members[0]),
            memberInput(archive.members[1]),
            { ...memberInput(boy), idNumber: idNumber('2018-05-01', 'male') },
            memberInput(girl),
          ],
        }),
      );
      expect((await validate(archive.id)).map((v) => `${v.field}:${v.code}`)).toEqual([
        'consents.head.general:CONSENT_HEAD_GENERAL_MISSING',
        'consents.head.sensitive:CONSENT_HEAD_SENSITIVE_MISSING',
        'members.2.consent:CONSENT_GUARDIAN_MISSING',
      ]);
      const reasons = async () =>
        (
          await t.db.dataSource.query(
            `SELECT subject, member_id, withdrawn_at IS NOT NULL AS withdrawn, withdrawal_reason
               FROM archive_consents WHERE archive_id = $1 ORDER BY created_at, id`,
            [archive.id],
          )
        ).map(
          (r: {
            subject: string;
            member_id: string | null;
            withdrawn: boolean;
            withdrawal_reason: string | null;
          }) => [r.subject, r.member_id, r.withdrawn, r.withdrawal_reason],
        );
      expect((await reasons()).sort()).toEqual(
        [
          ['head', null, true, 'subject-id-changed'],
          ['head', null, true, 'subject-id-changed'],
          ['member', boy.id, true, 'subject-id-changed'],
          ['member', girl.id, false, null],
        ].sort(),
      );
      const [update] = await auditRows(t.db.dataSource, { action: 'archive.update', targetId: archive.id });
      expect(update.details).toMatchObject({ consentsWithdrawn: 3 });

      // Removing the girl keeps her guardian's consent as proof, withdrawn and detached; it does not count.
      await t.archives.update(
        caseworkerA,
        archive.id,
        dto(UpdateArchiveDto, {
          version: 2,
          members: [memberInput(archive.members[0]), memberInput(archive.members[1]), memberInput(boy)],
        }),
      );
      expect((await reasons()).filter((r: unknown[]) => r[3] === 'member-removed')).toEqual([
        ['member', null, true, 'member-removed'],
      ]);
      expect((await reasons()).filter((r: unknown[]) => r[2] === false)).toEqual([]);
      const detail = await t.archives.get(caseworkerA, archive.id);
      expect(detail.consents).toHaveLength(4);
      expect(detail.consents.every((c) => c.withdrawnAt !== null && c.withdrawalReason !== null)).toBe(true);
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
      // 低保 is strictly below the line: one fen under the 南京 line passes; at the line it does not.
      const atLine = householdPlain({ members: [], incomeItems: [], skills: '   ' });
      (atLine.head as Record<string, unknown>).monthlyIncomeFen = NANJING_LINE_FEN - 1;
      const archive = await t.archives.create(caseworkerA, createDto(atLine));
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'general' });
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'sensitive' });
      expect((await validate(archive.id)).map((v) => v.code)).toEqual(['FIVE_CLEARS_SKILLS_MISSING']);

      await t.archives.update(
        caseworkerA,
        archive.id,
        dto(UpdateArchiveDto, { version: 1, skills: '无', head: { monthlyIncomeFen: NANJING_LINE_FEN } }),
      );
      const violations = await validate(archive.id);
      expect(violations.map((v) => `${v.field}:${v.code}`)).toEqual([
        'category:CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE',
      ]);
      expect(violations[0].message).toContain('1110.00 元不低于当地低保标准 1110.00 元');
    });

    it('uses the line in force on the date: a later city line applies only from its date', async () => {
      const plain = householdPlain({ members: [], incomeItems: [] });
      (plain.head as Record<string, unknown>).monthlyIncomeFen = 115_000;
      const archive = await t.archives.create(caseworkerA, createDto(plain));
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'general' });
      await consent(caseworkerA, archive.id, { subject: 'head', kind: 'sensitive' });
      await insertLine(t.db.dataSource, '320100', '2027-01-01', 118_000);
      expect((await validate(archive.id)).map((v) => v.code)).toEqual([
        'CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE',
      ]);
      t.clock.set('2027-01-01T00:30:00+08:00');
      try {
        expect(await validate(archive.id)).toEqual([]);
      } finally {
        t.clock.set('2026-11-23T10:00:00+08:00');
      }
    });
  });

  describe('低保 lines', () => {
    // These tests add lines; the submission checks above judge archives against the seeded ones, so
    // this block works on a context of its own whatever order the tests run in (--randomize).
    let shared: ArchivesTestContext;
    beforeAll(async () => {
      shared = t;
      t = await createArchivesContext();
    });
    afterAll(async () => {
      await t.close();
      t = shared;
    });

    it('lookup: the district’s own line, else its city’s, else its province’s, as of the date', async () => {
      await insertLine(t.db.dataSource, '320505', '2026-01-01', 105_000);
      await insertLine(t.db.dataSource, '320505', '2026-07-01', 107_000);
      const fen = async (region: string, date: string) =>
        (await t.dibaoLines.lineFor(region, date))?.monthlyAmountFen ?? null;
      expect(await fen('320505', '2026-06-30')).toBe(105_000);
      expect(await fen('320505', '2026-07-01')).toBe(107_000);
      // Before the district had a line of its own: the province (苏州 city has none).
      expect(await fen('320505', '2025-12-31')).toBe(98_000);
      // The day before: the grassroots test below adds a 320102 line from 2026-11-23 (any order).
      expect(await fen('320102', '2026-11-22')).toBe(NANJING_LINE_FEN);
      expect(await fen('320100', '2026-11-23')).toBe(NANJING_LINE_FEN);
      expect(await fen('321102', '2026-11-23')).toBe(98_000);
      expect(await fen('320102', '2025-06-30')).toBeNull();
      expect(await fen('330106', '2026-11-23')).toBeNull();
    });

    it('lookup: the most specific region with a line in force wins; a newer, lower province line never replaces it', async () => {
      await insertLine(t.db.dataSource, '320602', '2024-01-01', 90_000);
      await insertLine(t.db.dataSource, '320600', '2026-03-01', 101_000);
      await insertLine(t.db.dataSource, '320612', '2026-03-01', 102_000);
      const fen = async (region: string, date: string) =>
        (await t.dibaoLines.lineFor(region, date))?.monthlyAmountFen ?? null;
      expect(await fen('320602', '2025-06-30')).toBe(90_000);
      // The province's 2025-07-01 line and the city's 2026-03-01 line are newer, but the district has its own.
      expect(await fen('320602', '2025-07-01')).toBe(90_000);
      expect(await fen('320602', '2026-11-23')).toBe(90_000);
      expect(await fen('320612', '2026-11-23')).toBe(102_000);
      // Before the district's and the city's lines: the province's.
      expect(await fen('320612', '2026-02-28')).toBe(98_000);
      // A district of the city without a line of its own: the city's from its date on.
      expect(await fen('320611', '2026-03-01')).toBe(101_000);
      // The same through a transaction's manager, as the submission check calls it.
      const inTx = await t.db.dataSource.transaction((m) => t.dibaoLines.lineFor('320602', '2026-11-23', m));
      expect(inTx).toMatchObject({ regionCode: '320602', monthlyAmountFen: 90_000 });
    });

    it('grassroots archivists cannot set lines (their unit carries the district code), and no line is backdated', async () => {
      const grassroots = staffAt(t.tree.grassrootsA, ['archivist']);
      const denied = await failure(
        t.dibaoLines.create(grassroots, {
          regionCode: '320102',
          effectiveFrom: '2027-01-01',
          monthlyAmountFen: 200_000,
        }),
      );
      expect(denied.code).toBe('ACCESS_DENIED');
      const denials = await auditRows(t.db.dataSource, { action: 'access.denied' });
      expect(denials.filter((r) => r.actor_id === grassroots.userId).map((r) => r.details)).toEqual([
        expect.objectContaining({ action: 'dibao-lines.create', code: 'ACCESS_DENIED' }),
      ]);

      const district = staffAt(t.tree.districtA, ['archivist']);
      const backdated = await failure(
        t.dibaoLines.create(district, {
          regionCode: '320102',
          effectiveFrom: '2026-11-22',
          monthlyAmountFen: 90_000,
        }),
      );
      expect(backdated.code).toBe('DIBAO_LINE_BACKDATED');
      expect(backdated.details).toEqual({ effectiveFrom: '2026-11-22', today: '2026-11-23' });
      // Today (China time) is allowed: 2026-11-23 10:00 +08:00.
      await expect(
        t.dibaoLines.create(district, {
          regionCode: '320102',
          effectiveFrom: '2026-11-23',
          monthlyAmountFen: 112_000,
        }),
      ).resolves.toMatchObject({ regionCode: '320102', effectiveFrom: '2026-11-23' });
      // The refused back-dated line left nothing behind (other tests add 320102 lines of their own).
      expect(
        await t.db.dataSource.query(
          `SELECT count(*)::int AS n FROM dibao_lines WHERE region_code = '320102' AND effective_from = '2026-11-22'`,
        ),
      ).toEqual([{ n: 0 }]);
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
  describe('person locks (the duplicate check serialises on each person)', () => {
    it('one statement locks every person of a household until the transaction ends', async () => {
      const repository = t.moduleRef.get(ArchivesRepository);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const taken = new Promise<void>((resolve) => (locked = resolve));
      const holder = t.db.dataSource.transaction(async (manager) => {
        await repository.lockPeople(manager, ['bidx-c', 'bidx-a', 'bidx-b', 'bidx-a']);
        locked();
        await held;
      });
      await taken;
      // Another transaction wanting any one of them waits (refused here by lock_timeout).
      for (const person of ['bidx-a', 'bidx-b', 'bidx-c']) {
        await expect(
          t.db.dataSource.transaction(async (manager) => {
            await manager.query(`SET LOCAL lock_timeout = '200ms'`);
            await repository.lockPeople(manager, ['bidx-z', person]);
          }),
        ).rejects.toThrow(/lock timeout/);
      }
      release();
      await holder;
      await t.db.dataSource.transaction((manager) => repository.lockPeople(manager, ['bidx-a', 'bidx-b']));
    });
  });
});
