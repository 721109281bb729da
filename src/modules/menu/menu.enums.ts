import { SCHOOLING_STAGES, type SchoolingStage } from '../archives/archive.enums';

/** The ten categories of the menu (DESIGN §2), in the order workers see them. */
export const MENU_CATEGORIES = [
  'training',
  'employment',
  'donation',
  'tuition',
  'medical',
  'legal',
  'counseling',
  'relief',
  'care',
  'policy',
] as const;
export type MenuCategory = (typeof MENU_CATEGORIES)[number];

export const MENU_CATEGORY_NAMES: Record<MenuCategory, string> = {
  training: '技能培训',
  employment: '就业岗位',
  donation: '物资捐赠',
  tuition: '金秋助学',
  medical: '医疗救助',
  legal: '法律援助/维权',
  counseling: '心理疏导',
  relief: '生活/临时救助',
  care: '志愿关爱',
  policy: '政策咨询',
};

/**
 * What a need of the item counts: `slots` (places on a course, a job referral, a consultation),
 * `goods` (pieces of a donation) or `yuan` (money, counted in fen).
 */
export const MENU_UNITS = ['slots', 'goods', 'yuan'] as const;
export type MenuUnit = (typeof MENU_UNITS)[number];

/**
 * Who a need of the item may be for: `worker` (the archive's head only), `any_member` (the head or any
 * member of the household), `member_in_stage` (a member in one of the item's schooling stages, e.g. a
 * child in senior high school for 金秋助学).
 */
export const MENU_BENEFICIARIES = ['worker', 'any_member', 'member_in_stage'] as const;
export type MenuBeneficiary = (typeof MENU_BENEFICIARIES)[number];

/** Schooling stages a tuition item can name (every stage but `none`). */
export const MENU_SCHOOLING_STAGES: readonly SchoolingStage[] = SCHOOLING_STAGES.filter((s) => s !== 'none');

/** `training_welder`, `tuition_college`: lower-case words joined by underscores, 3–40 characters. */
export const MENU_ITEM_CODE_PATTERN = /^[a-z][a-z0-9_]{2,39}$/;

/** Bounds of an item's numbers (also the database's checks). */
export const MENU_LIMITS = {
  nameMax: 40,
  descriptionMax: 300,
  tagMax: 20,
  tagsMax: 30,
  documentMax: 60,
  documentsMax: 15,
  slaDaysMax: 365,
  validityDaysMax: 730,
  /** 50,000 yuan in fen for a `yuan` item; 1,000 slots or pieces otherwise. */
  maxPerNeedYuanFen: 5_000_000,
  maxPerNeedCount: 1_000,
} as const;
