/**
 * The one synthetic-data generator (STYLE.md) behind the demo seed and the benchmarks, so both show the
 * same world: a city with districts and grassroots unions, households with the distributions of a real
 * union, the needs they order over the menu items (by primary cause) with their terms, and partner offers
 * of every kind (synthetic-offers.ts). Pure (no database, no
 * NestJS): deterministic from the `Random` it is given, so a seed reproduces a world.
 *
 * Households (issue 12 §5, as a grassroots union's archive looks):
 * - about 90 % of heads of household are over 50 (HEAD_OVER_50_SHARE);
 * - the primary cause (致困原因) is illness, schooling or low employment (`unemployment` 失业 and
 *   `low_income` 收入低) for about 88 % of households — the mix over all categories;
 * - categories 低保户 (`dibao`) / 低保边缘户 (`marginal`) / 意外致困户 (`accident`), each with the primary
 *   causes the category rules accept (MARGINAL_PRIMARY_CAUSES, ACCIDENT_PRIMARY_CAUSES).
 * The unit tests (synthetic-world.spec.ts) check these shares on 10k households.
 */
import type {
  ArchiveCategory,
  ArchiveKind,
  Cause,
  EmploymentStatus,
} from '../../../modules/archives/archive.enums';
import type { NeedMode, NeedUrgency } from '../../../modules/needs/needs.enums';
import { Random } from '../demo-random';

// ── the city ────────────────────────────────────────────────────────────────────────────────

export type WorldLevel = 'city' | 'district' | 'grassroots';

/** An org unit of the synthetic world: an id (a key here, the database id once seeded) and its GB/T 2260 code. */
export interface WorldUnit {
  id: string;
  name: string;
  level: WorldLevel;
  /** The parent's id; null for the city. */
  parentId: string | null;
  /** Real GB/T 2260 code: the city's (e.g. 330100), a district's (330106); grassroots carry their district's. */
  regionCode: string;
  /** Mostly migrant workers (logistics, express delivery, a wholesale market). */
  migrantHeavy: boolean;
}

export interface World {
  units: readonly WorldUnit[];
}

/** Hangzhou's districts (real codes), in the order a synthetic city takes them. */
const HANGZHOU_DISTRICTS: ReadonlyArray<[string, string]> = [
  ['330102', '上城区'],
  ['330105', '拱墅区'],
  ['330106', '西湖区'],
  ['330108', '滨江区'],
  ['330109', '萧山区'],
  ['330110', '余杭区'],
  ['330111', '富阳区'],
  ['330112', '临安区'],
  ['330113', '临平区'],
  ['330114', '钱塘区'],
];
const UNION_KINDS = [
  '某某机械有限公司工会',
  '某某街道联合工会',
  '某某物流有限公司工会',
  '某某商贸城联合工会',
];

/** A city federation with `districts` district federations and `unionsPerDistrict` grassroots unions each. */
export function syntheticCity(options: { districts?: number; unionsPerDistrict?: number } = {}): World {
  const districts = Math.min(options.districts ?? 6, HANGZHOU_DISTRICTS.length);
  const perDistrict = options.unionsPerDistrict ?? 5;
  const units: WorldUnit[] = [
    {
      id: 'city',
      name: '杭州市总工会',
      level: 'city',
      parentId: null,
      regionCode: '330100',
      migrantHeavy: false,
    },
  ];
  for (const [code, name] of HANGZHOU_DISTRICTS.slice(0, districts)) {
    const district = `d${code}`;
    units.push({
      id: district,
      name: `杭州市${name}总工会`,
      level: 'district',
      parentId: 'city',
      regionCode: code,
      migrantHeavy: false,
    });
    for (let u = 0; u < perDistrict; u++) {
      const kind = UNION_KINDS[u % UNION_KINDS.length];
      units.push({
        id: `${district}-gr-${u + 1}`,
        name: `${name}${kind}`,
        level: 'grassroots',
        parentId: district,
        regionCode: code,
        // The logistics and market unions are mostly migrant workers.
        migrantHeavy: kind.includes('物流') || kind.includes('商贸城'),
      });
    }
  }
  return { units };
}

// ── households ──────────────────────────────────────────────────────────────────────────────

