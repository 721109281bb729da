import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { FieldCipher } from '../../common/crypto/field-cipher';
import { archiveField, memberField } from '../../common/crypto/stored-fields';
import { makeIdNumber } from '../../common/validation';
import {
  ArchiveIncomeItemEntity,
  ArchiveMemberEntity,
} from '../../modules/archives/archive-household.entities';
import { ArchiveEntity } from '../../modules/archives/archive.entity';
import type {
  ArchiveCategory,
  ArchiveFlag,
  ArchiveKind,
  ArchiveStatus,
  CancelReason,
  Cause,
  EmploymentStatus,
  HealthState,
  HousingType,
  IncomeKind,
  Relation,
  SchoolingStage,
} from '../../modules/archives/archive.enums';
import { ArchiveConsentEntity } from '../../modules/archives/consents/archive-consent.entity';
import { consentProblems, GUARDIAN_CONSENT_AGE } from '../../modules/archives/consents/consent-problems.rule';
import { dibaoRegionCandidates, pickLineInForce } from '../../modules/archives/dibao-lines/dibao-region.rule';
import { submissionRuleViolations, type HouseholdFacts } from '../../modules/archives/rules/archive-rules';
import { assetFlags } from '../../modules/archives/rules/assets.rule';
import { householdFigures } from '../../modules/archives/rules/household-figures.rule';
import { ageOn, chinaDate, type RuleViolation } from '../../modules/archives/rules/rule-violation';
import {
  ArchiveObjectionEntity,
  type HomeVisitRecord,
} from '../../modules/archives/workflow/archive-workflow.entities';
import { ArchiveWorkflowRepository } from '../../modules/archives/workflow/archive-workflow.repository';
import {
  addCalendarDays,
  addMonths,
  noticePeriod,
  workingCalendar,
  type WorkingCalendar,
} from '../../modules/archives/workflow/working-days.rule';
import { UserEntity } from '../../modules/users/user.entity';
import { Random } from './demo-random';
import { drawHouseholdProfile, employmentFor } from './synthetic/synthetic-world';
import {
  DEMO_DISTRICT_GRASSROOTS,
  DEMO_ORG_UNITS,
  type DemoOrgTree,
  type DemoOrgUnitKey,
} from './org-tree.seed';

/**
 * About 200 demo hardship archives (建档立卡) across the ten demo grassroots unions, in every state of the
 * identification workflow and of dynamic management, as if each had gone through it: workflow events
 * with the demo staff as actors where the demo tree has them, home-visit records, public-notice dates,
 * archive numbers from the same counter table the activation job uses, consents, flags.
 *
 * Every household is generated, then checked with the same pure rules a submission runs (五清, household
 * figures against the 低保 line in force, identity, consents; the duplicate rule holds because every ID
 * number is new). Only two kinds of archive are meant to fail them, as in real life: some drafts whose
 * 五清 is still incomplete, and rejected archives whose per-capita income was found above the limit. A
 * generated archive that fails in any other way stops the seed.
 *
 * Names, ID numbers (valid GB 11643 checksums, real GB/T 2260 county codes), phones and bank cards are
 * synthetic. Generation is deterministic (fixed pseudo-random seed), so every demo database looks alike.
 */

export const DEMO_ARCHIVE_COUNTS: Readonly<Partial<Record<ArchiveStatus, number>>> = {
  draft: 20,
  submitted: 14,
  verifying: 12,
  approving: 10,
  publicizing: 10,
  active: 90,
  returned: 10,
  rejected: 8,
  exited: 14,
  cancelled: 12,
};

export interface DemoArchivesDeps {
  cipher: FieldCipher;
  now: Date;
  /** config `archives.marginalMultiple`. */
  marginalMultiple: number;
  /** config `archives.excludedIncomeKinds`: 低保金 and the like are not counted. */
  excludedIncomeKinds: readonly IncomeKind[];
  /** config `archives.publicNoticeWorkingDays`. */
  publicNoticeWorkingDays: number;
  /** The official calendar (config/holidays.yml) plus `archives.publicHolidays` / `makeUpWorkdays`. */
  calendar?: WorkingCalendar;
}

export interface DemoArchivesResult {
  /** 0 when demo archives were already there (the seed is idempotent). */
  created: number;
  byStatus: Partial<Record<ArchiveStatus, number>>;
}

/** Consents recorded for archives of units that have no demo caseworker: entered from the paper ledger. */
export const DEMO_LEDGER_RECORDER_ID = '00000000-0000-4000-8000-0000000d3e00';

/** How far back the demo archives' application dates reach (the lines of that span are taken into account). */
const SEED_SPAN_MONTHS = 32;
const RANDOM_SEED = 20_261_123;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

// ── vocabulary ─────────────────────────────────────────────────────────────────────────────

// prettier-ignore
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '沈', '姚', '卢', '钟', '陆', '汪', '金', '方', '邵', '俞', '应', '楼', '鲍'];
// prettier-ignore
const MALE_GIVEN = ['建国', '建华', '国强', '志强', '伟', '军', '勇', '明', '海峰', '建平', '卫东', '金龙', '国华', '永明', '立新', '德明', '小平', '文斌', '新华', '建军', '志刚', '春生', '福根', '水根', '宏伟', '晓东', '振华', '国庆', '学军', '红兵'];
// prettier-ignore
const FEMALE_GIVEN = ['秀英', '桂英', '玉兰', '秀兰', '美华', '丽娟', '红梅', '建英', '月娥', '素珍', '彩芳', '丽华', '雪芬', '亚萍', '小红', '春燕', '海燕', '玉芬', '爱华', '惠芳', '金娣', '萍', '敏', '静', '琴'];
// prettier-ignore
const CHILD_MALE_GIVEN = ['浩然', '子轩', '宇航', '俊杰', '梓豪', '一鸣', '天宇', '家豪', '博文', '鑫磊', '思远', '嘉诚'];
// prettier-ignore
const CHILD_FEMALE_GIVEN = ['欣怡', '梓涵', '诗琪', '雨桐', '佳怡', '可馨', '思琪', '雅婷', '晓雯', '一诺', '紫萱', '语嫣'];

/** Employers of each demo grassroots union: its own company, or local small employers for 联合工会. */
const EMPLOYERS: Record<string, readonly string[]> = {
  'xihu-gr-1': ['杭州某某机械有限公司'],
  'xihu-gr-2': [
    '杭州某某物业管理有限公司',
    '西湖区某某街道环卫所',
    '杭州某某农贸市场经营管理有限公司',
    '杭州某某餐饮管理有限公司',
  ],
  'xihu-gr-3': ['杭州某某软件股份有限公司'],
  'gongshu-gr-1': ['杭州某某运河物流有限公司'],
  'gongshu-gr-2': ['拱墅区某某商贸城经营户', '杭州某某服装辅料商行', '杭州某某餐饮有限公司'],
  'yinzhou-gr-1': ['宁波某某服装有限公司'],
  'yinzhou-gr-2': ['宁波某某物业服务有限公司', '鄞州区某某街道保洁服务站', '宁波某某家政服务有限公司'],
  'yinzhou-gr-3': ['宁波某某汽车零部件有限公司'],
  'haishu-gr-1': ['宁波港某某码头有限公司'],
  'haishu-gr-2': ['海曙区某某快递网点', '宁波某某同城配送有限公司', '宁波某某快运有限公司海曙分部'],
};

