import { defineErrors } from '../../common/errors';

export const PartnersErrorCode = defineErrors({
  /** Unknown id, or a partner outside the caller's reach (answered as the archive endpoints do). */
  PARTNER_NOT_FOUND: { status: 404, message: '合作方不存在' },
});
