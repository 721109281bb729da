import { defineErrors } from '../../../common/errors';

/** Errors of change requests (变更申请) of active archives. */
export const ChangeRequestsErrorCode = defineErrors({
  /** details: `{ fields }`: a category or income change of an active archive needs a change request. */
  ARCHIVE_CHANGE_NEEDS_REVIEW: {
    status: 409,
    message: '在档档案的类别或收入变更须提交变更申请，经审核人员批准后生效',
  },
  /** details: `{ status }`: only active archives take change requests. */
  CHANGE_REQUEST_ARCHIVE_NOT_ACTIVE: { status: 409, message: '只有在档档案可以提交变更申请' },
  CHANGE_REQUEST_EMPTY: { status: 400, message: '变更申请须至少包含一项类别或收入变更' },
  /** details: `{ memberIds }`. */
  CHANGE_REQUEST_MEMBER_INVALID: { status: 422, message: '变更申请所指的家庭成员不在本档案中' },
  /** details: `{ requestId }`: the archive already has a pending request. */
  CHANGE_REQUEST_PENDING_EXISTS: { status: 409, message: '该档案已有待审核的变更申请' },
  CHANGE_REQUEST_NOT_FOUND: { status: 404, message: '变更申请不存在' },
  /** details: `{ status }`. */
  CHANGE_REQUEST_ALREADY_DECIDED: { status: 409, message: '该变更申请已处理' },
  CHANGE_REQUEST_TEXT_CONTAINS_PERSONAL_DATA: { status: 400, message: '说明文字中不能包含身份证号或手机号' },
});