/** Units whose members are mostly migrant workers (logistics, express delivery, the wholesale market). */
const MIGRANT_HEAVY: ReadonlySet<string> = new Set([
  'gongshu-gr-1',
  'gongshu-gr-2',
  'haishu-gr-2',
  'yinzhou-gr-1',
]);

const STREETS: Record<string, { city: string; district: string; streets: readonly string[] }> = {
  '330106': {
    city: '杭州市',
    district: '西湖区',
    streets: ['文三路', '古墩路', '教工路', '天目山路', '文一西路', '留下街道屏基路', '翠苑一区', '蒋村花园'],
  },
  '330105': {
    city: '杭州市',
    district: '拱墅区',
    streets: ['湖墅南路', '莫干山路', '大关路', '上塘路', '半山街道半山路', '小河路'],
  },
  '330212': {
    city: '宁波市',
    district: '鄞州区',
    streets: ['天童南路', '宁南南路', '首南中路', '百丈东路', '福明路', '钟公庙街道贸城西路'],
  },
  '330203': {
    city: '宁波市',
    district: '海曙区',
    streets: ['中山西路', '解放南路', '望春路', '环城西路', '石碶街道雅戈尔大道', '段塘街道新典路'],
  },
};

/** Home counties of migrant workers (real GB/T 2260 codes: 临泉, 光山, 岳池, 大方, 赣县, 涟水). */
const MIGRANT_HOME_REGIONS = ['341221', '411522', '511621', '522422', '360721', '320826'];

// prettier-ignore
const ILLNESSES = ['尿毒症，每周血液透析三次', '肺癌术后化疗', '脑梗死后遗症，右侧肢体活动受限', '乳腺癌术后内分泌治疗', '慢性粒细胞白血病，长期服用靶向药', '糖尿病并发肾病', '肝硬化失代偿期', '重度抑郁症，需长期服药'];
// prettier-ignore
const SPOUSE_JOBS = ['超市收银员', '保洁员', '家政服务员', '食堂帮厨', '小区保安', '快递分拣员', '服装厂缝纫工', '社区公益性岗位', '个体零工'];
// prettier-ignore
const SKILLS = ['持中级电工证，会设备维修', '会开叉车，持叉车操作证', '缝纫熟练工，会操作平车、包缝机', '有C1驾驶证，熟悉本地道路', '会电脑基本操作和仓库管理系统', '中式烹调师（四级）', '会电焊，持焊工证', '无特殊技能，能吃苦耐劳', '做过多年保洁和绿化养护'];
// prettier-ignore
const STATES_OF_MIND: Partial<Record<Cause, readonly string[]>> & { default: readonly string[] } = {
  illness: ['情绪稳定，积极配合治疗，希望早日渡过难关', '照顾病人身心疲惫，希望得到喘息服务', '担心治疗费用，经谈心后情绪有所好转'],
  schooling: ['压力较大，担心子女学费，经谈心后情绪有所好转', '对子女学业寄予厚望，愿意为此多打一份工'],
  unemployment: ['因失业情绪低落，需持续关心，已介绍心理疏导服务', '主动了解再就业政策，愿意参加技能培训'],
  accident: ['事故后一度情绪低落，现已逐步恢复，积极配合康复', '对工会及时帮扶表示感谢，希望尽快恢复工作'],
  disaster: ['受灾后情绪基本稳定，正在整理修缮住房', '对工会及时帮扶表示感谢'],
  default: ['乐观向上，希望早日脱困', '对工会帮扶表示感谢，愿意参加技能培训', '情绪稳定，生活节俭，积极面对困难'],
};
// prettier-ignore
const RETURN_REASONS = ['家庭成员收入证明缺少单位盖章，请补充', '五清中「就业要求」填写过于简单，请与职工核实后补充', '配偶的病历材料不全，请补充近三个月的诊断证明', '住房情况与入户了解不一致，请核实后修改'];
// prettier-ignore
const EXIT_REASONS = ['子女毕业参加工作，家庭人均收入已超过低保边缘标准', '本人经技能培训后再就业，收入稳定', '配偶病情稳定，医疗支出明显下降，家庭收入恢复'];
// prettier-ignore
const VISIT_FINDINGS = ['入户核实：家庭成员、住房情况与申报一致，病人正在居家康复，邻居和社区证实家庭困难属实。', '入户核实：查看了病历和收入证明原件，与申报一致；住房简陋，家中无高档消费品。', '入户核实：与户主及配偶面谈，子女在校就读，学费负担重，申报情况属实。'];

// ── the household plan ─────────────────────────────────────────────────────────────────────

interface PlannedPerson {
  name: string;
  idNumber: string;
  birthDate: string;
  gender: 'male' | 'female';
}

interface PlannedMember extends PlannedPerson {
  relation: Relation;
  occupation: string | null;
  monthlyIncomeFen: number;
  health: HealthState;
  schoolingStage: SchoolingStage;
}

interface PlannedEvent {
  at: Date;
  actorId: string | null;
  actorRole: string;
  command: string;
  decision: string | null;
  fromStatus: ArchiveStatus;
  toStatus: ArchiveStatus;
  note: string | null;
  reasons: string[];
  visit: HomeVisitRecord | null;
  details: Record<string, unknown>;
}

interface PlannedArchive {
  unitKey: DemoOrgUnitKey;
  unitId: string;
  unitRegion: string;
  status: ArchiveStatus;
  kind: ArchiveKind;
  category: ArchiveCategory;
  head: PlannedPerson & { phone: string; bankAccount: string };
  employer: string | null;
  employmentStatus: EmploymentStatus;
  headMonthlyIncomeFen: number;
  address: string;
  regionCode: string;
  housingType: HousingType;
  housingAreaSqm: string;
  hasVehicle: boolean;
  hasSecondProperty: boolean;
  hasBusinessLicence: boolean;
  assetNotes: string | null;
  causes: Cause[];
  primaryCause: Cause;
  householdSituation: string | null;
  causeDescription: string | null;
  skills: string | null;
  jobWishes: string | null;
  stateOfMind: string | null;
  incidentOn: string | null;
  incidentIncomeLossFen: number | null;
  incidentExpenseFen: number | null;
  members: PlannedMember[];
  incomeItems: Array<{ kind: IncomeKind; monthlyAmountFen: number; note: string | null }>;
  flags: ArchiveFlag[];
  createdAt: Date;
  createdBy: string | null;
  submittedBy: string | null;
  submittedAt: Date | null;
  noticeStartsOn: string | null;
  noticeEndsOn: string | null;
  /** Set for archives that were ever active: the number is given in activation order. */
  activatedAt: Date | null;
  lastVerifiedAt: Date | null;
  relapseWatchUntil: string | null;
  nextVisitDueOn: string | null;
  events: PlannedEvent[];
  consents: boolean;
  openObjection: boolean;
}

interface Actors {
  caseworker: Record<string, string | null>;
  grassrootsReviewer: Record<string, string | null>;
  districtReviewer: Record<string, string | null>;
  approver: Record<string, string | null>;
  archivist: Record<string, string | null>;
}

/**
 * Creates the demo archives in `manager`'s transaction (after the org tree, the demo accounts and the 低保
 * lines). Idempotent: if any archive exists in a demo grassroots union, nothing is done.
 */
