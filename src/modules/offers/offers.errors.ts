import { defineErrors } from '../../common/errors';

/** Errors of offers (供给). */
export const OffersErrorCode = defineErrors({
  OFFER_NOT_FOUND: { status: 404, message: '供给不存在' },
  /** details: `{ codes }`: unknown or inactive menu items. */
  OFFER_ITEM_NOT_FOUND: { status: 422, message: '所选的服务菜单项目不存在或已停用' },
  /** details: `{ kind, items }`: items whose unit does not fit the kind (cash ↔ 元, slots ↔ 名额, goods ↔ 件). */
  OFFER_KIND_MISMATCH: { status: 422, message: '供给类型与所选服务项目的计量单位不一致' },
  /** details: `{ reason }`: amount_required | amount_not_allowed | budget_not_multiple. */
  OFFER_CASH_TERMS_INVALID: {
    status: 422,
    message: '资金类供给须填写每人固定金额，且总预算须为每人金额的整数倍；名额、物资类供给不填金额',
  },
  /** details: `{ committed }`: capacity below what is reserved and used. */
  OFFER_CAPACITY_BELOW_COMMITTED: { status: 422, message: '名额（预算）不能少于已预留和已使用的数量' },
  /** details: `{ reason }`: order. */
  OFFER_AGE_RANGE_INVALID: { status: 422, message: '年龄下限不能大于上限' },
  /** details: `{ reason }`: order | too_long | ended. */
  OFFER_VALIDITY_INVALID: {
    status: 422,
    message: '有效期不正确：截止日期不能早于开始日期或今天，且不超过两年',
  },
  /** details: `{ orgUnitId }`: the scope unit is unknown or outside the partner's (vetting) unit. */
  OFFER_SCOPE_INVALID: { status: 422, message: '服务范围须为合作方受理单位及其下级单位' },
  /** details: `{ field }`. */
  OFFER_TEXT_CONTAINS_PERSONAL_DATA: {
    status: 422,
    message: '标题、说明和地址中不能填写身份证号、手机号或银行卡号（联系电话请填在联系方式中）',
  },
  /** The partner is not approved (pending, rejected or suspended). details: `{ status }`. */
  OFFER_PARTNER_NOT_ACTIVE: { status: 422, message: '合作方未通过审核或已被暂停，不能发布或恢复供给' },
  /** Closing with reason partner_suspended while the partner is active. details: `{ status }`. */
  OFFER_PARTNER_NOT_SUSPENDED: { status: 422, message: '合作方未被暂停，不能以"合作方被暂停"为由关闭供给' },
  /** Staff create only union programmes; partner accounts only their own offers. */
  OFFER_ORG_UNIT_NOT_ALLOWED: { status: 400, message: '合作方账号发布供给时不能指定工会单位' },
  /** A return names at least one reason. */
  OFFER_RETURN_REASONS_REQUIRED: { status: 400, message: '退回修改须选择至少一个原因' },
  /**
   * Nothing left to reserve: the offer is not published, outside its validity window, its partner is not
   * approved, or its remaining capacity is below what is asked. details: `{ offerId, remaining }`.
   */
  OFFER_CAPACITY_EXHAUSTED: { status: 409, message: '供给名额（预算）已满或暂不可用' },
  /** details: `{ state, command }`. */
  OFFER_INVALID_TRANSITION: { status: 409, message: '供给当前状态不允许此操作' },
  /** details: `{ currentVersion }`. */
  OFFER_VERSION_CONFLICT: { status: 409, message: '供给已被他人修改或处理，请刷新后重试' },
});
