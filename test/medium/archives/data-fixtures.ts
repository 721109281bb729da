import { Test, TestingModule } from '@nestjs/testing';
import { UserEntity } from '../../../src/modules/users/user.entity';
import { ArchiveEntity } from '../../../src/modules/archives/archive.entity';
import { DibaoLineEntity } from '../../../src/modules/archives/dibao-lines/dibao-line.entity';
import { repositoryProviders } from '../../helpers/test-database';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../../src/common/clock/clock';
import { ClockModule } from '../../../src/common/clock/clock.module';
import { FieldCipher } from '../../../src/common/crypto';
import { CryptoModule } from '../../../src/common/crypto/crypto.module';
import { makeIdNumber } from '../../../src/common/validation';
import { ConfigModule } from '../../../src/config';
import { ArchivesRepository } from '../../../src/modules/archives/archives.repository';
import { ArchivesService } from '../../../src/modules/archives/archives.service';
import { DibaoLinesRepository } from '../../../src/modules/archives/dibao-lines/dibao-lines.repository';
import { DibaoLinesService } from '../../../src/modules/archives/dibao-lines/dibao-lines.service';
import { CreateArchiveDto } from '../../../src/modules/archives/dto/archive-input.dto';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import type { Principal, StaffRole } from '../../../src/modules/auth/principal';
import { OrgUnitsModule } from '../../../src/modules/org-units/org-units.module';
import { PasswordModule } from '../../../src/modules/users/password';
import { UsersRepository } from '../../../src/modules/users/users.repository';
import { UsersService } from '../../../src/modules/users/users.service';
import { createUser } from '../../helpers/factories/users.factory';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';
import { dto, OrgTree, seedOrgTree, TestGlobalsModule, UnitRow } from '../users/users-fixtures';

export { auditRows, dto } from '../users/users-fixtures';
export type { OrgTree, UnitRow } from '../users/users-fixtures';

/** 2026-11-23 10:00 in China. */
export const NOW = '2026-11-23T10:00:00+08:00';
/** 南京 (320100) 低保 line used by the tests: 1,110 元; 玄武区 320102 has none of its own. */
export const NANJING_LINE_FEN = 111_000;

export interface ArchivesTestContext {
  db: TestDatabase;
  moduleRef: TestingModule;
  archives: ArchivesService;
  dibaoLines: DibaoLinesService;
  cipher: FieldCipher;
  clock: FakeClock;
  tree: OrgTree;
  close(): Promise<void>;
}

/**
 * The archive data side on a fresh database: ArchivesService and DibaoLinesService with their real
 * collaborators (audit, org units, users, cipher), a controllable clock, the users-fixtures tree
 * (江苏: 南京 city A with 玄武区 and a grassroots unit, 苏州 city B with a grassroots unit) and the 南京
 * and 江苏 低保 lines.
 */
export async function createArchivesContext(): Promise<ArchivesTestContext> {
  const db = await createTestDatabase();
  const clock = new FakeClock(NOW);
  const config = testConfig({ auth: { password: { hashing: { memoryCost: 1024, timeCost: 1 } } } });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      TestGlobalsModule.forRoot(db.dataSource),
      ClockModule,
      CryptoModule,
      AuditModule,
      OrgUnitsModule,
      PasswordModule,
    ],
    providers: [
      UsersRepository,
      UsersService,
      ArchivesRepository,
      ArchivesService,
      DibaoLinesRepository,
      DibaoLinesService,
      ...repositoryProviders(db.dataSource, [UserEntity, ArchiveEntity, DibaoLineEntity]),
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  const tree = await seedOrgTree(db.dataSource);
  await insertLine(db.dataSource, '320000', '2025-07-01', 98_000);
  await insertLine(db.dataSource, '320100', '2025-07-01', NANJING_LINE_FEN);
  return {
    db,
    moduleRef,
    archives: moduleRef.get(ArchivesService),
    dibaoLines: moduleRef.get(DibaoLinesService),
    cipher: moduleRef.get(FieldCipher),
    clock,
    tree,
    async close() {
      await moduleRef.close();
      await db.drop();
    },
  };
}