export async function seedDemoArchives(
  manager: EntityManager,
  tree: DemoOrgTree,
  deps: DemoArchivesDeps,
): Promise<DemoArchivesResult> {
  const grassroots = DEMO_DISTRICT_GRASSROOTS;
  const unitIds = grassroots.map((u) => tree[u.key].id);
  const [{ count }] = (await manager.query(
    `SELECT count(*)::int AS count FROM archives WHERE org_unit_id = ANY($1)`,
    [unitIds],
  )) as Array<{ count: number }>;
  if (count > 0) return { created: 0, byStatus: {} };

  const calendar = deps.calendar ?? workingCalendar();
  const today = chinaDate(deps.now);
  const actors = await findActors(manager, tree);
  // Each archive is judged by the line in force on its application date, so the incomes are drawn to fit
  // every line the region had over the seed's time span (lowest line for 低保, highest for 边缘).
  const regionLines: Array<{ regionCode: string; effectiveFrom: string; monthlyAmountFen: number }> =
    await manager.query(
      `SELECT region_code AS "regionCode", effective_from::text AS "effectiveFrom",
              monthly_amount_fen AS "monthlyAmountFen" FROM dibao_lines`,
    );
  const lineOn = (region: string, date: string): number | null =>
    pickLineInForce(dibaoRegionCandidates(region), regionLines, date)?.monthlyAmountFen ?? null;
  const lineRange = new Map<string, { low: number; high: number } | null>();
  for (const region of new Set(grassroots.map((u) => u.regionCode as string))) {
    const inForce = Array.from({ length: SEED_SPAN_MONTHS + 1 }, (_, m) =>
      lineOn(region, addMonths(today, -m)),
    );
    const known = inForce.filter((l): l is number => l !== null);
    lineRange.set(
      region,
      inForce[0] === null || known.length === 0
        ? null
        : { low: Math.min(...known), high: Math.max(...known) },
    );
  }

  const random = new Random(RANDOM_SEED);
  const usedIds = new Set<string>();
  const statuses = Object.entries(DEMO_ARCHIVE_COUNTS).flatMap(([status, n]) =>
    Array.from({ length: n }, () => status as ArchiveStatus),
  );
  const plans: PlannedArchive[] = statuses.map((status, i) => {
    const unit = grassroots[i % grassroots.length];
    const line = lineRange.get(unit.regionCode);
    if (!line) throw new Error(`演示档案: 地区 ${unit.regionCode} 没有在用的低保标准，请先写入低保标准`);
    const plan = planArchive(random, usedIds, {
      unitKey: unit.key,
      unitId: tree[unit.key].id,
      unitRegion: unit.regionCode,
      status,
      lineFen: line,
      deps,
      today,
      calendar,
      actors,
    });
    const appliedOn = plan.submittedAt ? chinaDateOf(plan.submittedAt) : today;
    checkAgainstRules(plan, lineOn(unit.regionCode, appliedOn), deps);
    return plan;
  });

  await assignArchiveNumbers(manager, plans);
  const byStatus: Partial<Record<ArchiveStatus, number>> = {};
  for (const plan of plans) {
    await insertArchive(manager, plan, deps.cipher, deps.now, deps.excludedIncomeKinds);
    byStatus[plan.status] = (byStatus[plan.status] ?? 0) + 1;
  }
  return { created: plans.length, byStatus };
}

// ── actors ─────────────────────────────────────────────────────────────────────────────────

/** The demo staff by role, per grassroots unit: in its own unit, its district, or (approvers) any ancestor. */
async function findActors(manager: EntityManager, tree: DemoOrgTree): Promise<Actors> {
  const staff = await manager
    .getRepository(UserEntity)
    .find({ where: { kind: 'staff' }, order: { username: 'ASC' } });
  const byUnitRole = (unitId: string, role: string) =>
    staff.find((u) => u.orgUnitId === unitId && u.roles.includes(role as never) && !u.disabledAt)?.id ?? null;
  const actors: Actors = {
    caseworker: {},
    grassrootsReviewer: {},
    districtReviewer: {},
    approver: {},
    archivist: {},
  };
  for (const unit of DEMO_DISTRICT_GRASSROOTS) {
    const own = tree[unit.key].id;
    const district = tree[unit.parent].id;
    const city = tree[DEMO_ORG_UNITS.find((u) => u.key === unit.parent)!.parent as DemoOrgUnitKey].id;
    actors.caseworker[unit.key] = byUnitRole(own, 'caseworker');
    actors.grassrootsReviewer[unit.key] = byUnitRole(own, 'reviewer');
    actors.districtReviewer[unit.key] = byUnitRole(district, 'reviewer');
    actors.approver[unit.key] = byUnitRole(district, 'approver') ?? byUnitRole(city, 'approver');
    actors.archivist[unit.key] = byUnitRole(district, 'archivist');
  }
  return actors;
}

// ── generation ─────────────────────────────────────────────────────────────────────────────

interface PlanContext {
  unitKey: DemoOrgUnitKey;
  unitId: string;
  unitRegion: string;
  status: ArchiveStatus;
  /** The lowest and highest 低保 line of the region over the seed's time span. */
  lineFen: { low: number; high: number };
  deps: DemoArchivesDeps;
  today: string;
  calendar: WorkingCalendar;
  actors: Actors;
}

