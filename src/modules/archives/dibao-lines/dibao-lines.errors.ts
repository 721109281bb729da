import { defineErrors } from '../../../common/errors';

/** Errors of the 低保 line table beyond the archive data side's own. */
export const DibaoLinesErrorCode = defineErrors({
  /** details: `{ effectiveFrom, today }`: archives already checked against the old line must stay explainable. */
  DIBAO_LINE_BACKDATED: {
    status: 422,
    message: '低保标准的起始执行日期不能早于今天；补录已过去的日期须由审批人员填写原因',
  },
  /** details: `{ effectiveFrom, earliest, maxDays }`. */
  DIBAO_LINE_BACKDATE_TOO_FAR: { status: 422, message: '补录的起始执行日期超出允许的追溯期限' },
  DIBAO_LINE_BACKDATE_REASON_REQUIRED: { status: 422, message: '补录已过去的起始执行日期须写明原因' },
  /** details: `{ effectiveFrom, today }`: archives may already have been judged against it. */
  DIBAO_LINE_IN_FORCE: { status: 409, message: '该低保标准已开始执行，不能撤回或更正；请登记新的标准' },
  DIBAO_LINE_ID_NOT_FOUND: { status: 404, message: '低保标准不存在' },
});