export const HEAD_OVER_50_SHARE = 0.9;
/** The leading primary causes: illness, schooling and low employment (失业, 收入低). */
export const LEADING_CAUSES: readonly Cause[] = ['illness', 'schooling', 'unemployment', 'low_income'];
export const LEADING_CAUSES_SHARE = 0.88;

/** 低保户: mostly the leading causes; disability, single parents and others make up the rest. */
const DIBAO_PRIMARY_CAUSE_WEIGHTS: ReadonlyArray<[Cause, number]> = [
  ['illness', 36],
  ['schooling', 20],
  ['unemployment', 14],
  ['low_income', 18],
  ['disability', 7],
  ['single_parent', 4],
  ['other', 1],
];
/** 低保边缘户 (相对困难): one of the federation's causes for the category (unemployment, illness, schooling, accident). */
const MARGINAL_PRIMARY_CAUSE_WEIGHTS: ReadonlyArray<[Cause, number]> = [
  ['illness', 45],
  ['schooling', 32],
  ['unemployment', 20],
  ['accident', 3],
];
/** 意外致困户: a sudden accident, disaster or major illness. */
const ACCIDENT_PRIMARY_CAUSE_WEIGHTS: ReadonlyArray<[Cause, number]> = [
  ['accident', 50],
  ['illness', 35],
  ['disaster', 15],
];
/** Secondary causes that often come with a primary one. */
const SECONDARY_CAUSES: Partial<Record<Cause, readonly Cause[]>> = {
  illness: ['low_income', 'schooling'],
  schooling: ['low_income', 'illness'],
  unemployment: ['low_income', 'schooling'],
  low_income: ['schooling', 'illness'],
  disability: ['illness', 'low_income'],
  single_parent: ['schooling', 'low_income'],
  accident: ['illness'],
  disaster: ['low_income'],
};

export interface HouseholdProfile {
  kind: ArchiveKind;
  category: ArchiveCategory;
  primaryCause: Cause;
  /** The primary cause first. */
  causes: Cause[];
  /** Year of birth of the head of household. */
  headBirthYear: number;
  /** Born at least 52 years before `year`: over 50 all through `year`. */
  headOver50: boolean;
}

/**
 * Kind, category, primary cause and the head's year of birth of one household of a union in `year`.
 * (Four draws from `random` before the causes, in this order: the demo archive seed builds the rest of
 * the household on them.)
 */
export function drawHouseholdProfile(
  random: Random,
  context: { migrantUnit: boolean; year: number },
): HouseholdProfile {
  const kind: ArchiveKind =
    context.migrantUnit && random.chance(0.45) ? 'migrant' : random.chance(0.05) ? 'temporary' : 'formal';
  const category: ArchiveCategory =
    kind === 'temporary' || random.chance(0.05) ? 'accident' : random.chance(0.4) ? 'dibao' : 'marginal';
  const primaryCause = random.weighted(
    category === 'accident'
      ? ACCIDENT_PRIMARY_CAUSE_WEIGHTS
      : category === 'marginal'
        ? MARGINAL_PRIMARY_CAUSE_WEIGHTS
        : DIBAO_PRIMARY_CAUSE_WEIGHTS,
  );
  // Over 50: born 52–66 years ago (parents of students: 52–60); the others 36–49 (40–49).
  const over50 = random.chance(HEAD_OVER_50_SHARE);
  const schooling = primaryCause === 'schooling';
  const headBirthYear = over50
    ? context.year - random.int(52, schooling ? 60 : 66)
    : context.year - random.int(schooling ? 40 : 36, 49);
  const causes: Cause[] = [primaryCause];
  for (const extra of SECONDARY_CAUSES[primaryCause] ?? [])
    if (random.chance(0.3) && !causes.includes(extra)) causes.push(extra);
  return { kind, category, primaryCause, causes, headBirthYear, headOver50: over50 };
}

/** The employment status that goes with a profile: migrants, the laid-off, retirees (50 for women, 60 for men). */
export function employmentFor(
  random: Random,
  profile: Pick<HouseholdProfile, 'kind' | 'primaryCause'>,
  headAge: number,
  retirementAge: number,
): EmploymentStatus {
  if (profile.kind === 'migrant') return 'migrant_worker';
  if (profile.primaryCause === 'unemployment') return random.chance(0.6) ? 'laid_off' : 'contract_terminated';
  return headAge >= retirementAge ? 'retired' : 'employed';
}

