import type { EntityManager } from 'typeorm';
import type { FieldCipher } from '../../common/crypto/field-cipher';
import { offerContactPhoneField } from '../../common/crypto/stored-fields';
import type { ArchiveCategory, Cause, EmploymentStatus } from '../../modules/archives/archive.enums';
import type { OfferKind, OfferReturnReason, OfferState } from '../../modules/offers/offers.enums';
import { findOfferTransition, type OfferCommand } from '../../modules/offers/rules/offer-transitions.rule';
import { DEMO_LEDGER_RECORDER_ID } from './demo-archives.seed';
import { DEMO_PARTNER_IDS, DEMO_PARTNERS } from './demo-partners.seed';
import { Random } from './demo-random';
import type { DemoOrgTree, DemoOrgUnitKey } from './org-tree.seed';

/**
 * About 90 demo offers (供给) of the demo partners and of the unions' own programmes, in every
 * state: drafts (some returned by a reviewer with reasons), waiting for review, published, paused, and
 * closed as expired, withdrawn or — the suspended partner's — partner_suspended. (`exhausted` comes with
 * matches, which use capacity.) The suspended partner also keeps one published offer, hidden from
 * workers and the matcher while it is suspended.
 *
 * Each offer is created as a draft and moved through the offer state machine, each move an UPDATE the
 * database's transition trigger checks and a history row, by the partner's demo account where there is
 * one, by a demo reviewer (or approver, for union programmes) where the tree has one, else entered from
 * the paper ledger. Contact phones are synthetic and encrypted. `npm run seed:demo` rebuilds the
 * `offers` index afterwards.
 */

interface Template {
  /** A demo partner id, or `union:<unit>` for that unit's union programme. */
  partner: string;
  title: string;
  description: string;
  items: string[];
  kind: OfferKind;
  capacity: number;
  /** Cash offers: fen per beneficiary. */
  amountFen?: number;
  online?: boolean;
  /** Scope: a subtree, a region prefix, or both. */
  scopeUnit?: DemoOrgUnitKey;
  scopeRegion?: string;
  regionCode: string;
  address?: string;
  eligibility?: {
    categories?: ArchiveCategory[];
    causes?: Cause[];
    employment?: EmploymentStatus[];
    ageMin?: number;
    ageMax?: number;
    incomeFactor?: string;
  };
  perHouseholdLimit?: number;
  cooldownDays?: number;
  contactName: string;
}

const P = DEMO_PARTNER_IDS;
const EMPLOYMENT_BUREAU = P.employmentBureau;
const GONGSHU_CIVIL_AFFAIRS = '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b03';
const YINZHOU_LEGAL_AID = '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b04';
const HAISHU_SOCIAL_WORK = '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b06';
const NINGBO_APPLIANCES = '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b08';
const GONGSHU_SCHOOL = '0b7c3a52-5f1e-4c1a-9a57-3d2f0e6a1b09';

