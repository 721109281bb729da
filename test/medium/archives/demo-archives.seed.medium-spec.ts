import { archiveField, FieldCipher, memberField, type FieldContext } from '../../../src/common/crypto';
import { parseIdNumber } from '../../../src/common/validation';
import { DEMO_ARCHIVE_COUNTS, seedDemoArchives } from '../../../src/database/seeds/demo-archives.seed';
import { seedDemoAccounts } from '../../../src/database/seeds/demo-accounts.seed';
import { seedDemoPartners } from '../../../src/database/seeds/demo-partners.seed';
import { seedDibaoLines } from '../../../src/database/seeds/dibao-lines.seed';
import { DemoOrgTree, seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { consentProblems } from '../../../src/modules/archives/consents/consent-problems.rule';
import {
  dibaoRegionCandidates,
  pickLineInForce,
} from '../../../src/modules/archives/dibao-lines/dibao-region.rule';
import {
  categoryViolations,
  householdFigures,
} from '../../../src/modules/archives/rules/household-figures.rule';
import { submissionRuleViolations } from '../../../src/modules/archives/rules/archive-rules';
import { ageOn } from '../../../src/modules/archives/rules/rule-violation';
import { testCipher } from '../../helpers/factories/archives.factory';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';

const NOW = new Date('2026-11-23T10:00:00+08:00');
const TODAY = '2026-11-23';
const MARGINAL_MULTIPLE = 1.5;
const EXCLUDED_INCOME_KINDS = [
  'dibao_benefit',
  'tekun_benefit',
  'temporary_assistance',
  'special_care_pension',
  'award',
  'scholarship',
] as const;

interface ArchiveRow {
  id: string;
  archive_no: string | null;
  kind: string;
  category: string;
  status: string;
  region_code: string;
  head_id_number_ciphertext: string;
  head_birth_date: string;
  head_gender: string;
  primary_cause: string;
  causes: string[];
  household_situation: string | null;
  cause_description: string | null;
  skills: string | null;
  job_wishes: string | null;
  state_of_mind: string | null;
  dibao_certificate_no: string | null;
  incident_on: string | null;
  incident_income_loss_fen: number | null;
  incident_expense_fen: number | null;
  applied_on: string | null;
  head_monthly_income_fen: number;
  household_size: number;
  monthly_income_fen: number;
  per_capita_income_fen: number;
  notice_starts_on: string | null;
  notice_ends_on: string | null;
  activated_at: Date | null;
  version: number;
}

interface DibaoLineRow {
  regionCode: string;
  effectiveFrom: string;
  monthlyAmountFen: number;
}

interface MemberRow {
  archive_id: string;
  id: string;
  id_number_ciphertext: string;
  birth_date: string;
  gender: string;
  relation: string;
  schooling_stage: string;
  monthly_income_fen: number;
}

/** The demo archive seed on a fresh database, after the org tree, the demo accounts and the 低保 lines. */
describe('seedDemoArchives (real PostgreSQL)', () => {
  let db: TestDatabase;
  let cipher: FieldCipher;
  let tree: DemoOrgTree;
  let archives: ArchiveRow[];
  let members: MemberRow[];
  let lineOn: (region: string, date: string) => number | null;

  const deps = () => ({
    cipher,
    now: NOW,
    marginalMultiple: MARGINAL_MULTIPLE,
    excludedIncomeKinds: EXCLUDED_INCOME_KINDS,
    publicNoticeWorkingDays: 5,
  });
  const membersOf = (id: string) => members.filter((m) => m.archive_id === id);
  const decrypt = (token: string, field: FieldContext) => cipher.decrypt(token, field);

  beforeAll(async () => {
    db = await createTestDatabase();
    cipher = testCipher();
    const result = await db.dataSource.transaction(async (manager) => {
      tree = await seedDemoOrgTree(manager);
      await seedDemoPartners(manager, tree, { cipher, now: NOW });
      await seedDemoAccounts(manager, tree, {
        hash: async () => '$argon2id$v=19$m=1024,t=1,p=1$x$y',
        cipher,
        now: NOW,
      });
      await seedDibaoLines(manager);
      return seedDemoArchives(manager, tree, deps());
    });
    expect(result.created).toBe(200);
    // Dates as text (node-pg would turn them into local-time Date objects); later duplicates win.
    archives = await db.dataSource.query(
      `SELECT *, head_birth_date::text AS head_birth_date, notice_starts_on::text AS notice_starts_on,
              notice_ends_on::text AS notice_ends_on, incident_on::text AS incident_on,
              applied_on::text AS applied_on
         FROM archives ORDER BY created_at`,
    );
    members = await db.dataSource.query(
      `SELECT *, birth_date::text AS birth_date FROM archive_members ORDER BY archive_id, position`,
    );
    const rows: DibaoLineRow[] = await db.dataSource.query(
      `SELECT region_code AS "regionCode", effective_from::text AS "effectiveFrom",
                monthly_amount_fen AS "monthlyAmountFen" FROM dibao_lines`,
    );
    lineOn = (region, date) =>
      pickLineInForce(dibaoRegionCandidates(region), rows, date)?.monthlyAmountFen ?? null;
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('creates about 200 archives with the planned number in each status, across all ten grassroots unions', () => {
    const counts: Record<string, number> = {};
    for (const a of archives) counts[a.status] = (counts[a.status] ?? 0) + 1;
    expect(counts).toEqual(DEMO_ARCHIVE_COUNTS);
    const units = new Set((archives as unknown as Array<{ org_unit_id: string }>).map((a) => a.org_unit_id));
    expect(units.size).toBe(10);
  });

  it('gives every head and member a valid ID number whose birth date and gender match the stored ones', () => {
    const people = [
      ...archives.map((a) => ({
        id: decrypt(a.head_id_number_ciphertext, archiveField(a, 'head_id_number_ciphertext')),
        birth: a.head_birth_date,
        gender: a.head_gender,
      })),
      ...members.map((m) => ({
        id: decrypt(m.id_number_ciphertext, memberField(m)),
        birth: m.birth_date,
        gender: m.gender,
      })),
    ];
    expect(people.length).toBeGreaterThan(500);
    for (const person of people) {
      const parsed = parseIdNumber(person.id, { now: NOW });
      expect(parsed).toMatchObject({ ok: true, birthDate: person.birth, gender: person.gender });
    }
    expect(new Set(people.map((p) => p.id)).size).toBe(people.length);
  });

  it('has mostly heads over 50', () => {
    const over50 = archives.filter((a) => ageOn(a.head_birth_date, TODAY) > 50).length;
    expect(over50 / archives.length).toBeGreaterThan(0.6);
  });

  it('has illness, schooling and low employment as the leading primary causes', () => {
    const counts = new Map<string, number>();
    for (const a of archives) {
      const key =
        a.primary_cause === 'unemployment' || a.primary_cause === 'low_income'
          ? 'employment'
          : a.primary_cause;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const leading = [...counts.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .map(([cause]) => cause);
    expect(leading.sort()).toEqual(['employment', 'illness', 'schooling']);
  });

  it('keeps every active archive within its category against the 低保 line in force on its application date, with computed figures', async () => {
    const active = archives.filter((a) => a.status === 'active');
    expect(active).toHaveLength(DEMO_ARCHIVE_COUNTS.active!);
    for (const a of active) {
      const own = membersOf(a.id);
      expect(a.household_size).toBe(1 + own.length);
      expect(a.per_capita_income_fen).toBe(Math.floor(a.monthly_income_fen / a.household_size));
      expect(a.applied_on).not.toBeNull();
      const items: Array<{ kind: never; monthlyAmountFen: number }> = await db.dataSource.query(
        `SELECT kind, monthly_amount_fen AS "monthlyAmountFen" FROM archive_income_items WHERE archive_id = $1`,
        [a.id],
      );
      // 低保金 and the like are stored but not counted.
      expect(
        householdFigures(
          {
            headMonthlyIncomeFen: a.head_monthly_income_fen,
            members: membersOf(a.id).map((m) => ({ monthlyIncomeFen: m.monthly_income_fen })),
            incomeItems: items,
          },
          EXCLUDED_INCOME_KINDS,
        ).monthlyIncomeFen,
      ).toBe(a.monthly_income_fen);
      expect({
        id: a.id,
        violations: categoryViolations({
          category: a.category as never,
          monthlyIncomeFen: a.monthly_income_fen,
          householdSize: a.household_size,
          primaryCause: a.primary_cause as never,
          dibaoLineFen: lineOn(a.region_code, a.applied_on!),
          marginalMultiple: MARGINAL_MULTIPLE,
          dibaoCertificateNo: a.dibao_certificate_no,
          dibaoCertificateEvidence: false,
          incidentOn: a.incident_on,
          incidentIncomeLossFen: a.incident_income_loss_fen,
          incidentExpenseFen: a.incident_expense_fen,
          checkDate: a.applied_on!,
        }),
      }).toEqual({ id: a.id, violations: [] });
    }
  });

  it('makes every archive past the draft stage pass the submission rules and consents (rejected ones fail only the category)', async () => {
    const consents: Array<{
      archive_id: string;
      subject: 'head' | 'member';
      member_id: string | null;
      purpose: 'archive_management';
      kind: 'general' | 'sensitive';
      by_guardian: boolean;
      granted_at: Date;
    }> = await db.dataSource.query(`SELECT * FROM archive_consents`);
    for (const a of archives.filter((x) => x.status !== 'draft')) {
      const own = membersOf(a.id);
      const violations = submissionRuleViolations(
        {
          category: a.category as never,
          causes: a.causes as never,
          primaryCause: a.primary_cause as never,
          householdSituation: a.household_situation,
          causeDescription: a.cause_description,
          skills: a.skills,
          jobWishes: a.job_wishes,
          stateOfMind: a.state_of_mind,
          headMonthlyIncomeFen: a.head_monthly_income_fen,
          head: {
            idNumber: decrypt(a.head_id_number_ciphertext, archiveField(a, 'head_id_number_ciphertext')),
          },
          members: own.map((m) => ({
            idNumber: decrypt(m.id_number_ciphertext, memberField(m)),
            relation: m.relation as never,
            schoolingStage: m.schooling_stage as never,
            monthlyIncomeFen: m.monthly_income_fen,
          })),
          incomeItems: await db.dataSource.query(
            `SELECT kind, monthly_amount_fen AS "monthlyAmountFen" FROM archive_income_items WHERE archive_id = $1`,
            [a.id],
          ),
          dibaoCertificateNo: a.dibao_certificate_no,
          incidentOn: a.incident_on,
          incidentIncomeLossFen: a.incident_income_loss_fen,
          incidentExpenseFen: a.incident_expense_fen,
        },
        {
          dibaoLineFen: lineOn(a.region_code, a.applied_on!),
          marginalMultiple: MARGINAL_MULTIPLE,
          excludedIncomeKinds: EXCLUDED_INCOME_KINDS,
          dibaoCertificateEvidence: false,
          applicationDate: a.applied_on!,
          now: NOW,
        },
      );
      const expected = a.status === 'rejected' && a.category !== 'accident' ? ['household-figures'] : [];
      expect({ id: a.id, rules: violations.map((v) => v.rule) }).toEqual({ id: a.id, rules: expected });
      const problems = consentProblems(
        own.map((m) => ({ id: m.id, birthDate: m.birth_date })),
        consents
          .filter((c) => c.archive_id === a.id)
          .map((c) => ({
            subject: c.subject,
            memberId: c.member_id,
            purpose: c.purpose,
            kind: c.kind,
            byGuardian: c.by_guardian,
            grantedAt: c.granted_at,
            withdrawnAt: null,
          })),
        NOW,
      );
      expect(problems).toEqual([]);
    }
  });

  it('leaves active archives looking as the workflow left them: numbers, events ending in activation, versions', async () => {
    const events: Array<{ archive_id: string; command: string; to_status: string; archive_version: number }> =
      await db.dataSource.query(
        `SELECT archive_id, command, to_status, archive_version FROM archive_events ORDER BY seq`,
      );
    const everActive = archives.filter((a) => ['active', 'exited', 'cancelled'].includes(a.status));
    const numbers = everActive.map((a) => a.archive_no);
    expect(new Set(numbers).size).toBe(everActive.length);
    for (const a of everActive) {
      expect(a.archive_no).toMatch(new RegExp(`^${a.region_code}-20\\d\\d-\\d{5}$`));
      expect(a.activated_at).not.toBeNull();
      const own = events.filter((e) => e.archive_id === a.id);
      expect(own.map((e) => e.command).slice(0, 5)).toEqual([
        'submit',
        'review',
        'verify',
        'approve',
        'activate',
      ]);
      expect(own.at(-1)!.to_status).toBe(a.status);
      expect(a.version).toBe(1 + own.length);
    }
    for (const a of archives.filter((x) => !['active', 'exited', 'cancelled'].includes(x.status))) {
      expect(a.archive_no).toBeNull();
      const own = events.filter((e) => e.archive_id === a.id);
      expect(own.at(-1)?.to_status ?? 'draft').toBe(a.status);
    }
    // The activation job continues the counters where the seed left them.
    const [counter] = await db.dataSource.query(
      `SELECT sum(last)::int AS total FROM archive_number_counters`,
    );
    expect(counter.total).toBe(everActive.length);
  });

  it('shows the archives in public notice today, with notice dates around today', () => {
    const publicizing = archives.filter((a) => a.status === 'publicizing');
    expect(publicizing.length).toBe(DEMO_ARCHIVE_COUNTS.publicizing);
    for (const a of publicizing) {
      expect(a.notice_starts_on! <= TODAY && TODAY <= a.notice_ends_on!).toBe(true);
    }
  });

  it('is idempotent: a second run adds nothing', async () => {
    const again = await db.dataSource.transaction((manager) => seedDemoArchives(manager, tree, deps()));
    expect(again).toEqual({ created: 0, byStatus: {} });
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM archives`);
    expect(count).toBe(200);
  });
});
