/**
 * Partner offers (供给) of every kind for a synthetic world (synthetic-world.ts): slots (training places,
 * jobs, services), goods and cash, each with the capacity, amount, scope, eligibility, validity, per-household
 * limit and cooldown such an offer has in a union's region. Pure and deterministic from the `Random`.
 *
 * Shares (checked by synthetic-offers.spec.ts): scope — a grassroots union 30 %, a district's union 25 %
 * (or its region prefix), a city's region 15 %, online 10 % (scoped to a city), a district's region 20 %; 92 % are
 * inside their validity window on `today` (the rest not started yet or ended); 6 % have nothing left.
 */
import type { ArchiveCategory, Cause, EmploymentStatus } from '../../../modules/archives/archive.enums';
import type { OfferKind } from '../../../modules/offers/offers.enums';
import { Random } from '../demo-random';
import type { World, WorldUnit } from './synthetic-world';

/** A menu item as the generator needs it (code, category, unit of config/menu.yml). */
export interface MenuItemInfo {
  code: string;
  category: string;
  unit: 'slots' | 'yuan' | 'goods';
}

export interface SyntheticOffer {
  title: string;
  description: string;
  /** One item, or two of the same category and unit (about a third of the offers). */
  itemCodes: string[];
  kind: OfferKind;
  capacity: number;
  /** capacity − used: 0 for the exhausted ones. */
  remaining: number;
  amountPerBeneficiaryFen: number | null;
  /** A unit id of the world (its subtree), or null. */
  scopeUnitId: string | null;
  /** A GB/T 2260 prefix (4 or 6 digits), or null. Never both null. */
  scopeRegionPrefix: string | null;
  online: boolean;
  regionCode: string;
  validFrom: string;
  validUntil: string;
  eligibility: {
    categories: ArchiveCategory[];
    causes: Cause[];
    employment: EmploymentStatus[];
    ageMin: number | null;
    ageMax: number | null;
    /** e.g. '1.50': per-capita income ≤ k × the 低保 line. */
    incomeFactor: string | null;
  };
  perHouseholdLimit: number;
  cooldownDays: number;
}

/** How often partners offer each menu category (weights). */
const CATEGORY_WEIGHTS: ReadonlyArray<[string, number]> = [
  ['training', 14],
  ['employment', 14],
  ['donation', 16],
  ['tuition', 8],
  ['medical', 10],
  ['legal', 8],
  ['counseling', 6],
  ['relief', 8],
  ['care', 10],
  ['policy', 6],
];

const TITLES: Record<string, readonly string[]> = {
  training: ['技能培训班', '职业技能提升培训', '免费考证培训', '再就业技能培训'],
  employment: ['专场招聘会', '定向招聘岗位', '公益性岗位', '灵活就业对接'],
  donation: ['爱心物资发放', '送温暖物资', '爱心礼包', '生活物资捐赠'],
  tuition: ['金秋助学金', '困难职工子女助学', '新生入学资助'],
  medical: ['大病医疗救助', '住院慰问金', '免费健康体检'],
  legal: ['劳动争议免费代理', '法律咨询服务', '讨薪法律援助'],
  counseling: ['心理疏导服务', '家庭关系辅导', '情绪减压小组'],
  relief: ['临时生活救助', '送温暖慰问金', '灾后救助金'],
  care: ['志愿者上门照护', '子女课业辅导', '居家修缮服务'],
  policy: ['帮扶政策咨询', '社保医保办理指引'],
};
const DESCRIPTIONS: Record<string, string> = {
  training: '免费培训，结业发证，推荐就业',
  employment: '岗位稳定，缴纳社保，优先录用困难职工',
  donation: '按户发放，每户一份',
  tuition: '困难职工子女入学一次性资助',
  medical: '医保报销后自付部分按比例救助',
  legal: '律师免费代理，全程跟进',
  counseling: '专业社工一对一服务',
  relief: '突发困难家庭救助，当月发放',
  care: '志愿者定期上门服务',
  policy: '一对一讲解帮扶政策和办理流程',
};
/** Cash per beneficiary, in yuan, by category. */
const CASH_YUAN: Record<string, readonly number[]> = {
  tuition: [1000, 2000, 3000, 5000],
  medical: [500, 2000, 5000, 10000],
  relief: [500, 1000, 2000, 3000],
};
const SLOT_CAPACITIES = [5, 10, 15, 20, 30, 40, 50, 60, 100, 150, 200];
const GOODS_CAPACITIES = [30, 50, 100, 150, 200, 300, 500];
const CASH_CAPACITIES = [10, 20, 30, 40, 60, 80];
const DAY_MS = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function subset<T>(random: Random, all: readonly T[], min: number): T[] {
  const chosen = all.filter(() => random.chance(0.5));
  return chosen.length >= min ? chosen : all.slice(0, min);
}

