/** Kinds of partner organisation (DESIGN §2). */
export const PARTNER_KINDS = ['government', 'ngo', 'company', 'volunteer', 'union'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const PARTNER_KIND_NAMES: Record<PartnerKind, string> = {
  government: '政府部门',
  ngo: '社会组织',
  company: '爱心企业',
  volunteer: '志愿团队',
  union: '工会',
};

/** Kinds an organisation may register itself as; `union` partners are created with their unit. */
export const SELF_REGISTERED_KINDS = ['government', 'ngo', 'company', 'volunteer'] as const;
export type SelfRegisteredKind = (typeof SELF_REGISTERED_KINDS)[number];

/** Kinds that may register without a unified social credit code (志愿团队 often have none). */
export const KINDS_WITHOUT_CREDIT_CODE: readonly PartnerKind[] = ['volunteer', 'union'];

/** Vetting states: `pending` until a reviewer decides; only `approved` partners act. */
export const PARTNER_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];