export async function insertLine(
  dataSource: DataSource,
  region: string,
  from: string,
  fen: number,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO dibao_lines (region_code, effective_from, monthly_amount_fen) VALUES ($1, $2, $3)`,
    [region, from, fen],
  );
}

export function staffAt(unit: UnitRow, roles: StaffRole[], userId: string = randomUUID()): Principal {
  return {
    userId,
    username: `${roles.join('-')}.${userId.slice(0, 6)}`,
    kind: 'staff',
    roles,
    orgUnitId: unit.id,
    orgPath: unit.path,
    partnerId: null,
    sessionId: randomUUID(),
    restriction: null,
  };
}

/** A worker principal; the account row exists so that ownership by a user id is real. */
export async function workerAt(dataSource: DataSource, unit: UnitRow): Promise<Principal> {
  const { user } = await createUser(dataSource, {
    kind: 'worker',
    roles: [],
    orgUnit: { id: unit.id, name: '', level: unit.level, path: unit.path, parentId: null },
  });
  return { ...staffAt(unit, [], user.id), username: user.username, kind: 'worker', roles: [] };
}

let sequence = 100;

/** A distinct valid ID number (region 320102 by default). */
export function idNumber(
  birthDate: string,
  gender: 'male' | 'female' = 'male',
  regionCode = '320102',
): string {
  sequence += 2;
  const base = gender === 'male' ? 1 : 0;
  return makeIdNumber({ regionCode, birthDate, gender, sequence: (sequence % 998) + base });
}

/**
 * A complete, valid household (passes every pure rule with the 南京 line as a `dibao` household):
 * head 58, wife 56 with a serious illness, daughter 17 in senior high. Income 1,800 + 500 + 0 + pension
 * items 300 = 2,600 元 / 3 = 866.66 元 per person.
 */
export function householdPlain(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'formal',
    category: 'dibao',
    regionCode: '320102',
    address: '南京市玄武区孝陵卫街道某小区5幢301室',
    head: {
      name: '王建国',
      idNumber: idNumber('1968-05-12', 'male'),
      phone: '13812342210',
      employer: '南京熊猫电子集团有限公司',
      employmentStatus: 'employed',
      monthlyIncomeFen: 180_000,
      bankAccount: '6222021234567890128',
    },
    members: [
      {
        relation: 'spouse',
        name: '李秀英',
        idNumber: idNumber('1970-02-03', 'female'),
        occupation: '无业',
        monthlyIncomeFen: 50_000,
        health: 'serious_illness',
        schoolingStage: 'none',
      },
      {
        relation: 'child',
        name: '王小红',
        idNumber: idNumber('2009-09-01', 'female'),
        occupation: '学生',
        monthlyIncomeFen: 0,
        health: 'healthy',
        schoolingStage: 'senior_high',
      },
    ],
    incomeItems: [{ kind: 'other', monthlyAmountFen: 30_000, note: '亲属资助' }],
    housingType: 'owned',
    housingAreaSqm: 48.5,
    hasVehicle: false,
    hasSecondProperty: false,
    hasBusinessLicence: false,
    causes: ['illness', 'schooling'],
    primaryCause: 'illness',
    householdSituation: '三口之家，妻子患尿毒症需长期透析，女儿读高二，家庭收入主要靠户主工资。',
    causeDescription: '妻子2024年确诊尿毒症，每周透析三次，自付医疗费用每月约两千元。',
    skills: '电工，持中级电工证',
    jobWishes: '希望保留现岗位，可兼职夜班',
    stateOfMind: '压力较大但积极乐观',
    ...overrides,
  };
}

export function createDto(overrides: Record<string, unknown> = {}): CreateArchiveDto {
  return dto(CreateArchiveDto, householdPlain(overrides));
}
