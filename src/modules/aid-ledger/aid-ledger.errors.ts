import { defineErrors } from '../../common/errors';
import { AID_LIMIT_MESSAGES } from './rules/aid-limits.rule';

export const AidLedgerErrorCode = defineErrors({
  /** details: `{ capFen, valueFen, violations }`. Never overridden. */
  AID_ONE_OFF_CAP: { status: 422, message: AID_LIMIT_MESSAGES.AID_ONE_OFF_CAP },
  /** details: `{ capFen, usedFen, valueFen, year, violations }`. Never overridden. */
  AID_ANNUAL_CAP: { status: 422, message: AID_LIMIT_MESSAGES.AID_ANNUAL_CAP },
  /**
   * 不重复救助. details: `{ earlierRowId, earlierDate, cause, days, violations }`: the earlier ledger row.
   * An approver may override it with a written reason.
   */
  AID_DUPLICATE_CAUSE: { status: 422, message: AID_LIMIT_MESSAGES.AID_DUPLICATE_CAUSE },
  /** An override needs a written reason (4–500 characters, no ID, phone or bank card numbers). */
  AID_OVERRIDE_REASON_REQUIRED: {
    status: 422,
    message: '越过“不重复救助”须由审批人写明理由（4–500字，不得填写身份证号、手机号或银行卡号）',
  },
  AID_LEDGER_ROW_NOT_FOUND: { status: 404, message: '帮扶台账记录不存在' },
  /** details: `{ reversedBy }` when known. */
  AID_LEDGER_ALREADY_REVERSED: { status: 409, message: '该台账记录已被冲销' },
  /** A reversal is itself never reversed: record the aid again instead. */
  AID_LEDGER_REVERSAL_NOT_REVERSIBLE: { status: 409, message: '冲销记录不能再冲销，请重新登记' },
  /** details: `{ field }`. */
  AID_LEDGER_TEXT_INVALID: {
    status: 422,
    message: '冲销原因须为1–200字，且不得填写身份证号、手机号或银行卡号',
  },
  /** details: `{ from, to }`. */
  AID_LEDGER_PERIOD_INVALID: { status: 400, message: '期间无效：起始日期不能晚于截止日期' },
});