// prettier-ignore
const TEMPLATES: readonly Template[] = [
  { partner: EMPLOYMENT_BUREAU, title: '低压电工特种作业培训班', description: '20 天脱产培训，含考证费用，培训期间每天补贴 50 元', items: ['training_electrician'], kind: 'slots', capacity: 30, scopeRegion: '330106', regionCode: '330106', address: '西湖区文三路某某职业技能实训基地', eligibility: { ageMin: 18, ageMax: 60 }, contactName: '周老师' },
  { partner: EMPLOYMENT_BUREAU, title: '公益性岗位（社区保洁、治安巡防）', description: '社区公益性岗位，每月 2300 元，缴纳社保', items: ['job_public_welfare'], kind: 'slots', capacity: 12, scopeRegion: '330106', regionCode: '330106', eligibility: { employment: ['laid_off', 'contract_terminated'], ageMin: 40, ageMax: 60 }, contactName: '周科长' },
  { partner: EMPLOYMENT_BUREAU, title: '春风行动专场招聘会', description: '百余家企业现场招聘，提供岗位推荐与面试辅导', items: ['job_fair', 'job_flexible'], kind: 'slots', capacity: 200, scopeUnit: 'hangzhou', regionCode: '330106', contactName: '周科长' },
  { partner: EMPLOYMENT_BUREAU, title: '社保医保办理一对一指引', description: '线上视频指导社保接续、医保报销办理', items: ['policy_social_insurance', 'policy_consultation'], kind: 'slots', capacity: 100, online: true, scopeUnit: 'xihu', regionCode: '330106', contactName: '周科长' },
  { partner: GONGSHU_CIVIL_AFFAIRS, title: '临时生活救助金', description: '突发困难家庭临时生活救助，每户 3000 元', items: ['relief_temporary'], kind: 'cash', capacity: 40, amountFen: 300_000, scopeRegion: '330105', regionCode: '330105', eligibility: { incomeFactor: '1.50' }, perHouseholdLimit: 1, cooldownDays: 180, contactName: '钱科长' },
  { partner: GONGSHU_CIVIL_AFFAIRS, title: '冬季送温暖棉衣棉被', description: '每户棉被两床、棉衣两件', items: ['goods_winter_clothing'], kind: 'goods', capacity: 300, scopeRegion: '330105', regionCode: '330105', contactName: '钱科长' },
  { partner: YINZHOU_LEGAL_AID, title: '劳动争议免费代理', description: '律师代理劳动仲裁与诉讼，全程免费', items: ['legal_labour_dispute', 'legal_wage_arrears'], kind: 'slots', capacity: 25, scopeRegion: '330212', regionCode: '330212', address: '鄞州区某某路法律援助中心', contactName: '孙律师' },
  { partner: YINZHOU_LEGAL_AID, title: '线上法律咨询', description: '每周二、四晚线上答疑', items: ['legal_consultation'], kind: 'slots', capacity: 150, online: true, scopeRegion: '3302', regionCode: '330212', contactName: '孙主任' },
  { partner: P.charity, title: '金秋助学（大专/本科）', description: '困难职工子女考入大专、本科，每人一次性资助 5000 元', items: ['tuition_college'], kind: 'cash', capacity: 60, amountFen: 500_000, scopeUnit: 'hangzhou', regionCode: '330100', eligibility: { categories: ['dibao', 'marginal'], causes: ['schooling', 'illness', 'low_income'] }, perHouseholdLimit: 2, cooldownDays: 300, contactName: '吴秘书' },
  { partner: P.charity, title: '金秋助学（普通高中、中职）', description: '每人每学年资助 2000 元', items: ['tuition_senior_high', 'tuition_vocational'], kind: 'cash', capacity: 80, amountFen: 200_000, scopeUnit: 'hangzhou', regionCode: '330100', eligibility: { categories: ['dibao', 'marginal'] }, perHouseholdLimit: 2, cooldownDays: 300, contactName: '吴秘书' },
  { partner: P.charity, title: '大病医疗补充救助', description: '医保报销后自付部分按比例救助，每人 1 万元', items: ['medical_serious_illness'], kind: 'cash', capacity: 20, amountFen: 1_000_000, scopeUnit: 'hangzhou', regionCode: '330100', eligibility: { causes: ['illness', 'disability'], incomeFactor: '2.00' }, cooldownDays: 365, contactName: '吴秘书' },
  { partner: HAISHU_SOCIAL_WORK, title: '困难家庭心理疏导', description: '专业社工每月两次上门或线上心理疏导', items: ['counseling_psychological', 'counseling_family'], kind: 'slots', capacity: 40, scopeRegion: '330203', regionCode: '330203', contactName: '郑社工' },
  { partner: HAISHU_SOCIAL_WORK, title: '独居老人上门照护', description: '每周一次上门探访、代购、清洁', items: ['care_home_visit'], kind: 'slots', capacity: 30, scopeRegion: '330203', regionCode: '330203', eligibility: { ageMin: 60 }, contactName: '郑社工' },
  { partner: NINGBO_APPLIANCES, title: '取暖电器捐赠', description: '油汀取暖器、电热毯，每户限领一件', items: ['goods_appliance'], kind: 'goods', capacity: 150, scopeRegion: '3302', regionCode: '330212', contactName: '冯经理' },
  { partner: NINGBO_APPLIANCES, title: '装配工岗位定向招聘', description: '包吃住，月薪 5000 元起，优先录用困难职工家庭成员', items: ['job_fair'], kind: 'slots', capacity: 35, scopeRegion: '3302', regionCode: '330212', eligibility: { ageMin: 18, ageMax: 50 }, contactName: '冯经理' },
  { partner: GONGSHU_SCHOOL, title: '家政服务员（育婴、养老护理）培训', description: '30 天培训，结业推荐上岗', items: ['training_housekeeping'], kind: 'slots', capacity: 40, scopeUnit: 'hangzhou', regionCode: '330105', eligibility: { ageMin: 18, ageMax: 55 }, contactName: '陈校长' },
  { partner: GONGSHU_SCHOOL, title: '电商直播运营线上班', description: '线上直播课 + 实操辅导', items: ['training_ecommerce'], kind: 'slots', capacity: 60, online: true, scopeUnit: 'hangzhou', regionCode: '330105', contactName: '陈校长' },
  { partner: P.company, title: '米面油爱心礼包', description: '大米 10 斤、食用油 5 升、面粉 5 斤', items: ['goods_grain_oil'], kind: 'goods', capacity: 200, scopeRegion: '330106', regionCode: '330106', contactName: '爱心企业联络人' },
  { partner: P.company, title: '焊工实训与推荐就业', description: '合作工厂实训 15 天，考核合格直接录用', items: ['training_welder'], kind: 'slots', capacity: 15, scopeRegion: '330106', regionCode: '330106', eligibility: { ageMin: 18, ageMax: 55 }, contactName: '爱心企业联络人' },
  { partner: P.volunteers, title: '“红马甲”上门照护', description: '志愿者每周上门陪护、理发、代办', items: ['care_home_visit', 'care_home_repair'], kind: 'slots', capacity: 50, scopeUnit: 'xihu', regionCode: '330106', contactName: '卫队长' },
  { partner: P.volunteers, title: '困难职工子女课业辅导', description: '大学生志愿者周末一对一辅导', items: ['care_tutoring'], kind: 'slots', capacity: 40, scopeUnit: 'xihu', regionCode: '330106', eligibility: { ageMax: 18 }, contactName: '卫队长' },
  { partner: 'union:xihu-gr-1', title: '送温暖慰问金', description: '元旦春节送温暖，每户 1000 元', items: ['relief_warmth'], kind: 'cash', capacity: 30, amountFen: 100_000, scopeUnit: 'xihu-gr-1', regionCode: '330106', eligibility: { categories: ['dibao', 'marginal', 'accident'] }, cooldownDays: 300, contactName: '工会主席' },
  { partner: 'union:xihu-gr-1', title: '职工免费健康体检', description: '合作医院全套体检', items: ['medical_checkup'], kind: 'slots', capacity: 60, scopeUnit: 'xihu-gr-1', regionCode: '330106', contactName: '工会主席' },
];

