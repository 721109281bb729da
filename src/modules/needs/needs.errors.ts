import { defineErrors } from '../../common/errors';

/** Errors of needs (需求/点单). */
export const NeedsErrorCode = defineErrors({
  NEED_NOT_FOUND: { status: 404, message: '需求不存在' },
  /** details: `{ code }`: an unknown or inactive menu item. */
  NEED_ITEM_NOT_FOUND: { status: 422, message: '所点的服务菜单项目不存在或已停用' },
  /** The worker has no archive that has not ended: 先建档、后帮扶. */
  NEED_ARCHIVE_REQUIRED: { status: 422, message: '请先建立困难职工档案，再申请帮扶（先建档、后帮扶）' },
  /** Staff ordering on a worker's behalf name the archive. */
  NEED_ARCHIVE_ID_REQUIRED: { status: 400, message: '代为申请时须指明职工档案（archiveId）' },
  /** details: `{ field, max }`: quantity or amount outside 1 … the item's per-need maximum. */
  NEED_QUANTITY_OUT_OF_RANGE: { status: 422, message: '申请数量（金额）超出该项目允许的范围' },
  /** details: `{ tags }`: tags not in the item's list. */
  NEED_TAGS_INVALID: { status: 422, message: '所选标签不在该项目的可选标签中' },
  /** details: `{ field }`. */
  NEED_TEXT_CONTAINS_PERSONAL_DATA: {
    status: 422,
    message: '需求说明中不能填写身份证号、手机号或银行卡号（联系方式请选择联系偏好）',
  },
  /** details: `{ needId }`: the open need of the same household, item and beneficiary. */
  NEED_DUPLICATE: { status: 409, message: '该家庭成员已有一条同一项目的未办结需求' },
  /** details: `{ state, command }`. */
  NEED_INVALID_TRANSITION: { status: 409, message: '需求当前状态不允许此操作' },
  /** details: `{ currentVersion }`. */
  NEED_VERSION_CONFLICT: { status: 409, message: '需求已被他人处理，请刷新后重试' },
  /** A rejection names at least one reason. */
  NEED_REJECT_REASONS_REQUIRED: { status: 400, message: '驳回需求须选择至少一个原因' },
});
