/** Archive vocabulary (GLOSSARY.md). Stored as these strings; shown in Chinese by the labels. */

export const ARCHIVE_KINDS = ['formal', 'temporary', 'migrant'] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

export const ARCHIVE_CATEGORIES = ['dibao', 'marginal', 'accident'] as const;
export type ArchiveCategory = (typeof ARCHIVE_CATEGORIES)[number];

/**
 * Identification workflow: draft → submitted (awaiting grassroots review) → verifying (unit above,
 * home visit) → approving → publicizing → active; side states returned / rejected; later exited,
 * cancelled, transferring.
 */
export const ARCHIVE_STATUSES = [
  'draft',
  'submitted',
  'verifying',
  'approving',
  'publicizing',
  'active',
  'returned',
  'rejected',
  'exited',
  'cancelled',
  'transferring',
] as const;
export type ArchiveStatus = (typeof ARCHIVE_STATUSES)[number];

/** Statuses of an archive still open (consents, temporary expiry): every status but the ended ones. */
export const OPEN_ARCHIVE_STATUSES: readonly ArchiveStatus[] = [
  'draft',
  'submitted',
  'verifying',
  'approving',
  'publicizing',
  'active',
  'returned',
  'transferring',
];

/**
 * Statuses in which a person counts as "in an archive" for the one-archive-per-household rule: from
 * submission on. A draft reserves no one — anyone could otherwise type other people's ID numbers into
 * drafts and block them from being archived anywhere; staff see other drafts as a warning instead.
 */
export const RESERVING_ARCHIVE_STATUSES: readonly ArchiveStatus[] = OPEN_ARCHIVE_STATUSES.filter(
  (s) => s !== 'draft',
);

/** Statuses in which an archive has ended; a worker holds at most one archive in any other status. */
export const ENDED_ARCHIVE_STATUSES: readonly ArchiveStatus[] = ['rejected', 'exited', 'cancelled'];

export const CAUSES = [
  'illness',
  'disability',
  'schooling',
  'unemployment',
  'low_income',
  'accident',
  'disaster',
  'single_parent',
  'other',
] as const;
export type Cause = (typeof CAUSES)[number];

/** 在职, 离退休, 下岗失业, 有偿解除劳动合同, 农民工. */
export const EMPLOYMENT_STATUSES = [
  'employed',
  'retired',
  'laid_off',
  'contract_terminated',
  'migrant_worker',
] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

export const RELATIONS = [
  'spouse',
  'child',
  'parent',
  'sibling',
  'grandchild',
  'grandparent',
  'other',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** Health; `serious_illness` is 大病. */
export const HEALTH_STATES = ['healthy', 'chronic', 'serious_illness', 'disability'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** 学前, 小学, 初中, 高中, 中职, 大专/本科, 研究生; `none` for members not in school. */
export const SCHOOLING_STAGES = [
  'none',
  'preschool',
  'primary',
  'junior_high',
  'senior_high',
  'vocational',
  'college',
  'postgraduate',
] as const;
export type SchoolingStage = (typeof SCHOOLING_STAGES)[number];

/**
 * Kinds of other household income: 工资, 养老金, 失业保险金, 低保金, 特困供养金, 临时救助金, 优抚金 (special-care
 * pensions of veterans and martyrs' families), 奖励 (awards, e.g. 见义勇为, 劳模 bonuses), 奖学金/助学金,
 * 经营收入, 租金, 其他. Which of them are not income for the category check is configuration
 * (`archives.excludedIncomeKinds`).
 */
export const INCOME_KINDS = [
  'wage',
  'pension',
  'unemployment_benefit',
  'dibao_benefit',
  'tekun_benefit',
  'temporary_assistance',
  'special_care_pension',
  'award',
  'scholarship',
  'business',
  'rent',
  'other',
] as const;
export type IncomeKind = (typeof INCOME_KINDS)[number];

export const HOUSING_TYPES = [
  'owned',
  'rented',
  'public_rental',
  'with_relatives',
  'dormitory',
  'other',
] as const;
export type HousingType = (typeof HOUSING_TYPES)[number];

/** Primary causes a 低保边缘户 (相对困难) may have (union federation definition). */
export const MARGINAL_PRIMARY_CAUSES: readonly Cause[] = [
  'unemployment',
  'illness',
  'schooling',
  'accident',
  'disaster',
];

/** Primary causes of an 意外致困户: a sudden accident, a disaster or a major illness. */
export const ACCIDENT_PRIMARY_CAUSES: readonly Cause[] = ['accident', 'disaster', 'illness'];

/**
 * Reasons for 注销. Retirement is not one: retirees stay eligible (most archived workers are retirees).
 * `ineligible` is 清退 — the household no longer meets a rule, named by `failedRule`; `household_merged`
 * is a household that joined another archived one (一户一档).
 */
export const CANCEL_REASONS = [
  'left_unit',
  'deceased',
  'unreachable',
  'fraudulent',
  'ineligible',
  'household_merged',
  'temporary_expired',
  'draft_expired',
] as const;

/** Reasons only the daily jobs give. */
export const SYSTEM_CANCEL_REASONS: readonly CancelReason[] = ['temporary_expired', 'draft_expired'];
export type CancelReason = (typeof CANCEL_REASONS)[number];

/**
 * The eligibility rule a 清退 names: income above the line (or its marginal multiple), assets (vehicle,
 * second property, business), no longer a worker of a union member unit, a duplicate archive elsewhere, the
 * hardship cause resolved without an exit (e.g. found on data comparison), or another rule (note says which).
 */
export const INELIGIBLE_RULES = [
  'income_above_standard',
  'assets',
  'not_union_worker',
  'duplicate_archive',
  'data_comparison',
  'other',
] as const;
export type IneligibleRule = (typeof INELIGIBLE_RULES)[number];

/** Flags shown to staff; none of them blocks by itself. */
export const ARCHIVE_FLAGS = [
  'asset_vehicle',
  'asset_second_property',
  'asset_business',
  'stale_verification',
  'relapse_watch',
] as const;
export type ArchiveFlag = (typeof ARCHIVE_FLAGS)[number];
