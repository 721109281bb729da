import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { archiveField, memberField } from '../../../src/common/crypto/stored-fields';
import { makeIdNumber } from '../../../src/common/validation';
import { fieldCipherOptionsFrom } from '../../../src/config/crypto-config.check';
import type {
  ArchiveCategory,
  ArchiveFlag,
  ArchiveKind,
  ArchiveStatus,
  Cause,
  HealthState,
  Relation,
  SchoolingStage,
} from '../../../src/modules/archives/archive.enums';
// The household entities first: archive.entity and they import each other, and this order resolves.
import {
  ArchiveIncomeItemEntity,
  ArchiveMemberEntity,
} from '../../../src/modules/archives/archive-household.entities';
import { ArchiveEntity } from '../../../src/modules/archives/archive.entity';
import { householdFigures } from '../../../src/modules/archives/rules/household-figures.rule';
import { chinaDate } from '../../../src/modules/archives/rules/rule-violation';
import { testConfig } from '../test-env';

/** The cipher the test configuration's app uses: what the factory writes, the services can read. */
export function testCipher(): FieldCipher {
  return new FieldCipher(fieldCipherOptionsFrom(testConfig().crypto));
}

export interface MemberOverrides {
  relation?: Relation;
  name?: string;
  birthDate?: string;
  gender?: 'male' | 'female';
  occupation?: string | null;
  monthlyIncomeFen?: number;
  health?: HealthState;
  schoolingStage?: SchoolingStage;
}

export interface ArchiveOverrides {
  /** The owning grassroots unit (required). */
  orgUnitId: string;
  ownerUserId?: string | null;
  createdBy?: string | null;
  kind?: ArchiveKind;
  category?: ArchiveCategory;
  status?: ArchiveStatus;
  headName?: string;
  headBirthDate?: string;
  headGender?: 'male' | 'female';
  headMonthlyIncomeFen?: number;
  /** Household region: the 低保 line is looked up by it. */
  regionCode?: string;
  causes?: Cause[];
  primaryCause?: Cause | null;
  /** Default: a spouse without income. */
  members?: MemberOverrides[];
  incomeItems?: Array<{
    kind?: ArchiveIncomeItemEntity['kind'];
    monthlyAmountFen: number;
    note?: string | null;
  }>;
  /** Default true: the head's general and sensitive consents, a guardian's for members under 14. */
  consents?: boolean;
  /** Ensures a 低保 line for the region (default 1,240 元), effective 2020-01-01, unless null. */
  dibaoLineFen?: number | null;
  flags?: ArchiveFlag[];
  archiveNo?: string | null;
  submittedBy?: string | null;
  submittedAt?: Date | null;
  /** Default: the China date of `submittedAt` (null while never submitted). */
  appliedOn?: string | null;
  dibaoCertificateNo?: string | null;
  incidentOn?: string | null;
  incidentIncomeLossFen?: number | null;
  incidentExpenseFen?: number | null;
  noticeStartsOn?: string | null;
  noticeEndsOn?: string | null;
  activatedAt?: Date | null;
  lastVerifiedAt?: Date | null;
  relapseWatchUntil?: string | null;
  transferToUnitId?: string | null;
  statusBeforeTransfer?: ArchiveStatus | null;
  createdAt?: Date;
  /** Empties a 五清 field (to make submission fail). */
  skills?: string | null;
}

let personSeq = 0;

/** A distinct, valid-checksum ID number per call (the household duplicate rule sees distinct people). */
export function nextIdNumber(regionCode: string, gender: 'male' | 'female', birthDate: string): string {
  personSeq += 1;
  const base = (personSeq * 2) % 998;
  const sequence = gender === 'male' ? base + 1 : base + 2 > 998 ? 2 : base + 2;
  return makeIdNumber({
    regionCode,
    birthDate: shiftDays(birthDate, Math.floor(personSeq / 499)),
    sequence,
    gender,
  });
}

function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface CreatedArchive {
  archive: ArchiveEntity;
  headIdNumber: string;
  memberIdNumbers: string[];
  /** The members' row ids, in position order. */
  memberIds: string[];
}

