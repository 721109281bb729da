import { defineErrors } from '../../common/errors';

/** Errors of matches (匹配). Capacity refusals come from the offers module (OFFER_CAPACITY_EXHAUSTED). */
export const MatchesErrorCode = defineErrors({
  MATCH_NOT_FOUND: { status: 404, message: '匹配不存在' },
  /** details: `{ state, command }`: the state machine has no such move from the match's state. */
  MATCH_INVALID_TRANSITION: { status: 409, message: '匹配当前状态不允许此操作' },
  /** details: `{ currentVersion }`. */
  MATCH_VERSION_CONFLICT: { status: 409, message: '匹配已被他人处理，请刷新后重试' },
  /** details: `{ state }`: proposals are made for open needs only. */
  MATCH_NEED_NOT_OPEN: { status: 409, message: '只能为待对接（open）的需求提出匹配' },
  /** details: `{ matchId }`: the need already has a match on the active path. */
  MATCH_NEED_ALREADY_MATCHED: { status: 409, message: '该需求已有进行中的匹配' },
  /** details: `{ excludedBy: [{ code, message }] }`: a hard filter fails for the pair. */
  MATCH_PAIR_NOT_ELIGIBLE: { status: 422, message: '该需求与供给不满足匹配条件' },
  /** Approving cash above the configured amount takes an approver. details: `{ amountFen, approverAboveFen }`. */
  MATCH_APPROVER_REQUIRED: { status: 403, message: '大额资金帮扶须由审批人审批' },
  /** details: `{ action }`: only an approver may approve despite 不重复救助 (duplicateCauseOverride). */
  MATCH_OVERRIDE_APPROVER_ONLY: { status: 403, message: '只有审批人可以越过“不重复救助”审批' },
  /** Acting for a union programme only (staff may not accept or deliver a partner's own offer). */
  MATCH_NOT_UNION_PROGRAMME: { status: 403, message: '工作人员只能代办工会自有帮扶项目的接单、服务和交付' },
  /** A decline for reason `other` says what it was. */
  MATCH_DECLINE_NOTE_REQUIRED: { status: 400, message: '退回原因为"其他"时须填写说明' },
  /** details: `{ whose }`: the contact is not (or no longer) disclosed to the caller. */
  MATCH_CONTACT_NOT_DISCLOSED: {
    status: 422,
    message: '对方联系方式尚不可查看：合作方须已接单且职工已同意提供，职工须在匹配审批后查看',
  },
  /** A caseworker confirming receipt on the worker's behalf states why. */
  MATCH_CONFIRM_REASON_REQUIRED: { status: 400, message: '代职工确认收到须填写原因' },
  /** Delivery of cash states the amount; of goods, the count. details: `{ field }`. */
  MATCH_DELIVERY_QUANTITY_REQUIRED: { status: 400, message: '资金类须填写发放金额，物资类须填写发放数量' },
  /** details: `{ field }`: free text may not hold an ID number, a phone or a bank card number. */
  MATCH_TEXT_CONTAINS_PERSONAL_DATA: {
    status: 422,
    message: '说明、原因等文字中不能填写身份证号、手机号或银行卡号',
  },
  /** details: `{ state }`: consent is given after acceptance and before delivery. */
  MATCH_CONSENT_NOT_ALLOWED: { status: 409, message: '只能在合作方接单后、交付前同意或撤回信息共享' },
  /** A caseworker consenting on the worker's behalf names a signed consent of the household (partner_disclosure). */
  MATCH_CONSENT_RECORD_REQUIRED: {
    status: 422,
    message: '代职工同意须引用家庭已签署且未撤回的"向合作方提供联系方式"同意书',
  },
  /** details: `{ state }`: delivery evidence is attached from acceptance until the worker confirms. */
  MATCH_EVIDENCE_NOT_ALLOWED_IN_STATE: {
    status: 409,
    message: '只能在接单后、职工确认收到前上传交付凭证',
  },
  MATCH_EVIDENCE_NOT_FOUND: { status: 404, message: '交付凭证不存在' },
  /** details: `{ evidenceId }`: the same file is already attached. */
  MATCH_EVIDENCE_DUPLICATE: { status: 409, message: '该文件已上传到本匹配' },
  /** details: `{ max }`. */
  MATCH_EVIDENCE_LIMIT_REACHED: { status: 422, message: '本匹配的交付凭证数量已达上限' },
  /** The follow-up date lies in the future or before delivery. */
  MATCH_FOLLOW_UP_DATE_INVALID: { status: 400, message: '回访日期不能晚于今天，也不能早于交付日期' },
});
