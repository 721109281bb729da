import { defineErrors } from '../../common/errors';

/**
 * Login failures share one code and one message whatever went wrong (unknown user, wrong password,
 * locked, disabled or expired account): the answer must not help anyone guess accounts or passwords.
 */
export const AuthErrorCode = defineErrors({
  AUTH_LOGIN_FAILED: { status: 401, message: '用户名或密码错误，或账号当前不可登录' },
  /**
   * Given only after the password was right: the account is fine but its partner organisation is not
   * (yet, or any more) approved. details: `{ partnerStatus }` (pending | rejected | suspended).
   */
  AUTH_PARTNER_NOT_APPROVED: {
    status: 403,
    message: '所属合作方机构尚未通过审核或已被暂停，暂不能登录；请联系受理的工会',
  },
  AUTH_TOKEN_INVALID: { status: 401, message: '登录凭证无效，请重新登录' },
  AUTH_TOKEN_EXPIRED: { status: 401, message: '登录凭证已过期，请刷新' },
  AUTH_SESSION_EXPIRED: { status: 401, message: '登录会话已结束，请重新登录' },
  AUTH_TOKEN_REVOKED: { status: 401, message: '登录凭证已被撤销，请重新登录' },
  AUTH_REFRESH_INVALID: { status: 401, message: '刷新凭证无效或已使用，请重新登录' },
  AUTH_MFA_INVALID: { status: 401, message: '二次验证已失效，请重新输入用户名和密码' },
  AUTH_TOTP_INVALID: { status: 401, message: '动态口令或恢复码错误' },
  AUTH_CURRENT_PASSWORD_WRONG: { status: 422, message: '当前密码不正确' },
  AUTH_TOTP_ALREADY_ENABLED: { status: 409, message: '动态口令已启用' },
  AUTH_TOTP_NOT_ENROLLED: { status: 409, message: '请先申请绑定动态口令' },
  AUTH_TOTP_CODE_WRONG: { status: 422, message: '动态口令不正确，请核对手机时间后重试' },
});