/** `count` household profiles spread over the world's grassroots unions (round robin). */
export function generateHouseholds(
  random: Random,
  world: World,
  count: number,
  year: number,
): Array<HouseholdProfile & { unitId: string }> {
  const unions = world.units.filter((u) => u.level === 'grassroots');
  return Array.from({ length: count }, (_, i) => {
    const unit = unions[i % unions.length];
    return { unitId: unit.id, ...drawHouseholdProfile(random, { migrantUnit: unit.migrantHeavy, year }) };
  });
}

// ── needs ───────────────────────────────────────────────────────────────────────────────────

/** The menu categories a household orders from, by its primary cause (weights): what its hardship calls for. */
const CATEGORY_WEIGHTS_BY_CAUSE: Partial<Record<Cause, ReadonlyArray<[string, number]>>> = {
  illness: [
    ['medical', 6],
    ['relief', 3],
    ['care', 2],
    ['donation', 2],
    ['counseling', 1],
    ['policy', 1],
  ],
  schooling: [
    ['tuition', 7],
    ['donation', 2],
    ['care', 1],
    ['policy', 1],
  ],
  unemployment: [
    ['training', 4],
    ['employment', 5],
    ['relief', 1],
    ['legal', 1],
    ['policy', 1],
  ],
  low_income: [
    ['employment', 3],
    ['training', 2],
    ['donation', 3],
    ['relief', 2],
    ['policy', 1],
  ],
  disability: [
    ['care', 4],
    ['medical', 2],
    ['donation', 2],
    ['policy', 1],
  ],
  accident: [
    ['relief', 4],
    ['medical', 3],
    ['legal', 2],
    ['counseling', 1],
  ],
  disaster: [
    ['relief', 5],
    ['donation', 3],
    ['care', 1],
  ],
  single_parent: [
    ['tuition', 3],
    ['care', 2],
    ['counseling', 2],
    ['employment', 2],
    ['donation', 1],
  ],
};
const ANY_CATEGORY: ReadonlyArray<[string, number]> = [
  ['donation', 3],
  ['relief', 2],
  ['policy', 2],
  ['legal', 1],
  ['counseling', 1],
];

/** The menu category a household with this primary cause orders from (null or unknown: any common one). */
export function drawNeedCategory(random: Random, primaryCause: Cause | null): string {
  return random.weighted((primaryCause && CATEGORY_WEIGHTS_BY_CAUSE[primaryCause]) || ANY_CATEGORY);
}

export interface SyntheticNeed {
  /** Index of the household in the list the needs were generated for. */
  household: number;
  itemCode: string;
  category: string;
  urgency: NeedUrgency;
  mode: NeedMode;
}

/**
 * `perHousehold` needs on average (1–2·perHousehold each) over the menu items (code and category), the
 * category chosen by the household's primary cause, the item uniformly within it, then the terms.
 */
export function generateNeeds(
  random: Random,
  households: ReadonlyArray<Pick<HouseholdProfile, 'primaryCause'>>,
  items: ReadonlyArray<{ code: string; category: string }>,
  perHousehold = 1.5,
): SyntheticNeed[] {
  const needs: SyntheticNeed[] = [];
  households.forEach((h, household) => {
    const count = random.int(1, Math.max(1, Math.round(2 * perHousehold - 1)));
    for (let i = 0; i < count; i++) {
      const category = drawNeedCategory(random, h.primaryCause);
      const ofCategory = items.filter((item) => item.category === category);
      const item = random.pick(ofCategory.length > 0 ? ofCategory : items);
      needs.push({
        household,
        itemCode: item.code,
        category: item.category,
        ...drawNeedTerms(random, item.category),
      });
    }
  });
  return needs;
}

/** How urgent an order of a menu category is, and the mode the worker prefers. */
export function drawNeedTerms(random: Random, category: string): { urgency: NeedUrgency; mode: NeedMode } {
  const urgency =
    category === 'relief'
      ? random.weighted<NeedUrgency>([
          ['emergency', 4],
          ['urgent', 4],
          ['normal', 2],
        ])
      : random.weighted<NeedUrgency>([
          ['emergency', 1],
          ['urgent', 3],
          ['normal', 16],
        ]);
  const mode = random.weighted<NeedMode>([
    ['any', 6],
    ['onsite', 3],
    ['online', 1],
  ]);
  return { urgency, mode };
}
