import 'reflect-metadata';
import { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from '../../../common/errors';
import { createValidationPipe, type FieldProblem } from '../../../common/http/validation.pipe';
import { makeIdNumber } from '../../../common/validation';
import { ListArchivesQueryDto, RecordConsentDto, RevealArchiveFieldDto } from './archive-actions.dto';
import { CreateArchiveDto, UpdateArchiveDto } from './archive-input.dto';

const pipe = createValidationPipe();

/** Runs the global pipe; returns the DTO or the field problems of the 400. */
async function run<T>(cls: new () => T, value: unknown, type: ArgumentMetadata['type'] = 'body') {
  try {
    return {
      value: (await pipe.transform(value, { type, metatype: cls })) as T,
      problems: [] as FieldProblem[],
    };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { value: null, problems: (error.details as { fields: FieldProblem[] }).fields };
  }
}

/** The request body as a test edits it. */
interface Plain {
  [key: string]: unknown;
  head: Record<string, unknown>;
  members: Record<string, unknown>[];
  incomeItems: Record<string, unknown>[];
}

const HEAD_ID = makeIdNumber({ regionCode: '330106', birthDate: '1968-05-12', gender: 'male' });
const CHILD_ID = makeIdNumber({ regionCode: '330106', birthDate: '2012-05-12', gender: 'female' });

function valid(): Plain {
  return {
    kind: 'formal',
    category: 'dibao',
    regionCode: '330106',
    head: { name: '王建国', idNumber: HEAD_ID, employmentStatus: 'employed', monthlyIncomeFen: 150000 },
    members: [
      {
        relation: 'child',
        name: '王小红',
        idNumber: CHILD_ID,
        monthlyIncomeFen: 0,
        health: 'healthy',
        schoolingStage: 'junior_high',
      },
    ],
    incomeItems: [{ kind: 'pension', monthlyAmountFen: 20000 }],
    causes: ['illness'],
    primaryCause: 'illness',
  };
}

describe('CreateArchiveDto', () => {
  it('accepts a valid household and normalises identifiers', async () => {
    const plain = valid();
    (plain.head as Record<string, unknown>).idNumber = ` ${HEAD_ID.toLowerCase()} `;
    (plain.head as Record<string, unknown>).phone = '+86 138-1234-2210';
    (plain.head as Record<string, unknown>).bankAccount = '6222 0212 3456 7890 123';
    const { value, problems } = await run(CreateArchiveDto, plain);
    expect(problems).toEqual([]);
    expect(value?.head.idNumber).toBe(HEAD_ID);
    expect(value?.head.phone).toBe('13812342210');
    expect(value?.head.bankAccount).toBe('6222021234567890123');
  });

  it.each([
    [
      'head ID number with a bad checksum',
      (p: Plain) => (p.head.idNumber = HEAD_ID.slice(0, 17) + (HEAD_ID[17] === '1' ? '2' : '1')),
      'head.idNumber',
    ],
    ['member ID number missing', (p: Plain) => delete p.members[0].idNumber, 'members.0.idNumber'],
    ['member relation unknown', (p: Plain) => (p.members[0].relation = 'cousin'), 'members.0.relation'],
    [
      'negative member income',
      (p: Plain) => (p.members[0].monthlyIncomeFen = -1),
      'members.0.monthlyIncomeFen',
    ],
    [
      'income in yuan with decimals',
      (p: Plain) => (p.incomeItems[0].monthlyAmountFen = 200.5),
      'incomeItems.0.monthlyAmountFen',
    ],
    ['unknown income kind', (p: Plain) => (p.incomeItems[0].kind = 'lottery'), 'incomeItems.0.kind'],
    ['head name with digits', (p: Plain) => (p.head.name = '王建国2'), 'head.name'],
    ['head missing', (p: Plain) => delete (p as Partial<Plain>).head, 'head'],
    ['bad phone', (p: Plain) => (p.head.phone = '1234567'), 'head.phone'],
    ['bad bank account', (p: Plain) => (p.head.bankAccount = '12ab'), 'head.bankAccount'],
    ['region code of 5 digits', (p: Plain) => (p.regionCode = '33010'), 'regionCode'],
    ['unknown cause', (p: Plain) => (p.causes = ['bad_luck']), 'causes'],
    ['duplicate causes', (p: Plain) => (p.causes = ['illness', 'illness']), 'causes'],
    ['an unknown field', (p: Plain) => (p.perCapitaIncomeFen = 1), 'perCapitaIncomeFen'],
    ['an unknown nested field', (p: Plain) => (p.head.age = 58), 'head.age'],
    ['stated birth date not a date', (p: Plain) => (p.head.birthDate = '1968-13-01'), 'head.birthDate'],
    [
      'an impossible incident date',
      (p: Plain) => ((p as Record<string, unknown>).incidentOn = '2026-02-30'),
      'incidentOn',
    ],
    [
      'a negative income cut',
      (p: Plain) => ((p as Record<string, unknown>).incidentIncomeLossFen = -1),
      'incidentIncomeLossFen',
    ],
    [
      'an expense in yuan with decimals',
      (p: Plain) => ((p as Record<string, unknown>).incidentExpenseFen = 0.5),
      'incidentExpenseFen',
    ],
    [
      'an overlong 低保证 number',
      (p: Plain) => ((p as Record<string, unknown>).dibaoCertificateNo = '号'.repeat(41)),
      'dibaoCertificateNo',
    ],
    ['21 members', (p: Plain) => (p.members = Array.from({ length: 21 }, () => p.members[0])), 'members'],
  ])('refuses %s, naming the field path in Chinese', async (_name, change, field) => {
    const plain = valid();
    change(plain);
    const { problems } = await run(CreateArchiveDto, plain);
    const problem = problems.find((p) => p.field === field);
    expect(problem).toBeDefined();
    if (field !== 'perCapitaIncomeFen' && field !== 'head.age') {
      expect(problem!.problems.join('')).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});

const member = () => ({
  relation: 'child',
  name: '王小红',
  idNumber: CHILD_ID,
  monthlyIncomeFen: 0,
  health: 'healthy',
  schoolingStage: 'junior_high',
});

describe('UpdateArchiveDto', () => {
  it('requires the version', async () => {
    expect((await run(UpdateArchiveDto, { skills: '电工' })).problems.map((p) => p.field)).toEqual([
      'version',
    ]);
  });

  it('lets an existing member keep its ID number by id, and clears a phone with null', async () => {
    const { value, problems } = await run(UpdateArchiveDto, {
      version: 3,
      head: { phone: null },
      members: [
        {
          id: '7d7f3c2e-9a51-4f4b-8a0e-0d2f7a1c9b11',
          relation: 'spouse',
          name: '李秀英',
          monthlyIncomeFen: 0,
          health: 'chronic',
          schoolingStage: 'none',
        },
      ],
    });
    expect(problems).toEqual([]);
    expect(value?.head?.phone).toBeNull();
  });

  // null on a NOT NULL column used to pass @IsOptional() and reach the database as a 500.
  it.each([
    ['hasVehicle', { hasVehicle: null }],
    ['hasSecondProperty', { hasSecondProperty: null }],
    ['hasBusinessLicence', { hasBusinessLicence: null }],
    ['causes', { causes: null }],
    ['members', { members: null }],
    ['incomeItems', { incomeItems: null }],
    ['category', { category: null }],
    ['regionCode', { regionCode: null }],
    ['head', { head: null }],
    ['head.name', { head: { name: null } }],
    ['head.idNumber', { head: { idNumber: null } }],
    ['head.gender', { head: { gender: null } }],
    ['head.birthDate', { head: { birthDate: null } }],
    ['head.employmentStatus', { head: { employmentStatus: null } }],
    ['head.monthlyIncomeFen', { head: { monthlyIncomeFen: null } }],
    ['members.0.relation', { members: [{ ...member(), relation: null }] }],
    ['members.0.name', { members: [{ ...member(), name: null }] }],
    ['members.0.idNumber', { members: [{ ...member(), idNumber: null }] }],
    ['members.0.monthlyIncomeFen', { members: [{ ...member(), monthlyIncomeFen: null }] }],
    ['members.0.health', { members: [{ ...member(), health: null }] }],
    ['members.0.schoolingStage', { members: [{ ...member(), schoolingStage: null }] }],
    ['incomeItems.0.monthlyAmountFen', { incomeItems: [{ kind: 'pension', monthlyAmountFen: null }] }],
  ])('refuses null for the NOT NULL field %s, naming it', async (field, patch) => {
    const { problems } = await run(UpdateArchiveDto, { version: 2, ...patch });
    expect(problems.map((p) => p.field)).toEqual([field]);
  });

  it.each([
    ['address', { address: null }],
    ['housingType', { housingType: null }],
    ['housingAreaSqm', { housingAreaSqm: null }],
    ['assetNotes', { assetNotes: null }],
    ['primaryCause', { primaryCause: null }],
    ['skills', { skills: null }],
    ['head.phone', { head: { phone: null } }],
    ['head.employer', { head: { employer: null } }],
    ['head.bankAccount', { head: { bankAccount: null } }],
  ])('accepts null to clear the optional field %s', async (_field, patch) => {
    expect((await run(UpdateArchiveDto, { version: 2, ...patch })).problems).toEqual([]);
  });

  it('still lets every field be left out', async () => {
    expect((await run(UpdateArchiveDto, { version: 2, head: {} })).problems).toEqual([]);
  });

  it('does not allow kind or unit changes (workflow commands do that)', async () => {
    const { problems } = await run(UpdateArchiveDto, {
      version: 1,
      kind: 'formal',
      orgUnitId: '7d7f3c2e-9a51-4f4b-8a0e-0d2f7a1c9b11',
    });
    expect(problems.map((p) => p.field).sort()).toEqual(['kind', 'orgUnitId']);
  });
});

describe('action DTOs', () => {
  it.each([
    ['headIdNumber', true],
    ['members.3.idNumber', true],
    ['members.x.idNumber', false],
    ['headName', false],
  ])('reveal field %s → %s', async (field, ok) => {
    const { problems } = await run(RevealArchiveFieldDto, { field, reason: '入户核实需核对证件' });
    expect(problems.length === 0).toBe(ok);
  });

  it('a guardian consent needs the guardian’s name; a member consent needs the member', async () => {
    const base = {
      purpose: 'archive_management',
      kind: 'sensitive',
      textVersion: '2026.1',
      grantedAt: '2026-11-20T09:00:00+08:00',
    };
    expect(
      (
        await run(RecordConsentDto, {
          ...base,
          subject: 'member',
          byGuardian: true,
          memberId: '7d7f3c2e-9a51-4f4b-8a0e-0d2f7a1c9b11',
        })
      ).problems.map((p) => p.field),
    ).toEqual(['guardianName']);
    expect(
      (await run(RecordConsentDto, { ...base, subject: 'member' })).problems.map((p) => p.field),
    ).toEqual(['memberId']);
    expect((await run(RecordConsentDto, { ...base, subject: 'head' })).problems).toEqual([]);
  });

  it('list filters: comma-separated statuses, known values only', async () => {
    const ok = await run(ListArchivesQueryDto, { status: 'draft,active', page: '2' }, 'query');
    expect(ok.value?.status).toEqual(['draft', 'active']);
    const bad = await run(ListArchivesQueryDto, { status: 'draft,lost' }, 'query');
    expect(bad.problems.map((p) => p.field)).toEqual(['status']);
  });
});