/**
 * The unions' own programmes (临时救助, 住院慰问, 金秋助学, 培训, 法律援助 …) of 西湖区 grassroots union 1 and of
 * the 杭州市 federation, published: what the demo matches (demo-matches.seed.ts) serve most needs of the
 * city with, since the partners' offers above cover few of the items households order. Union programmes are
 * run by union staff, who accept and deliver them (the partners without demo accounts cannot). Amounts
 * stay well under the aid ledger's one-off cap (20,000 元).
 */
// prettier-ignore
const PROGRAMME_TEMPLATES: readonly Template[] = [
  { partner: 'union:xihu-gr-1', title: '困难职工临时救助金', description: '突发变故、受灾家庭临时生活救助，每户 2000 元', items: ['relief_temporary', 'relief_disaster'], kind: 'cash', capacity: 20, amountFen: 200_000, scopeUnit: 'xihu-gr-1', regionCode: '330106', cooldownDays: 180, contactName: '工会主席' },
  { partner: 'union:xihu-gr-1', title: '住院职工慰问金', description: '住院职工每人慰问 500 元', items: ['medical_hospital_visit'], kind: 'cash', capacity: 30, amountFen: 50_000, scopeUnit: 'xihu-gr-1', regionCode: '330106', contactName: '工会主席' },
  { partner: 'union:xihu-gr-1', title: '冬季家电慰问品', description: '取暖器、电饭煲等小家电，每户一件', items: ['goods_appliance'], kind: 'goods', capacity: 40, scopeUnit: 'xihu-gr-1', regionCode: '330106', contactName: '工会主席' },
  { partner: 'union:xihu-gr-1', title: '工会法律服务站', description: '每周三律师坐班，劳动争议、欠薪咨询与代理', items: ['legal_consultation', 'legal_labour_dispute', 'legal_wage_arrears'], kind: 'slots', capacity: 30, scopeUnit: 'xihu-gr-1', regionCode: '330106', contactName: '工会主席' },
  { partner: 'union:xihu-gr-1', title: '职工心理关爱', description: '心理咨询师进企业，一对一疏导', items: ['counseling_psychological', 'counseling_family'], kind: 'slots', capacity: 20, scopeUnit: 'xihu-gr-1', regionCode: '330106', contactName: '工会主席' },
  { partner: 'union:xihu-gr-1', title: '政策咨询进企业', description: '社保、医保、低保政策面对面解答', items: ['policy_social_insurance', 'policy_consultation'], kind: 'slots', capacity: 50, scopeUnit: 'xihu-gr-1', regionCode: '330106', contactName: '工会主席' },
  { partner: 'union:hangzhou', title: '市总工会临时救助金', description: '困难职工家庭突发困难临时救助，每户 2000 元', items: ['relief_temporary', 'relief_disaster'], kind: 'cash', capacity: 30, amountFen: 200_000, scopeUnit: 'hangzhou', regionCode: '330100', cooldownDays: 180, contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会住院慰问', description: '住院困难职工每人慰问 500 元', items: ['medical_hospital_visit'], kind: 'cash', capacity: 40, amountFen: 50_000, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会困难职工体检', description: '合作医院全套体检', items: ['medical_checkup'], kind: 'slots', capacity: 60, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会心理疏导', description: '专业社工上门或到站心理疏导', items: ['counseling_psychological', 'counseling_family'], kind: 'slots', capacity: 30, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会物资慰问', description: '米面油、棉衣棉被、家电等慰问物资', items: ['goods_grain_oil', 'goods_winter_clothing', 'goods_appliance', 'goods_school_supplies'], kind: 'goods', capacity: 100, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会金秋助学', description: '困难职工子女入学资助，每人 2000 元', items: ['tuition_senior_high', 'tuition_vocational', 'tuition_college', 'tuition_postgraduate'], kind: 'cash', capacity: 40, amountFen: 200_000, scopeUnit: 'hangzhou', regionCode: '330100', perHouseholdLimit: 2, contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会技能培训补贴班', description: '电工、焊工、家政、厨师、电商等培训名额，学费全免', items: ['training_electrician', 'training_welder', 'training_housekeeping', 'training_cook', 'training_ecommerce'], kind: 'slots', capacity: 40, scopeUnit: 'hangzhou', regionCode: '330100', eligibility: { ageMin: 18, ageMax: 60 }, contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会职工法律援助', description: '工会律师免费咨询、调解与代理', items: ['legal_consultation', 'legal_labour_dispute', 'legal_wage_arrears'], kind: 'slots', capacity: 40, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会志愿关爱', description: '志愿者上门探访、维修、课业辅导', items: ['care_home_visit', 'care_home_repair', 'care_tutoring'], kind: 'slots', capacity: 40, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会政策咨询', description: '帮扶、社保、医保政策一对一解答', items: ['policy_consultation', 'policy_social_insurance'], kind: 'slots', capacity: 60, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
  { partner: 'union:hangzhou', title: '市总工会就业援助', description: '公益性岗位与创业指导推荐', items: ['job_public_welfare', 'job_entrepreneurship', 'job_flexible'], kind: 'slots', capacity: 20, scopeUnit: 'hangzhou', regionCode: '330100', contactName: '市总工会帮扶中心' },
];

/** The suspended partner's two offers: one still published (hidden while suspended), one closed for it. */
// prettier-ignore
const SUSPENDED_TEMPLATES: readonly Template[] = [
  { partner: P.suspendedPharmacy, title: '爱心药品发放', description: '常用慢性病药品每月一次', items: ['medical_checkup'], kind: 'slots', capacity: 100, scopeRegion: '330106', regionCode: '330106', contactName: '褚店长' },
  { partner: P.suspendedPharmacy, title: '住院慰问金', description: '住院职工每人 500 元', items: ['medical_hospital_visit'], kind: 'cash', capacity: 50, amountFen: 50_000, scopeRegion: '330106', regionCode: '330106', contactName: '褚店长' },
];

/** How many offers end in each state (with the closing reason), besides the suspended partner's two. */
type Plan = 'draft' | 'returned' | 'pending_review' | 'published' | 'paused' | 'expired' | 'withdrawn';
const PLAN_COUNTS: Record<Plan, number> = {
  draft: 5,
  returned: 4,
  pending_review: 10,
  published: 40,
  paused: 6,
  expired: 8,
  withdrawn: 5,
};

export const DEMO_OFFER_COUNTS = {
  draft: 9,
  pending_review: 10,
  published: 41 + PROGRAMME_TEMPLATES.length,
  paused: 6,
  closed: 14,
} as const;

const RANDOM_SEED = 20_261_206;
const DAY_MS = 86_400_000;

export interface DemoOffersResult {
  /** 0 when demo offers were already there (the seed is idempotent). */
  created: number;
  byState: Partial<Record<OfferState, number>>;
}

interface Step {
  command: OfferCommand | 'create';
  decision?: string;
  at: Date;
  actorId: string | null;
  actorKind: 'partner' | 'staff' | 'system';
  reasons?: string[];
  note?: string;
}

/** Seeds the demo offers unless the database has offers already. Needs the menu, partners and accounts. */
export async function seedDemoOffers(
  manager: EntityManager,
  tree: DemoOrgTree,
  deps: { cipher: FieldCipher; now: Date },
): Promise<DemoOffersResult> {
  const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM offers`);
  if (n > 0) return { created: 0, byState: {} };
  const items = new Map<string, string>(
    (await manager.query(`SELECT code, id FROM menu_items`)).map((r: { code: string; id: string }) => [
      r.code,
      r.id,
    ]),
  );
  const users: Array<{ id: string; username: string; partner_id: string | null }> = await manager.query(
    `SELECT id, username, partner_id FROM users`,
  );
  const userId = (username: string) => users.find((u) => u.username === username)?.id ?? null;
  const partnerAccount = (partnerId: string) => users.find((u) => u.partner_id === partnerId)?.id ?? null;
  const unionPartner = async (unit: DemoOrgUnitKey): Promise<string> =>
    (
      await manager.query(`SELECT id FROM partners WHERE kind = 'union' AND org_unit_id = $1`, [
        tree[unit].id,
      ])
    )[0].id;
  const reviewerFor = (partnerId: string): string | null => {
    const unit = DEMO_PARTNERS.find((p) => p.id === partnerId)?.unit;
    return unit === 'xihu' ? userId('xh.reviewer') : null;
  };

  const random = new Random(RANDOM_SEED);
  const now = deps.now;
  const plans: Plan[] = (Object.entries(PLAN_COUNTS) as Array<[Plan, number]>).flatMap(([plan, count]) =>
    Array.from({ length: count }, () => plan),
  );
  const byState: Partial<Record<OfferState, number>> = {};
  const work: Array<{
    template: Template;
    plan: Plan | 'suspended-published' | 'suspended-closed';
    round: number;
  }> = plans.map((plan, i) => ({
    template: TEMPLATES[i % TEMPLATES.length],
    plan,
    round: Math.floor(i / TEMPLATES.length),
  }));
  for (const template of PROGRAMME_TEMPLATES) work.push({ template, plan: 'published', round: 0 });
  work.push({ template: SUSPENDED_TEMPLATES[0], plan: 'suspended-published', round: 0 });
  work.push({ template: SUSPENDED_TEMPLATES[1], plan: 'suspended-closed', round: 0 });

  for (const { template: t, plan, round } of work) {
    const union = t.partner.startsWith('union:');
    const partnerId = union ? await unionPartner(t.partner.slice(6) as DemoOrgUnitKey) : t.partner;
    // A union's programmes are written by its own staff: the grassroots union's or the city's caseworker.
    const author = union
      ? userId(t.partner === 'union:hangzhou' ? 'hz.caseworker' : 'gr1.caseworker')
      : partnerAccount(partnerId);
    const reviewer = union
      ? userId(t.partner === 'union:hangzhou' ? 'hz.approver' : 'xh.approver')
      : reviewerFor(partnerId);
    const ledger = (id: string | null) => (id === null ? { note: '按纸质台账补录' } : {});
    const authorStep = (command: OfferCommand | 'create', at: Date, extra: Partial<Step> = {}): Step => ({
      command,
      at,
      actorId: author,
      actorKind: union ? 'staff' : 'partner',
      ...ledger(author),
      ...extra,
    });
    const reviewerStep = (command: OfferCommand, at: Date, extra: Partial<Step> = {}): Step => ({
      command,
      at,
      actorId: reviewer,
      actorKind: 'staff',
      ...ledger(reviewer),
      ...extra,
    });

    // Past offers (expired) ran their whole window before now; the others are valid for a while yet.
    const created =
      plan === 'expired'
        ? new Date(now.getTime() - random.int(200, 400) * DAY_MS)
        : new Date(
            now.getTime() - random.int(plan === 'draft' || plan === 'pending_review' ? 2 : 20, 120) * DAY_MS,
          );
    const validFrom = dayOf(new Date(created.getTime() + 7 * DAY_MS));
    const validUntil =
      plan === 'expired'
        ? dayOf(new Date(created.getTime() + random.int(60, 150) * DAY_MS))
        : dayOf(new Date(now.getTime() + random.int(30, 300) * DAY_MS));
    const submitted = new Date(created.getTime() + random.int(1, 2) * DAY_MS);
    const reviewed = new Date(submitted.getTime() + random.int(1, 3) * DAY_MS);
    const steps: Step[] = [authorStep('create', created)];
    switch (plan) {
      case 'draft':
        break;
      case 'returned':
        steps.push(authorStep('submit', submitted));
        steps.push(
          reviewerStep('return', reviewed, {
            reasons: [
              random.pick<OfferReturnReason>([
                'eligibility_unclear',
                'scope_too_wide',
                'description_insufficient',
              ]),
            ],
          }),
        );
        break;
      case 'pending_review':
        steps.push(authorStep('submit', submitted));
        break;
      default: {
        steps.push(authorStep('submit', submitted), reviewerStep('publish', reviewed));
        const later = (days: number) =>
          new Date(Math.min(reviewed.getTime() + days * DAY_MS, now.getTime() - DAY_MS));
        if (plan === 'paused') steps.push(authorStep('pause', later(random.int(5, 30))));
        if (plan === 'withdrawn')
          steps.push(
            authorStep('close', later(random.int(5, 30)), { decision: 'withdrawn', reasons: ['withdrawn'] }),
          );
        if (plan === 'expired')
          steps.push({
            command: 'close',
            decision: 'expired',
            reasons: ['expired'],
            at: new Date(Date.parse(`${validUntil}T16:00:00Z`) + DAY_MS / 12),
            actorId: null,
            actorKind: 'system',
          });
        if (plan === 'suspended-closed')
          steps.push({
            command: 'close',
            decision: 'partner_suspended',
            reasons: ['partner_suspended'],
            at: later(10),
            actorId: userId('xh.reviewer'),
            actorKind: 'staff',
            note: '合作方暂停期间撤下',
          });
      }
    }

    const id = await insertOffer(manager, deps.cipher, {
      t: { ...t, title: round === 0 ? t.title : `${t.title}（第${round + 1}期）` },
      partnerId,
      itemIds: t.items.map((code) => {
        const itemId = items.get(code);
        if (!itemId) throw new Error(`演示供给: 服务菜单中没有 ${code}`);
        return itemId;
      }),
      scopeUnitId: t.scopeUnit ? tree[t.scopeUnit].id : null,
      validFrom,
      validUntil,
      phone: `1360000${String(1000 + [...TEMPLATES, ...PROGRAMME_TEMPLATES].indexOf(t)).padStart(4, '0')}`,
      first: steps[0],
    });
    let state: OfferState = 'draft';
    let version = 1;
    for (const step of steps.slice(1)) {
      const transition = findOfferTransition(state, step.command as OfferCommand, step.decision);
      if (!transition) throw new Error(`演示供给: ${state} 不能 ${step.command}`);
      version += 1;
      await manager.query(
        `UPDATE offers SET state = $2, state_changed_at = $3, updated_at = $3, version = $4,
                closed_reason = $5, return_reasons = $6,
                submitted_by = CASE WHEN $7 THEN $8::uuid ELSE submitted_by END,
                published_at = CASE WHEN $9 THEN $3 ELSE published_at END
          WHERE id = $1`,
        [
          id,
          transition.to,
          step.at,
          version,
          transition.to === 'closed' ? transition.decision : null,
          step.command === 'return' ? step.reasons : [],
          step.command === 'submit',
          step.actorId ?? DEMO_LEDGER_RECORDER_ID,
          step.command === 'publish',
        ],
      );
      await insertHistory(manager, id, step, state, transition.to);
      state = transition.to;
    }
    byState[state] = (byState[state] ?? 0) + 1;
  }
  return { created: work.length, byState };
}

async function insertOffer(
  manager: EntityManager,
  cipher: FieldCipher,
  o: {
    t: Template;
    partnerId: string;
    itemIds: string[];
    scopeUnitId: string | null;
    validFrom: string;
    validUntil: string;
    phone: string;
    first: Step;
  },
): Promise<string> {
  const { t } = o;
  const [{ id }] = await manager.query(`SELECT gen_random_uuid() AS id`);
  const e = t.eligibility ?? {};
  await manager.query(
    `INSERT INTO offers (id, partner_id, title, description, kind, capacity, amount_per_beneficiary_fen,
                         reserved, used, remaining, elig_categories, elig_causes, elig_employment, age_min,
                         age_max, income_factor, requires_active_archive, scope_org_unit_id,
                         scope_region_prefix, online, region_code, address, valid_from, valid_until,
                         per_household_limit, cooldown_days, contact_name, contact_phone_ciphertext, state,
                         created_by, state_changed_at, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $6, $8, $9, $10, $11, $12, $13, true, $14, $15, $16, $17,
             $18, $19, $20, $21, $22, $23, $24, 'draft', $25, $26, $26, $26, 1)`,
    [
      id,
      o.partnerId,
      t.title,
      t.description,
      t.kind,
      t.capacity,
      t.amountFen ?? null,
      e.categories ?? [],
      e.causes ?? [],
      e.employment ?? [],
      e.ageMin ?? null,
      e.ageMax ?? null,
      e.incomeFactor ?? null,
      o.scopeUnitId,
      t.scopeRegion ?? null,
      t.online ?? false,
      t.regionCode,
      t.address ?? null,
      o.validFrom,
      o.validUntil,
      t.perHouseholdLimit ?? 1,
      t.cooldownDays ?? 0,
      t.contactName,
      cipher.encrypt(o.phone, offerContactPhoneField(id)),
      o.first.actorId ?? DEMO_LEDGER_RECORDER_ID,
      o.first.at,
    ],
  );
  for (const [position, itemId] of o.itemIds.entries())
    await manager.query(`INSERT INTO offer_items (offer_id, menu_item_id, position) VALUES ($1, $2, $3)`, [
      id,
      itemId,
      position,
    ]);
  await insertHistory(manager, id, o.first, null, 'draft');
  return id;
}

async function insertHistory(
  manager: EntityManager,
  offerId: string,
  step: Step,
  from: OfferState | null,
  to: OfferState,
): Promise<void> {
  await manager.query(
    `INSERT INTO offer_history (offer_id, at, actor_id, actor_kind, command, from_state, to_state, reasons, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      offerId,
      step.at,
      step.actorId,
      step.actorKind,
      step.command,
      from,
      to,
      step.reasons ?? [],
      step.note ?? null,
    ],
  );
}

/** YYYY-MM-DD in China time. */
function dayOf(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
