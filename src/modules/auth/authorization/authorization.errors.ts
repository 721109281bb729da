import { defineErrors } from '../../../common/errors';

export const AuthorizationErrorCode = defineErrors({
  AUTH_REQUIRED: { status: 401, message: '请先登录' },
  ACCESS_DENIED: { status: 403, message: '没有权限执行此操作' },
  OUT_OF_SCOPE: { status: 403, message: '无权访问本单位管辖范围以外的数据' },
  NOT_OWNER: { status: 403, message: '只能访问本人（本机构）的数据' },
  SELF_APPROVAL: { status: 403, message: '不能审批本人提交的事项' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '密码已过期或已被重置，请先修改密码' },
  TOTP_ENROLMENT_REQUIRED: { status: 403, message: '该角色须先绑定动态口令（TOTP）' },
});