function randomDate(random: Random, year: number): string {
  return `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
}

function newPerson(
  random: Random,
  usedIds: Set<string>,
  region: string,
  birthDate: string,
  gender: 'male' | 'female',
  name: string,
): PlannedPerson {
  for (;;) {
    const sequence = random.int(0, 499) * 2 + (gender === 'male' ? 1 : 0);
    const idNumber = makeIdNumber({ regionCode: region, birthDate, sequence, gender });
    if (usedIds.has(idNumber)) continue;
    usedIds.add(idNumber);
    return { name, idNumber, birthDate, gender };
  }
}

function adultName(random: Random, gender: 'male' | 'female', surname = random.pick(SURNAMES)): string {
  return surname + random.pick(gender === 'male' ? MALE_GIVEN : FEMALE_GIVEN);
}

function schoolingFor(random: Random, age: number, inSchool: boolean): SchoolingStage {
  if (age < 3) return 'none';
  if (age <= 5) return 'preschool';
  if (age <= 11) return 'primary';
  if (age <= 14) return 'junior_high';
  if (age <= 17) return random.chance(0.7) ? 'senior_high' : 'vocational';
  if (age <= 21) return inSchool ? 'college' : 'none';
  if (age <= 24) return inSchool && random.chance(0.3) ? 'postgraduate' : 'none';
  return 'none';
}

function phoneNumber(random: Random): string {
  return `1${random.pick(['35', '38', '39', '52', '58', '59', '77', '87', '88', '99'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
}

/** A 19-digit debit card number with a valid Luhn check digit (农行 622848, 工行 622202, 建行 621700). */
function bankCard(random: Random): string {
  let digits = random.pick(['622848', '622202', '621700']);
  while (digits.length < 18) digits += String(random.int(0, 9));
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    let d = Number(digits[17 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

/** A Date at `hour`:`minute` China time on `date`. */
function chinaTime(date: string, hour: number, minute = 0): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS + (hour * 60 + minute) * 60_000);
}

function yuan(fen: number): string {
  return `${Math.round(fen / 100)}元`;
}

function planArchive(random: Random, usedIds: Set<string>, ctx: PlanContext): PlannedArchive {
  const { status, today } = ctx;
  const lineFen = ctx.lineFen.low;
  const ageAt = (birthDate: string) => ageOn(birthDate, today);
  const migrantUnit = MIGRANT_HEAVY.has(ctx.unitKey);
  // Kind, category, primary cause and the head's age: the distributions of a real union (synthetic-world.ts).
  const {
    kind,
    category,
    primaryCause,
    headBirthYear: headYear,
  } = drawHouseholdProfile(random, {
    migrantUnit,
    year: Number(today.slice(0, 4)),
  });
  const headGender: 'male' | 'female' =
    primaryCause === 'single_parent'
      ? random.chance(0.75)
        ? 'female'
        : 'male'
      : random.chance(0.62)
        ? 'male'
        : 'female';
  const headRegion = kind === 'migrant' ? random.pick(MIGRANT_HOME_REGIONS) : ctx.unitRegion;
  const headBirth = randomDate(random, headYear);
  const head = newPerson(random, usedIds, headRegion, headBirth, headGender, adultName(random, headGender));
  const headAge = ageAt(headBirth);
  const surnameOfChildren = head.name[0];

  // ── members ──
  const members: PlannedMember[] = [];
  const hasSpouse = primaryCause !== 'single_parent' && !random.chance(0.08);
  const spouseIll = primaryCause === 'illness' && hasSpouse && random.chance(0.55);
  const headIll = primaryCause === 'illness' && !spouseIll;
  if (hasSpouse) {
    const gender = headGender === 'male' ? 'female' : 'male';
    const birth = randomDate(random, headYear + random.int(-3, 4));
    const region =
      kind === 'migrant'
        ? headRegion
        : random.chance(0.8)
          ? ctx.unitRegion
          : random.pick(MIGRANT_HOME_REGIONS);
    const person = newPerson(random, usedIds, region, birth, gender, adultName(random, gender));
    const working = !spouseIll && ageAt(birth) < 58 && !(primaryCause === 'disability' && random.chance(0.5));
    members.push({
      ...person,
      relation: 'spouse',
      occupation: spouseIll ? '无业（患病）' : working ? random.pick(SPOUSE_JOBS) : '无业（照料家人）',
      monthlyIncomeFen: 0,
      health: spouseIll ? 'serious_illness' : random.chance(0.15) ? 'chronic' : 'healthy',
      schoolingStage: 'none',
    });
  }
  const childCount =
    primaryCause === 'schooling'
      ? random.int(1, 2)
      : primaryCause === 'single_parent'
        ? random.int(1, 2)
        : random.weighted<number>([
            [0, 25],
            [1, 50],
            [2, 25],
          ]);
  for (let c = 0; c < childCount; c++) {
    // Children live with the household while minors or students (born 2000 or later).
    const minYear = Math.max(headYear + 22, 2000);
    const maxYear = Math.min(headYear + 42, 2023);
    if (minYear > maxYear) break;
    const schoolingChild = primaryCause === 'schooling' && c === 0;
    const year = schoolingChild
      ? random.int(Math.max(minYear, 2005), Math.max(Math.min(maxYear, 2011), Math.max(minYear, 2005)))
      : random.int(minYear, maxYear);
    const gender = random.chance(0.5) ? 'male' : 'female';
    const birth = randomDate(random, year);
    const childSurname = headGender === 'male' || !hasSpouse ? surnameOfChildren : members[0].name[0];
    const person = newPerson(
      random,
      usedIds,
      ctx.unitRegion,
      birth,
      gender,
      childSurname + random.pick(gender === 'male' ? CHILD_MALE_GIVEN : CHILD_FEMALE_GIVEN),
    );
    const age = ageAt(birth);
    const stage = schoolingFor(random, age, schoolingChild || random.chance(0.5));
    const disabled = primaryCause === 'disability' && c === 0 && !hasSpouse;
    members.push({
      ...person,
      relation: 'child',
      occupation: stage === 'none' && age >= 18 ? '待业' : null,
      monthlyIncomeFen: 0,
      health: disabled ? 'disability' : 'healthy',
      schoolingStage: stage,
    });
  }
  if (primaryCause === 'disability' && !members.some((m) => m.health === 'disability')) {
    const target = members.find((m) => m.relation === 'spouse') ?? members[0];
    if (target) {
      target.health = 'disability';
      target.occupation = target.relation === 'spouse' ? '无业（残疾）' : target.occupation;
    }
  }
  if (headYear >= 1968 && random.chance(0.25)) {
    const gender = random.chance(0.6) ? 'female' : 'male';
    const birth = randomDate(random, Math.max(headYear - random.int(24, 30), 1938));
    const person = newPerson(
      random,
      usedIds,
      headRegion,
      birth,
      gender,
      gender === 'male' ? surnameOfChildren + random.pick(MALE_GIVEN) : adultName(random, gender),
    );
    members.push({
      ...person,
      relation: 'parent',
      occupation: '无',
      monthlyIncomeFen: random.int(18, 32) * 1000,
      health: random.chance(0.6) ? 'chronic' : 'healthy',
      schoolingStage: 'none',
    });
  }
  const size = 1 + members.length;

  // ── income: a per-capita target that fits the category (rejected ones are over the ceiling) ──
  const overCeiling = status === 'rejected' && category !== 'accident';
  const ceilingOf = (line: number) => Math.floor((line * Math.round(ctx.deps.marginalMultiple * 100)) / 100);
  // Strictly below the lowest line for 低保; above the highest line and within the lowest ceiling for 边缘.
  const { low, high } = ctx.lineFen;
  const perCapita = overCeiling
    ? Math.floor(ceilingOf(high) * (1.08 + random.next() * 0.5))
    : category === 'dibao'
      ? Math.floor(low * (0.45 + random.next() * 0.5))
      : category === 'marginal'
        ? Math.floor(high + (ceilingOf(low) - high) * (0.1 + random.next() * 0.8))
        : Math.floor(low * (0.5 + random.next() * 0.9));
  let total = Math.floor((perCapita * size) / 1000) * 1000;
  if (overCeiling) total += 1000 * size;
  const fixed = members.reduce((sum, m) => sum + m.monthlyIncomeFen, 0);
  let rest = Math.max(total - fixed, 0);

  const retirementAge = headGender === 'male' ? 60 : 50;
  const employmentStatus = employmentFor(random, { kind, primaryCause }, headAge, retirementAge);
  const incomeItems: PlannedArchive['incomeItems'] = [];
  if (employmentStatus === 'laid_off' || employmentStatus === 'contract_terminated') {
    const benefit = Math.min(rest, random.int(150, 190) * 1000);
    if (benefit > 0)
      incomeItems.push({ kind: 'unemployment_benefit', monthlyAmountFen: benefit, note: '失业保险金' });
    rest -= benefit;
  }
  if (random.chance(0.12) && rest > 40_000) {
    const help = random.int(2, 4) * 10_000;
    incomeItems.push({ kind: 'other', monthlyAmountFen: help, note: '亲友资助（平均每月）' });
    rest -= help;
  }
  const workingSpouse = members.find((m) => m.relation === 'spouse' && !m.occupation?.startsWith('无业'));
  let headIncome = 0;
  const headWorks = employmentStatus !== 'laid_off' && employmentStatus !== 'contract_terminated';
  if (workingSpouse && headWorks) {
    workingSpouse.monthlyIncomeFen = Math.floor((rest * (0.3 + random.next() * 0.25)) / 100) * 100;
    headIncome = rest - workingSpouse.monthlyIncomeFen;
  } else if (workingSpouse) {
    workingSpouse.monthlyIncomeFen = rest;
  } else if (headWorks) {
    headIncome = rest;
  } else if (rest > 0) {
    incomeItems.push({ kind: 'other', monthlyAmountFen: rest, note: '临时打零工收入（平均每月）' });
  }
  if (employmentStatus === 'retired' && headIncome > 0) {
    incomeItems.push({ kind: 'pension', monthlyAmountFen: headIncome, note: '本人基本养老金' });
    headIncome = 0;
  }
  // Half the 低保 households already draw 低保金 (the gap to the line): not income for the category check.
  if (category === 'dibao' && status !== 'rejected' && random.chance(0.5)) {
    const gap = Math.floor((lineFen * size - total) / 100) * 100;
    if (gap > 0)
      incomeItems.push({ kind: 'dibao_benefit', monthlyAmountFen: gap, note: '低保金（差额救助）' });
  }

  // ── housing and assets ──
  const housingType: HousingType =
    kind === 'migrant'
      ? random.weighted<HousingType>([
          ['rented', 55],
          ['dormitory', 35],
          ['with_relatives', 10],
        ])
      : random.weighted<HousingType>([
          ['owned', 40],
          ['rented', 30],
          ['public_rental', 20],
          ['with_relatives', 10],
        ]);
  const area =
    housingType === 'dormitory'
      ? random.int(12, 20)
      : housingType === 'rented'
        ? random.int(18, 48)
        : random.int(38, 78);
  const hasVehicle = random.chance(0.05);
  const hasBusinessLicence = random.chance(0.03);
  const hasSecondProperty = housingType === 'owned' && random.chance(0.02);
  const assetNotes = [
    hasVehicle ? '有一辆2011年购入的二手面包车，用于打零工送货' : null,
    hasBusinessLicence ? '配偶持个体工商户营业执照（早点摊），经营收入已计入家庭收入' : null,
    hasSecondProperty ? '老家有一处农村自建房，无租金收入' : null,
  ]
    .filter(Boolean)
    .join('；');
  const place = STREETS[ctx.unitRegion];
  const address =
    housingType === 'dormitory'
      ? `${place.city}${place.district}${random.pick(place.streets)}${random.int(1, 300)}号员工宿舍${random.int(1, 6)}幢${random.int(101, 520)}室`
      : `${place.city}${place.district}${random.pick(place.streets)}${random.int(1, 400)}号${random.int(1, 28)}幢${random.int(1, 4)}单元${random.int(1, 18)}0${random.int(1, 4)}室`;

  // ── causes and 五清 ──
  const secondary: Cause[] = [];
  if (primaryCause !== 'low_income' && total / size < lineFen && random.chance(0.5))
    secondary.push('low_income');
  if (
    primaryCause !== 'schooling' &&
    members.some((m) => ['senior_high', 'vocational', 'college'].includes(m.schoolingStage))
  )
    secondary.push('schooling');
  if (
    primaryCause !== 'illness' &&
    members.some((m) => m.health === 'serious_illness' || m.health === 'chronic') &&
    random.chance(0.5)
  )
    secondary.push('illness');
  const causes: Cause[] = [primaryCause, ...secondary.filter((c) => c !== primaryCause)];
  const illness = random.pick(ILLNESSES);
  const selfPay = random.int(8, 30) * 10_000;
  const student = members.find((m) =>
    ['senior_high', 'vocational', 'college', 'postgraduate'].includes(m.schoolingStage),
  );
  const causeDescriptions: Record<Cause, string> = {
    illness: `${headIll ? '户主本人' : '配偶'}患${illness}，每月自付医药费约${yuan(selfPay)}，${headIll ? '已无法正常上班' : '需专人照顾'}，家庭收入难以维持基本生活。`,
    schooling: `${student ? `子女${student.name}就读${student.schoolingStage === 'college' ? '大学' : student.schoolingStage === 'postgraduate' ? '研究生' : student.schoolingStage === 'vocational' ? '中职' : '高中'}` : '子女上学'}，每年学费、住宿费和生活费合计约${random.int(12, 25)}千元，家庭收入微薄，负担沉重。`,
    unemployment: `户主所在岗位于${random.int(2023, 2026)}年调整${employmentStatus === 'contract_terminated' ? '，经协商有偿解除劳动合同' : '后下岗失业'}，年龄偏大再就业困难，目前主要依靠失业保险金和配偶收入生活。`,
    low_income: `户主从事${random.pick(['车间辅助', '仓库搬运', '保洁', '门卫', '流水线'])}工作，工资收入低${members.length >= 3 ? '，家庭人口多' : ''}，人均收入低于当地标准，日常开支入不敷出。`,
    disability: `家庭成员中有${members.some((m) => m.relation === 'child' && m.health === 'disability') ? '子女' : '配偶'}为残疾人（持残疾证），需长期康复和照料，户主收入有限。`,
    accident: `${random.int(2025, 2026)}年户主在下班途中遭遇交通事故，多处骨折，住院治疗三个月，扣除保险赔付后仍自付医疗费约${random.int(3, 8)}万元，目前仍在康复期。`,
    disaster: `${random.int(2025, 2026)}年台风期间住房进水受损，家具家电损毁，修缮和重新购置花费约${random.int(2, 5)}万元，家庭积蓄耗尽。`,
    single_parent: `户主离异后独自抚养子女，无其他经济来源，收入仅能维持基本生活，子女教育支出压力大。`,
    other: `家中老人长期卧床需要照料，户主只能从事灵活就业，收入不稳定。`,
  };
  const causeDescription = causeDescriptions[primaryCause];
  const spouse = members.find((m) => m.relation === 'spouse');
  const householdSituation = [
    `家庭共${size}人：户主${headAge}岁`,
    spouse ? `，配偶${ageAt(spouse.birthDate)}岁（${spouse.occupation}）` : '',
    ...members.filter((m) => m.relation === 'child').map((m) => `，子女${ageAt(m.birthDate)}岁`),
    ...members
      .filter((m) => m.relation === 'parent')
      .map((m) => `，${m.gender === 'male' ? '父亲' : '母亲'}${ageAt(m.birthDate)}岁`),
    `。${{ owned: '居住自有老旧住房', rented: '租房居住', public_rental: '居住公租房', with_relatives: '借住亲属家', dormitory: '住单位集体宿舍', other: '居住条件较差' }[housingType]}，面积约${area}平方米。`,
  ].join('');
  const jobWishes =
    employmentStatus === 'retired'
      ? '已退休，无就业要求，希望得到医疗和生活方面的帮扶'
      : headIll
        ? '目前以治疗为主，病情稳定后希望从事轻体力工作'
        : employmentStatus === 'laid_off' || employmentStatus === 'contract_terminated'
          ? random.pick([
              '希望找离家近的保安、保洁或仓管工作',
              '希望参加技能培训后再就业',
              '希望在物业或社区公益性岗位就业',
            ])
          : random.pick([
              '希望在本单位继续工作，可接受倒班',
              '希望提升技能后调整到收入更高的岗位',
              '因需照顾家人，希望工作时间相对固定',
            ]);

  // ── workflow ──
  const flow = planWorkflow(random, ctx, kind, category);
  const incomplete = status === 'draft' && random.chance(0.35);
  const flags = [...assetFlags({ hasVehicle, hasSecondProperty, hasBusinessLicence }), ...flow.flags];

  return {
    unitKey: ctx.unitKey,
    unitId: ctx.unitId,
    unitRegion: ctx.unitRegion,
    status,
    kind,
    category,
    head: { ...head, phone: phoneNumber(random), bankAccount: bankCard(random) },
    employer:
      employmentStatus === 'retired'
        ? `${random.pick(EMPLOYERS[ctx.unitKey])}（已退休）`
        : random.pick(EMPLOYERS[ctx.unitKey]),
    employmentStatus,
    headMonthlyIncomeFen: headIncome,
    address,
    regionCode: ctx.unitRegion,
    housingType,
    housingAreaSqm: `${area}.00`,
    hasVehicle,
    hasSecondProperty,
    hasBusinessLicence,
    assetNotes: assetNotes || null,
    causes,
    primaryCause,
    // 意外致困: the accident or disaster a few months before the application, with what it cost.
    incidentOn:
      category === 'accident'
        ? addCalendarDays(chinaDateOf(flow.facts.createdAt), -random.int(20, 150))
        : null,
    incidentIncomeLossFen:
      category === 'accident' && primaryCause === 'accident' ? random.int(15, 40) * 10_000 : null,
    incidentExpenseFen: category === 'accident' ? random.int(2, 8) * 1_000_000 : null,
    householdSituation,
    causeDescription,
    skills: incomplete && random.chance(0.5) ? null : random.pick(SKILLS),
    jobWishes: incomplete ? '待补充' : jobWishes,
    stateOfMind:
      incomplete && random.chance(0.5)
        ? null
        : random.pick(STATES_OF_MIND[primaryCause] ?? STATES_OF_MIND.default),
    members,
    incomeItems,
    flags,
    ...flow.facts,
    events: flow.events,
    consents: status !== 'draft' || random.chance(0.5),
    openObjection: flow.openObjection,
  };
}

interface WorkflowPlan {
  facts: Pick<
    PlannedArchive,
    | 'createdAt'
    | 'createdBy'
    | 'submittedBy'
    | 'submittedAt'
    | 'noticeStartsOn'
    | 'noticeEndsOn'
    | 'activatedAt'
    | 'lastVerifiedAt'
    | 'relapseWatchUntil'
    | 'nextVisitDueOn'
  >;
  events: PlannedEvent[];
  flags: ArchiveFlag[];
  openObjection: boolean;
}

/**
 * The archive's path through the workflow, dated backwards from today: the identification steps with
 * plausible gaps (a few working days each, a home visit before verification, the public notice of N
 * working days, activation the night after it ends), then exit or cancellation for closed archives.
 */
function planWorkflow(
  random: Random,
  ctx: PlanContext,
  kind: ArchiveKind,
  category: ArchiveCategory,
): WorkflowPlan {
  const { status, today, calendar, actors, unitKey } = ctx;
  const caseworker = actors.caseworker[unitKey];
  const reviewer = actors.grassrootsReviewer[unitKey];
  const verifier = actors.districtReviewer[unitKey];
  const approver = actors.approver[unitKey];
  const events: PlannedEvent[] = [];
  const flags: ArchiveFlag[] = [];
  const at = (date: string, hour = random.int(9, 16)) => chinaTime(date, hour, random.int(0, 59));
  const step = (
    date: string,
    command: string,
    from: ArchiveStatus,
    to: ArchiveStatus,
    actor: { id: string | null; role: string },
    extra: Partial<PlannedEvent> = {},
  ) =>
    events.push({
      at: at(date, command === 'activate' ? 0 : undefined),
      actorId: actor.id,
      actorRole: actor.role,
      command,
      decision: null,
      fromStatus: from,
      toStatus: to,
      note: null,
      reasons: [],
      visit: null,
      details: {},
      ...extra,
    });

  // How far back the last identification step lies, by status.
  const wasActive = status === 'active' || status === 'exited' || status === 'cancelled';
  const lastStepDaysAgo =
    status === 'draft'
      ? random.int(1, 30)
      : status === 'submitted' || status === 'verifying' || status === 'approving'
        ? random.int(1, 8)
        : status === 'returned'
          ? random.int(3, 20)
          : status === 'rejected'
            ? random.int(30, 240)
            : 0;
  const temporaryExpired = status === 'cancelled' && kind === 'temporary';
  const identifiedDaysAgo = !wasActive
    ? lastStepDaysAgo
    : temporaryExpired
      ? random.int(760, 880)
      : kind === 'temporary'
        ? random.int(40, 600)
        : status === 'active'
          ? random.int(30, 900)
          : random.int(300, 900);

  // Work forwards from the creation date.
  let day = addCalendarDays(today, -identifiedDaysAgo - (wasActive || status === 'publicizing' ? 30 : 12));
  if (status === 'publicizing') day = addCalendarDays(today, -random.int(16, 22));
  const created = at(day);
  const facts: WorkflowPlan['facts'] = {
    createdAt: created,
    createdBy: caseworker,
    submittedBy: null,
    submittedAt: null,
    noticeStartsOn: null,
    noticeEndsOn: null,
    activatedAt: null,
    lastVerifiedAt: null,
    relapseWatchUntil: null,
    nextVisitDueOn: null,
  };
  if (status === 'draft') {
    facts.createdAt = at(addCalendarDays(today, -lastStepDaysAgo));
    return { facts, events, flags, openObjection: false };
  }

  const advance = (min: number, max: number) => {
    day = addCalendarDays(day, random.int(min, max));
    if (status !== 'publicizing' && !wasActive && day > addCalendarDays(today, -1))
      day = addCalendarDays(today, -1);
    return day;
  };
  advance(1, 4);
  step(day, 'submit', 'draft', 'submitted', { id: caseworker, role: 'caseworker' });
  facts.submittedBy = caseworker;
  facts.submittedAt = events[events.length - 1].at;
  if (status === 'submitted') return { facts, events, flags, openObjection: false };

  advance(1, 4);
  if (status === 'returned') {
    step(
      day,
      'review',
      'submitted',
      'returned',
      { id: reviewer, role: 'reviewer' },
      {
        decision: 'return',
        reasons: [random.pick(RETURN_REASONS)],
      },
    );
    return { facts, events, flags, openObjection: false };
  }
  const rejectAtReview = status === 'rejected' && random.chance(0.5);
  const rejectReason =
    category === 'accident'
      ? '经核实，事故损失已获保险足额赔付，家庭生活未陷入困难，不符合建档条件'
      : '经核实，家庭人均月收入高于低保边缘标准，不符合建档条件';
  if (rejectAtReview) {
    step(
      day,
      'review',
      'submitted',
      'rejected',
      { id: reviewer, role: 'reviewer' },
      {
        decision: 'reject',
        reasons: [rejectReason],
      },
    );
    return { facts, events, flags, openObjection: false };
  }
  step(day, 'review', 'submitted', 'verifying', { id: reviewer, role: 'reviewer' }, { decision: 'approve' });
  if (status === 'verifying') return { facts, events, flags, openObjection: false };

  const visitDate = advance(3, 9);
  advance(0, 2);
  step(
    day,
    'verify',
    'verifying',
    'approving',
    { id: verifier, role: 'reviewer' },
    {
      decision: 'pass',
      visit: {
        date: visitDate,
        visitors: ['区总工会帮扶中心工作人员', '基层工会经办人'],
        findings: random.pick(VISIT_FINDINGS),
      },
    },
  );
  facts.lastVerifiedAt = events[events.length - 1].at;
  if (status === 'approving') return { facts, events, flags, openObjection: false };

  advance(1, 3);
  if (status === 'rejected') {
    step(
      day,
      'approve',
      'approving',
      'rejected',
      { id: approver, role: 'approver' },
      {
        decision: 'reject',
        reasons: [rejectReason],
      },
    );
    return { facts, events, flags, openObjection: false };
  }
  if (status === 'publicizing') {
    // Approved on a recent working day so that today falls inside the notice.
    let approvedOn = addCalendarDays(today, -random.int(1, 4));
    let notice = noticePeriod(approvedOn, ctx.deps.publicNoticeWorkingDays, calendar);
    for (let back = 1; notice.startsOn > today || notice.endsOn < today; back++) {
      approvedOn = addCalendarDays(today, -back);
      notice = noticePeriod(approvedOn, ctx.deps.publicNoticeWorkingDays, calendar);
    }
    day = approvedOn;
  }
  const notice = noticePeriod(day, ctx.deps.publicNoticeWorkingDays, calendar);
  step(
    day,
    'approve',
    'approving',
    'publicizing',
    { id: approver, role: 'approver' },
    {
      decision: 'approve',
      details: { noticeStartsOn: notice.startsOn, noticeEndsOn: notice.endsOn },
    },
  );
  facts.noticeStartsOn = notice.startsOn;
  facts.noticeEndsOn = notice.endsOn;
  if (status === 'publicizing') return { facts, events, flags, openObjection: random.chance(0.15) };

  // The activation job runs the night after the notice's last day.
  const activatedOn = addCalendarDays(notice.endsOn, 1);
  step(activatedOn, 'activate', 'publicizing', 'active', { id: null, role: 'system' });
  facts.activatedAt = events[events.length - 1].at;
  facts.nextVisitDueOn = addMonths(activatedOn, 6);
  // Twice-yearly cleanups re-verify most archives; some older ones have been missed (flagged stale).
  const cleanup = `${today.slice(0, 4)}-${random.chance(0.5) ? '09' : '10'}-${String(random.int(8, 28)).padStart(2, '0')}`;
  if (cleanup > activatedOn && cleanup < today && random.chance(0.75)) {
    facts.lastVerifiedAt = at(cleanup);
  }
  while (facts.nextVisitDueOn < addCalendarDays(today, -random.int(0, 25)))
    facts.nextVisitDueOn = addMonths(facts.nextVisitDueOn, 6);

  if (status === 'active') {
    const verifiedOn = chinaDateOf(facts.lastVerifiedAt!);
    if (addMonths(verifiedOn, 12) <= today) flags.push('stale_verification');
    return { facts, events, flags, openObjection: false };
  }
  // A temporary archive is cancelled by the daily job the day its two years are up.
  const closedOn = temporaryExpired
    ? addCalendarDays(addMonths(activatedOn, 24), 1)
    : addCalendarDays(today, -random.int(20, Math.min(280, ageDays(activatedOn, today) - 10)));
  if (status === 'exited') {
    const watchUntil = addMonths(closedOn, 6);
    step(
      closedOn,
      'exit',
      'active',
      'exited',
      { id: caseworker, role: 'caseworker' },
      {
        reasons: [random.pick(EXIT_REASONS)],
        details: { relapseWatchUntil: watchUntil },
      },
    );
    facts.relapseWatchUntil = watchUntil;
    facts.nextVisitDueOn = watchUntil;
    if (watchUntil >= today) flags.push('relapse_watch');
    return { facts, events, flags, openObjection: false };
  }
  const reason: CancelReason =
    kind === 'temporary'
      ? 'temporary_expired'
      : random.weighted<CancelReason>([
          ['left_unit', 35],
          ['ineligible', 25],
          ['deceased', 20],
          ['unreachable', 12],
          ['household_merged', 8],
        ]);
  step(
    closedOn,
    reason === 'temporary_expired' ? 'expire-temporary' : 'cancel',
    'active',
    'cancelled',
    reason === 'temporary_expired'
      ? { id: null, role: 'system' }
      : {
          id: actors.archivist[unitKey] ?? reviewer,
          role: actors.archivist[unitKey] ? 'archivist' : 'reviewer',
        },
    {
      details: {
        cancelReason: reason,
        // 清退 in practice is mostly income that rose above the standard (no extra draw: the world stays put).
        ...(reason === 'ineligible' ? { failedRule: 'income_above_standard' } : {}),
      },
    },
  );
  facts.nextVisitDueOn = null;
  return { facts, events, flags, openObjection: false };
}

function chinaDateOf(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function ageDays(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

// ── checks ─────────────────────────────────────────────────────────────────────────────────

/** Runs the submission rules on a generated archive; only the deliberate failures are allowed through. */
function checkAgainstRules(plan: PlannedArchive, lineFen: number | null, deps: DemoArchivesDeps): void {
  const facts: HouseholdFacts = {
    category: plan.category,
    causes: plan.causes,
    primaryCause: plan.primaryCause,
    householdSituation: plan.householdSituation,
    causeDescription: plan.causeDescription,
    skills: plan.skills,
    jobWishes: plan.jobWishes,
    stateOfMind: plan.stateOfMind,
    headMonthlyIncomeFen: plan.headMonthlyIncomeFen,
    head: {
      idNumber: plan.head.idNumber,
      statedBirthDate: plan.head.birthDate,
      statedGender: plan.head.gender,
    },
    members: plan.members.map((m) => ({
      idNumber: m.idNumber,
      statedBirthDate: m.birthDate,
      statedGender: m.gender,
      relation: m.relation,
      schoolingStage: m.schoolingStage,
      monthlyIncomeFen: m.monthlyIncomeFen,
    })),
    incomeItems: plan.incomeItems,
    dibaoCertificateNo: null,
    incidentOn: plan.incidentOn,
    incidentIncomeLossFen: plan.incidentIncomeLossFen,
    incidentExpenseFen: plan.incidentExpenseFen,
  };
  const violations: RuleViolation[] = submissionRuleViolations(facts, {
    dibaoLineFen: lineFen,
    marginalMultiple: deps.marginalMultiple,
    excludedIncomeKinds: deps.excludedIncomeKinds,
    dibaoCertificateEvidence: false,
    applicationDate: plan.submittedAt ? chinaDateOf(plan.submittedAt) : chinaDateOf(deps.now),
    now: deps.now,
  });
  if (plan.consents) {
    const consentFacts = plan.members.map((m, i) => ({ id: `m${i}`, birthDate: m.birthDate }));
    violations.push(
      ...consentProblems(
        consentFacts,
        consentRows(
          plan,
          consentFacts.map((m) => m.id),
        ).map((c) => ({ ...c, withdrawnAt: null })),
        deps.now,
      ),
    );
  }
  const allowed = (v: RuleViolation) =>
    (plan.status === 'draft' && v.rule === 'five-clears') ||
    (plan.status === 'rejected' && v.rule === 'household-figures' && v.field === 'category');
  const unexpected = violations.filter((v) => !allowed(v));
  if (unexpected.length > 0) {
    throw new Error(
      `演示档案生成有误（${plan.status}）: ${unexpected.map((v) => `${v.code} ${v.field}`).join('; ')}`,
    );
  }
}

/** The consents a household gave before submission: the head's two, a guardian's for each child under 14. */
function consentRows(plan: PlannedArchive, memberIds: readonly string[]) {
  const grantedAt = plan.createdAt;
  const head = (['general', 'sensitive'] as const).map((kind) => ({
    subject: 'head' as const,
    memberId: null,
    purpose: 'archive_management' as const,
    kind,
    byGuardian: false,
    guardianName: null as string | null,
    grantedAt,
  }));
  const guardian = plan.members.flatMap((m, i) =>
    ageOn(m.birthDate, chinaDateOf(plan.createdAt)) < GUARDIAN_CONSENT_AGE
      ? [
          {
            subject: 'member' as const,
            memberId: memberIds[i],
            purpose: 'archive_management' as const,
            kind: 'sensitive' as const,
            byGuardian: true,
            guardianName: plan.head.name as string | null,
            grantedAt,
          },
        ]
      : [],
  );
  return [...head, ...guardian];
}

// ── writing ────────────────────────────────────────────────────────────────────────────────

/**
 * Archive numbers exactly as the activation job gives them (`<unit region>-<year>-<5-digit seq>`, from
 * the shared counter table), in activation order so the numbers read chronologically.
 */
async function assignArchiveNumbers(manager: EntityManager, plans: PlannedArchive[]): Promise<void> {
  const workflow = new ArchiveWorkflowRepository(manager.connection);
  const activated = plans
    .filter((p) => p.activatedAt)
    .sort((a, b) => a.activatedAt!.getTime() - b.activatedAt!.getTime());
  for (const plan of activated) {
    const year = Number(chinaDateOf(plan.activatedAt!).slice(0, 4));
    const seq = await workflow.nextArchiveSeq(manager, plan.unitRegion, year);
    const archiveNo = `${plan.unitRegion}-${year}-${String(seq).padStart(5, '0')}`;
    (plan as PlannedArchive & { archiveNo?: string }).archiveNo = archiveNo;
    const activation = plan.events.find((e) => e.command === 'activate');
    if (activation) activation.details = { archiveNo };
  }
}

async function insertArchive(
  manager: EntityManager,
  plan: PlannedArchive,
  cipher: FieldCipher,
  now: Date,
  excludedIncomeKinds: readonly IncomeKind[],
): Promise<void> {
  const figures = householdFigures(plan, excludedIncomeKinds);
  const archiveNo = (plan as PlannedArchive & { archiveNo?: string }).archiveNo ?? null;
  // Row ids are chosen first: FieldCipher binds each token to its row.
  const archiveId = randomUUID();
  await manager.getRepository(ArchiveEntity).insert({
    id: archiveId,
    archiveNo,
    kind: plan.kind,
    category: plan.category,
    status: plan.status,
    orgUnitId: plan.unitId,
    ownerUserId: null,
    headName: plan.head.name,
    headIdNumberCiphertext: cipher.encrypt(
      plan.head.idNumber,
      archiveField({ id: archiveId }, 'head_id_number_ciphertext'),
    ),
    headIdNumberBlindIndex: cipher.blindIndex(plan.head.idNumber, 'id_number'),
    headBirthDate: plan.head.birthDate,
    headGender: plan.head.gender,
    headPhoneCiphertext: cipher.encrypt(
      plan.head.phone,
      archiveField({ id: archiveId }, 'head_phone_ciphertext'),
    ),
    headPhoneBlindIndex: cipher.blindIndex(plan.head.phone, 'phone'),
    employer: plan.employer,
    employmentStatus: plan.employmentStatus,
    headMonthlyIncomeFen: plan.headMonthlyIncomeFen,
    address: plan.address,
    regionCode: plan.regionCode,
    bankAccountCiphertext: cipher.encrypt(
      plan.head.bankAccount,
      archiveField({ id: archiveId }, 'bank_account_ciphertext'),
    ),
    housingType: plan.housingType,
    housingAreaSqm: plan.housingAreaSqm,
    hasVehicle: plan.hasVehicle,
    hasSecondProperty: plan.hasSecondProperty,
    hasBusinessLicence: plan.hasBusinessLicence,
    assetNotes: plan.assetNotes,
    causes: plan.causes,
    primaryCause: plan.primaryCause,
    householdSituation: plan.householdSituation,
    causeDescription: plan.causeDescription,
    skills: plan.skills,
    jobWishes: plan.jobWishes,
    stateOfMind: plan.stateOfMind,
    dibaoCertificateNo: null,
    incidentOn: plan.incidentOn,
    incidentIncomeLossFen: plan.incidentIncomeLossFen,
    incidentExpenseFen: plan.incidentExpenseFen,
    ...figures,
    flags: plan.flags,
    createdBy: plan.createdBy,
    submittedBy: plan.submittedBy,
    submittedAt: plan.submittedAt,
    appliedOn: plan.submittedAt ? chinaDateOf(plan.submittedAt) : null,
    noticeStartsOn: plan.noticeStartsOn,
    noticeEndsOn: plan.noticeEndsOn,
    activatedAt: plan.activatedAt,
    lastVerifiedAt: plan.lastVerifiedAt,
    relapseWatchUntil: plan.relapseWatchUntil,
    nextVisitDueOn: plan.nextVisitDueOn,
    transferToUnitId: null,
    statusBeforeTransfer: null,
  });

  const memberIds: string[] = [];
  for (const [position, m] of plan.members.entries()) {
    const memberId = randomUUID();
    const result = await manager.getRepository(ArchiveMemberEntity).insert({
      id: memberId,
      archiveId,
      relation: m.relation,
      name: m.name,
      idNumberCiphertext: cipher.encrypt(m.idNumber, memberField({ id: memberId })),
      idNumberBlindIndex: cipher.blindIndex(m.idNumber, 'id_number'),
      birthDate: m.birthDate,
      gender: m.gender,
      occupation: m.occupation,
      monthlyIncomeFen: m.monthlyIncomeFen,
      health: m.health,
      schoolingStage: m.schoolingStage,
      position,
    });
    memberIds.push((result.identifiers[0] as { id: string }).id);
  }
  for (const [position, item] of plan.incomeItems.entries()) {
    await manager.getRepository(ArchiveIncomeItemEntity).insert({ archiveId, ...item, position });
  }
  if (plan.consents) {
    const recorder = plan.createdBy ?? DEMO_LEDGER_RECORDER_ID;
    for (const consent of consentRows(plan, memberIds)) {
      await manager
        .getRepository(ArchiveConsentEntity)
        .insert({ archiveId, ...consent, textVersion: '2026-01', recordedBy: recorder });
    }
  }
  for (const [index, event] of plan.events.entries()) {
    await new ArchiveWorkflowRepository(manager.connection).insertEvent(manager, {
      archiveId,
      archiveVersion: index + 2,
      ...event,
    });
  }
  if (plan.openObjection && plan.noticeStartsOn) {
    await manager.getRepository(ArchiveObjectionEntity).insert({
      archiveId,
      lodgedAt: new Date(Math.min(now.getTime(), chinaTime(plan.noticeStartsOn, 15).getTime())),
      noticeStartsOn: plan.noticeStartsOn,
      reason: '据了解该户家中另有一套出租住房，租金收入未申报，请核实。',
      contactCiphertext: null,
      status: 'open',
    });
  }
  // The version the steps above would have left, and the creation time (both set by TypeORM on insert).
  await manager.query(`UPDATE archives SET version = $2, created_at = $3, updated_at = $4 WHERE id = $1`, [
    archiveId,
    1 + plan.events.length,
    plan.createdAt,
    plan.events.at(-1)?.at ?? plan.createdAt,
  ]);
}
