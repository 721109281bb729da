import { defineErrors } from '../../../common/errors';

/** Errors of the 低保 line table beyond the archive data side's own. */
export const DibaoLinesErrorCode = defineErrors({
  /** details: `{ effectiveFrom, today }`: archives already checked against the old line must stay explainable. */
  DIBAO_LINE_BACKDATED: {
    status: 422,
    message: '低保标准的起始执行日期不能早于今天；已过去的日期请联系上级档案管理员核实',
  },
});
