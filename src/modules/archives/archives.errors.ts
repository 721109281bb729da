import { defineErrors } from '../../common/errors';

/** Errors of the archive data side (records, 低保 lines, consents, reveals). */
export const ArchivesErrorCode = defineErrors({
  ARCHIVE_NOT_FOUND: { status: 404, message: '档案不存在' },
  /** details: `{ violations: [{ rule, code, field, message }] }` — every failed check at once. */
  ARCHIVE_RULES_FAILED: { status: 422, message: '档案未通过业务规则校验' },
  /** details: `{ currentVersion }`: someone saved the archive since the client read it. */
  ARCHIVE_VERSION_CONFLICT: { status: 409, message: '档案已被他人修改，请刷新后重试' },
  /** details: `{ status }`. */
  ARCHIVE_NOT_EDITABLE: { status: 409, message: '档案当前状态不允许修改' },
  ARCHIVE_ORG_UNIT_INVALID: {
    status: 422,
    message: '档案所属单位须为基层工会（或其分工会），且在您的管辖范围内',
  },
  /** details: `{ archiveId }`: the worker's archive that has not ended (draft to active, or transferring). */
  ARCHIVE_OWNER_HAS_OPEN_ARCHIVE: {
    status: 409,
    message: '该职工已有一份未办结的困难职工档案，请在原档案上继续办理',
  },
  ARCHIVE_OWNER_INVALID: { status: 422, message: '指定的职工账号不存在，或不属于该基层工会' },
  ARCHIVE_REVEAL_FIELD_EMPTY: { status: 404, message: '该项信息未登记' },
  ARCHIVE_REASON_CONTAINS_PERSONAL_DATA: { status: 400, message: '原因说明中不能包含身份证号或手机号' },
  ARCHIVE_CONSENT_MEMBER_INVALID: { status: 422, message: '同意记录所指的家庭成员不在本档案中' },
  /** details: `{ status }`: consents may be recorded only while the archive is open. */
  ARCHIVE_CONSENT_NOT_ALLOWED: { status: 409, message: '档案当前状态不能登记同意' },
  ARCHIVE_CONSENT_IN_FUTURE: { status: 422, message: '同意签署时间不能晚于当前时间' },
  /** details: `{ status }`: only an active archive is marked out of a year's aid. */
  ARCHIVE_AID_EXCLUSION_NOT_ACTIVE: { status: 409, message: '只有在档的档案可以标记本年度不纳入帮扶' },
  /** details: `{ year, allowed }`. */
  ARCHIVE_AID_EXCLUSION_YEAR_INVALID: { status: 422, message: '只能标记今年或明年不纳入帮扶' },
  /** details: `{ year }`. */
  ARCHIVE_AID_EXCLUSION_EXISTS: { status: 409, message: '该档案已标记该年度不纳入帮扶' },
  DIBAO_LINE_EXISTS: { status: 409, message: '该地区在该日期已登记低保标准' },
  DIBAO_LINE_NOT_FOUND: { status: 404, message: '该地区在该日期没有登记低保标准' },
});
