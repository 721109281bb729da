import { defineErrors } from '../../../common/errors';

/** Errors of the identification workflow, objections and dynamic management. */
export const ArchiveWorkflowErrorCode = defineErrors({
  /** details: `{ status, command }`: the archive's current status does not allow the command. */
  ARCHIVE_INVALID_TRANSITION: { status: 409, message: '档案当前状态不允许此操作' },
  /** details: `{ kind }`. */
  ARCHIVE_NOT_TEMPORARY: { status: 409, message: '只有临时救助档案可以转为正式档案' },
  /** details: `{ required }`: `own` (the archive's own union) or `parent` (the unit directly above it). */
  ARCHIVE_WRONG_UNIT_LEVEL: {
    status: 403,
    message: '该环节须由规定层级的工会办理（审查由本基层工会，复核由上一级工会）',
  },
  ARCHIVE_SAME_PERSON_DECIDES_TWICE: { status: 403, message: '同一申请的审查、复核与审定须由不同人员办理' },
  ARCHIVE_VISIT_DATE_INVALID: { status: 422, message: '入户核实日期不能晚于今天，也不能早于提交日期' },
  ARCHIVE_REVERIFY_CHECKERS_TOO_FEW: { status: 400, message: '入户核实须至少两人' },
  /** details: `{ date }`: in the future, or before the archive's activation or last verification. */
  ARCHIVE_REVERIFY_DATE_INVALID: {
    status: 422,
    message: '核实日期不能晚于今天，也不能早于档案在档或上次核实的日期',
  },
  /** details: `{ violations }`: people of the exited archive are now in another open archive. */
  ARCHIVE_REOPEN_PERSON_ELSEWHERE: {
    status: 422,
    message: '该户家庭成员已在其他在办档案中，不能返困重新启用本档案',
  },
  ARCHIVE_TRANSFER_TARGET_INVALID: { status: 422, message: '接收单位须为另一个基层工会（或分工会）' },
  ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA: { status: 400, message: '说明文字中不能包含身份证号或手机号' },
  /** The approver whose decision opened the notice may not judge objections to it. */
  OBJECTION_OWN_APPROVAL: { status: 403, message: '审定该档案公示的人员不能处理针对该公示的异议' },
  OBJECTION_NOT_FOUND: { status: 404, message: '异议不存在' },
  /** details: `{ status }`. */
  OBJECTION_ALREADY_RESOLVED: { status: 409, message: '该异议已处理' },
  /** The archive is not in its public notice (or does not exist): nothing to object to. */
  PUBLIC_NOTICE_NOT_FOUND: { status: 404, message: '该档案不在公示期内' },
});