/** One offer of the world, valid (mostly) around `today` (YYYY-MM-DD). */
export function drawOffer(
  random: Random,
  world: World,
  items: readonly MenuItemInfo[],
  today: string,
): SyntheticOffer {
  const category = random.weighted(CATEGORY_WEIGHTS);
  const ofCategory = items.filter((i) => i.category === category);
  const pool = ofCategory.length > 0 ? ofCategory : items;
  const first = random.pick(pool);
  // A second item of the same category and unit (a kind serves one unit).
  const second = random.chance(0.33) ? random.pick(pool.filter((i) => i.unit === first.unit)) : first;
  const itemCodes = second.code === first.code ? [first.code] : [first.code, second.code];
  const kind: OfferKind = first.unit === 'yuan' ? 'cash' : first.unit === 'goods' ? 'goods' : 'slots';
  const capacity = random.pick(
    kind === 'cash' ? CASH_CAPACITIES : kind === 'goods' ? GOODS_CAPACITIES : SLOT_CAPACITIES,
  );
  const exhausted = random.chance(0.06);
  const used = exhausted ? capacity : random.chance(0.2) ? random.int(0, capacity - 1) : 0;

  const byLevel = (level: WorldUnit['level']) => world.units.filter((u) => u.level === level);
  // A city and one of its districts (a world may hold several cities).
  const city = random.pick(byLevel('city'));
  const districts = byLevel('district');
  const ofCity = districts.filter((d) => d.parentId === city.id);
  const districtOfCity = () => random.pick(ofCity.length > 0 ? ofCity : districts);
  const scope = random.next();
  let scopeUnit: WorldUnit | null = null;
  let scopeRegionPrefix: string | null = null;
  let online = false;
  let home: WorldUnit;
  if (scope < 0.3) {
    scopeUnit = random.pick(byLevel('grassroots'));
    home = scopeUnit;
  } else if (scope < 0.55) {
    home = random.pick(districts);
    if (random.chance(0.5)) scopeUnit = home;
    else scopeRegionPrefix = home.regionCode;
  } else if (scope < 0.7) {
    home = districtOfCity();
    scopeRegionPrefix = city.regionCode.slice(0, 4);
  } else if (scope < 0.8) {
    home = districtOfCity();
    scopeUnit = city;
    online = true;
  } else {
    home = random.pick(districts);
    scopeRegionPrefix = home.regionCode;
  }

  const window = random.next();
  const validFrom = window < 0.04 ? addDays(today, random.int(1, 30)) : addDays(today, -random.int(1, 120));
  const validUntil =
    window >= 0.04 && window < 0.08
      ? addDays(today, -random.int(1, Math.max(1, daysBetween(validFrom, today) - 1)))
      : addDays(today, random.int(30, 300));

  const categories: ArchiveCategory[] = random.chance(0.25)
    ? subset(random, ['dibao', 'marginal', 'accident'] as const, 1)
    : [];
  const causes: Cause[] =
    random.chance(0.15) && (category === 'medical' || category === 'tuition')
      ? category === 'medical'
        ? ['illness', 'disability']
        : ['schooling']
      : [];
  const employment: EmploymentStatus[] =
    category === 'employment' && random.chance(0.3) ? ['laid_off', 'contract_terminated'] : [];
  const aged = category === 'training' || category === 'employment';
  const ageMin = aged && random.chance(0.6) ? 18 : category === 'care' && random.chance(0.3) ? 60 : null;
  const ageMax = aged && random.chance(0.6) ? random.pick([45, 50, 55, 60]) : null;
  const incomeFactor = kind === 'cash' && random.chance(0.4) ? random.pick(['1.50', '2.00', '2.50']) : null;

  return {
    title: `${home.name.replace(/总工会|工会$/, '')}${random.pick(TITLES[category] ?? ['帮扶服务'])}`.slice(
      0,
      100,
    ),
    description: DESCRIPTIONS[category] ?? '帮扶服务',
    itemCodes,
    kind,
    capacity,
    remaining: capacity - used,
    amountPerBeneficiaryFen: kind === 'cash' ? random.pick(CASH_YUAN[category] ?? [1000]) * 100 : null,
    scopeUnitId: scopeUnit?.id ?? null,
    scopeRegionPrefix,
    online,
    regionCode: home.regionCode,
    validFrom: validFrom <= validUntil ? validFrom : validUntil,
    validUntil,
    eligibility: { categories, causes, employment, ageMin, ageMax, incomeFactor },
    perHouseholdLimit: kind === 'cash' ? 1 : random.chance(0.8) ? 1 : 2,
    cooldownDays: kind === 'cash' ? random.pick([0, 180, 365]) : 0,
  };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function generateOffers(
  random: Random,
  world: World,
  items: readonly MenuItemInfo[],
  count: number,
  today: string,
): SyntheticOffer[] {
  return Array.from({ length: count }, () => drawOffer(random, world, items, today));
}
