import { defineErrors } from '../../common/errors';

export const NotificationsErrorCode = defineErrors({
  /** Unknown id, or another account's notification: the same answer, so ids are not probed. */
  NOTIFICATION_NOT_FOUND: { status: 404, message: '消息不存在' },
});
