import { defineErrors } from '../../common/errors';

export const AuditErrorCode = defineErrors({
  AUDIT_WRITE_FAILED: { status: 503, message: '审计日志写入失败，操作未执行，请稍后再试' },
  AUDIT_LOG_RANGE_INVALID: { status: 400, message: '查询时间范围无效：开始时间须早于结束时间' },
});
