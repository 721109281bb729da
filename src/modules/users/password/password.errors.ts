import { defineErrors } from '../../../common/errors';

export const PasswordErrorCode = defineErrors({
  PASSWORD_POLICY_VIOLATION: {
    status: 422,
    message: '密码不符合安全要求：至少 8 位，同时包含字母和数字，不能是常见密码，不能包含用户名',
  },
});
