import { defineErrors } from '../../common/errors';

export const UsersErrorCode = defineErrors({
  USER_NOT_FOUND: { status: 404, message: '账号不存在' },
  USERNAME_TAKEN: { status: 409, message: '用户名已被使用' },
  PHONE_IN_USE: { status: 409, message: '该手机号码已绑定其他在用账号' },
  USER_VERSION_CONFLICT: { status: 409, message: '账号已被他人修改，请刷新后重试' },
  USER_ALREADY_DISABLED: { status: 409, message: '账号已停用' },
  USER_NOT_DISABLED: { status: 409, message: '账号未停用，无需启用' },
  USER_NOT_LOCKED: { status: 409, message: '账号未被锁定，无需解锁' },
  USER_EXPIRED: { status: 409, message: '临时账号已过期，请先延长有效期再启用' },
  ROLE_CONFLICT: { status: 422, message: '系统管理员与审计员角色不得由同一账号兼任' },
  USER_ROLES_INVALID: {
    status: 422,
    message: '角色设置无效：工作人员账号至少需要一个角色，职工和合作方账号不能设置角色',
  },
  USER_ORG_UNIT_REQUIRED: { status: 422, message: '请指定账号所属单位' },
  USER_ORG_UNIT_NOT_FOUND: { status: 422, message: '指定的单位不存在' },
  USER_ORG_UNIT_LEVEL_INVALID: { status: 422, message: '职工账号只能挂在基层工会或其分工会' },
  USER_PARTNER_INVALID: { status: 422, message: '合作方账号必须指定合作方机构，其他账号不能指定' },
  USER_PARTNER_NOT_FOUND: { status: 422, message: '指定的合作方机构不存在' },
  USER_EXPIRY_NOT_IN_FUTURE: { status: 422, message: '账号有效期必须晚于当前时间' },
  USER_REASON_HAS_PERSONAL_DATA: { status: 422, message: '原因中不得填写身份证号或手机号等个人信息' },
  USER_CANNOT_CHANGE_OWN_ROLES: { status: 403, message: '不能修改本人账号的角色' },
  USER_CANNOT_DISABLE_SELF: { status: 403, message: '不能停用本人账号' },
  USER_CANNOT_MOVE_SELF: { status: 403, message: '不能调整本人账号的所属单位' },
  USER_CANNOT_RESET_OWN_PASSWORD: { status: 403, message: '不能重置本人密码，请使用修改密码功能' },
  USER_CANNOT_CHANGE_OWN_EXPIRY: { status: 403, message: '不能修改本人账号的有效期' },
  USER_AUDITOR_PROTECTED: {
    status: 403,
    message: '审计员账号由安全管理流程创建和维护，系统管理员不能授予审计员角色或修改审计员账号',
  },
});
