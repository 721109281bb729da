import { defineErrors } from '../../common/errors';

export const PartnersErrorCode = defineErrors({
  /** Unknown id, or (for a partner account) another organisation's partner. */
  PARTNER_NOT_FOUND: { status: 404, message: '合作方不存在' },
  /** details: `{ reason }` (format | charset | region | checksum). */
  PARTNER_CREDIT_CODE_INVALID: {
    status: 422,
    message: '统一社会信用代码校验失败（应为18位，不含 I、O、S、V、Z，校验位须正确）',
  },
  /** Every kind but volunteer teams registers with its credit code. details: `{ kind }`. */
  PARTNER_CREDIT_CODE_REQUIRED: { status: 422, message: '除志愿团队外，须填写统一社会信用代码' },
  /** No details: who holds the code is not said. */
  PARTNER_CREDIT_CODE_TAKEN: {
    status: 409,
    message: '该统一社会信用代码已登记；如需加入已登记的机构，请联系该机构的账号管理员',
  },
  /** The union unit applied to does not exist. details: `{ orgUnitId }`. */
  PARTNER_ORG_UNIT_NOT_FOUND: { status: 422, message: '申请受理的工会单位不存在' },
  /** details: `{ current, action }`. */
  PARTNER_INVALID_TRANSITION: { status: 409, message: '合作方当前状态不允许此操作' },
  /** details: `{ currentVersion }`. */
  PARTNER_VERSION_CONFLICT: { status: 409, message: '该合作方已被他人处理，请刷新后重试' },
  /** Union partners are created with their unit and are never vetted, suspended or given accounts. */
  PARTNER_IS_UNION: { status: 422, message: '工会自身的合作方随单位建立，不经审核，也不设合作方账号' },
  /** details: `{ field }`. */
  PARTNER_TEXT_CONTAINS_PERSONAL_DATA: {
    status: 422,
    message: '机构名称和审核原因中不能填写身份证号、手机号或银行卡号',
  },
  /** Only the partner's first account adds and disables accounts. */
  PARTNER_ACCOUNT_ADMIN_ONLY: { status: 403, message: '只有本机构的首个账号可以添加或停用账号' },
  /** A partner that is not approved cannot add accounts. details: `{ current }`. */
  PARTNER_NOT_APPROVED: { status: 409, message: '合作方未通过审核或已暂停，不能添加账号' },
  /** The first account cannot disable itself. */
  PARTNER_ACCOUNT_CANNOT_DISABLE_SELF: { status: 403, message: '不能停用本人账号' },
});