/**
 * An archive written straight to the database with valid, encrypted data that passes every
 * submission rule by default (五清 complete, per-capita income under the 低保 line, consents given);
 * `status` and the workflow facts put it anywhere in the workflow.
 */
export async function createArchive(
  dataSource: DataSource,
  overrides: ArchiveOverrides,
  cipher: FieldCipher = testCipher(),
): Promise<CreatedArchive> {
  const regionCode = overrides.regionCode ?? '330106';
  if (overrides.dibaoLineFen !== null) {
    await dataSource.query(
      `INSERT INTO dibao_lines (region_code, effective_from, monthly_amount_fen, source)
       VALUES ($1, '2020-01-01', $2, '测试数据') ON CONFLICT DO NOTHING`,
      [regionCode, overrides.dibaoLineFen ?? 124000],
    );
  }
  const headGender = overrides.headGender ?? 'male';
  const headIdNumber = nextIdNumber(regionCode, headGender, overrides.headBirthDate ?? '1968-05-12');
  const headBirthDate = `${headIdNumber.slice(6, 10)}-${headIdNumber.slice(10, 12)}-${headIdNumber.slice(12, 14)}`;
  const memberInputs: MemberOverrides[] = overrides.members ?? [
    { relation: 'spouse', name: '李秀英', birthDate: '1970-02-03', gender: 'female', health: 'chronic' },
  ];
  // Row ids are chosen first: FieldCipher binds each token to its table, column and row.
  const id = randomUUID();
  const members = memberInputs.map((m, position) => {
    const memberId = randomUUID();
    const gender = m.gender ?? 'female';
    const idNumber = nextIdNumber(regionCode, gender, m.birthDate ?? '1970-02-03');
    return {
      idNumber,
      row: {
        id: memberId,
        relation: m.relation ?? 'spouse',
        name: m.name ?? '李秀英',
        idNumberCiphertext: cipher.encrypt(idNumber, memberField({ id: memberId })),
        idNumberBlindIndex: cipher.blindIndex(idNumber, 'id_number'),
        birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
        gender,
        occupation: m.occupation ?? null,
        monthlyIncomeFen: m.monthlyIncomeFen ?? 0,
        health: m.health ?? 'healthy',
        schoolingStage: m.schoolingStage ?? 'none',
        position,
      },
    };
  });
  const incomeItems = (overrides.incomeItems ?? []).map((item, position) => ({
    kind: item.kind ?? 'other',
    monthlyAmountFen: item.monthlyAmountFen,
    note: item.note ?? null,
    position,
  }));
  const headIncome = overrides.headMonthlyIncomeFen ?? 80000;
  const householdSize = 1 + members.length;
  const { monthlyIncomeFen } = householdFigures(
    { headMonthlyIncomeFen: headIncome, members: members.map((m) => m.row), incomeItems },
    testConfig().archives.excludedIncomeKinds,
  );
  const causes = overrides.causes ?? ['illness', 'low_income'];

  const repo = dataSource.getRepository(ArchiveEntity);
  await repo.insert({
    id,
    archiveNo: overrides.archiveNo ?? null,
    kind: overrides.kind ?? 'formal',
    category: overrides.category ?? 'dibao',
    status: overrides.status ?? 'draft',
    orgUnitId: overrides.orgUnitId,
    ownerUserId: overrides.ownerUserId ?? null,
    headName: overrides.headName ?? '张建明',
    headIdNumberCiphertext: cipher.encrypt(headIdNumber, archiveField({ id }, 'head_id_number_ciphertext')),
    headIdNumberBlindIndex: cipher.blindIndex(headIdNumber, 'id_number'),
    headBirthDate,
    headGender,
    headPhoneCiphertext: cipher.encrypt('13812342210', archiveField({ id }, 'head_phone_ciphertext')),
    headPhoneBlindIndex: cipher.blindIndex('13812342210', 'phone'),
    employer: '杭州绿源纺织有限公司',
    employmentStatus: 'employed',
    headMonthlyIncomeFen: headIncome,
    address: '杭州市西湖区文三路100号3幢2单元401室',
    regionCode,
    bankAccountCiphertext: cipher.encrypt(
      '6222021234567890128',
      archiveField({ id }, 'bank_account_ciphertext'),
    ),
    housingType: 'rented',
    housingAreaSqm: '45.50',
    hasVehicle: false,
    hasSecondProperty: false,
    hasBusinessLicence: false,
    assetNotes: null,
    causes,
    primaryCause: overrides.primaryCause === undefined ? causes[0] : overrides.primaryCause,
    householdSituation: '夫妻二人，妻子患慢性病长期服药，租住单位周转房，无其他住房。',
    causeDescription: '妻子患慢性肾病，每月自付医药费约一千二百元，本人工资收入低，家庭入不敷出。',
    skills: overrides.skills === undefined ? '纺织机械维修，持中级电工证' : overrides.skills,
    jobWishes: '希望在本单位继续工作，可接受夜班',
    stateOfMind: '情绪稳定，积极配合治疗，希望渡过难关',
    householdSize,
    monthlyIncomeFen,
    perCapitaIncomeFen: Math.floor(monthlyIncomeFen / householdSize),
    flags: overrides.flags ?? [],
    createdBy: overrides.createdBy ?? null,
    submittedBy: overrides.submittedBy ?? null,
    submittedAt: overrides.submittedAt ?? null,
    appliedOn:
      overrides.appliedOn !== undefined
        ? overrides.appliedOn
        : overrides.submittedAt
          ? chinaDate(overrides.submittedAt)
          : null,
    dibaoCertificateNo: overrides.dibaoCertificateNo ?? null,
    incidentOn: overrides.incidentOn ?? null,
    incidentIncomeLossFen: overrides.incidentIncomeLossFen ?? null,
    incidentExpenseFen: overrides.incidentExpenseFen ?? null,
    noticeStartsOn: overrides.noticeStartsOn ?? null,
    noticeEndsOn: overrides.noticeEndsOn ?? null,
    activatedAt: overrides.activatedAt ?? null,
    lastVerifiedAt: overrides.lastVerifiedAt ?? null,
    relapseWatchUntil: overrides.relapseWatchUntil ?? null,
    nextVisitDueOn: null,
    transferToUnitId: overrides.transferToUnitId ?? null,
    statusBeforeTransfer: overrides.statusBeforeTransfer ?? null,
  });
  const memberIds: string[] = [];
  for (const m of members) {
    const r = await dataSource.getRepository(ArchiveMemberEntity).insert({ ...m.row, archiveId: id });
    memberIds.push((r.identifiers[0] as { id: string }).id);
  }
  for (const item of incomeItems) {
    await dataSource.getRepository(ArchiveIncomeItemEntity).insert({ ...item, archiveId: id });
  }
  if (overrides.createdAt) {
    await dataSource.query(`UPDATE archives SET created_at = $2 WHERE id = $1`, [id, overrides.createdAt]);
  }
  if (overrides.consents !== false) {
    const grantedAt = new Date('2025-01-01T00:00:00Z');
    const consent = `INSERT INTO archive_consents
        (archive_id, subject, member_id, purpose, kind, text_version, granted_at, recorded_by, by_guardian, guardian_name)
        VALUES ($1, $2, $3, 'archive_management', $4, 'v1', $5, $6, $7, $8)`;
    const recorder = overrides.createdBy ?? overrides.ownerUserId ?? '00000000-0000-4000-8000-000000000000';
    for (const kind of ['general', 'sensitive']) {
      await dataSource.query(consent, [id, 'head', null, kind, grantedAt, recorder, false, null]);
    }
    for (const memberId of memberIds) {
      await dataSource.query(consent, [
        id,
        'member',
        memberId,
        'sensitive',
        grantedAt,
        recorder,
        true,
        overrides.headName ?? '张建明',
      ]);
    }
  }
  const archive = await repo.findOneByOrFail({ id });
  return { archive, headIdNumber, memberIdNumbers: members.map((m) => m.idNumber), memberIds };
}
