import { defineErrors } from '../../common/errors';

/** Errors of suggestions (智能推荐) and batch allocation (批量分配). */
export const MatchingErrorCode = defineErrors({
  /** details: `{ state }`: only `open` needs get suggestions. */
  SUGGESTIONS_NEED_NOT_OPEN: { status: 409, message: '需求未处于待对接（open）状态，不能推荐供给' },
  /** details: `{ state }`: only `published` offers get suggestions. */
  SUGGESTIONS_OFFER_NOT_PUBLISHED: { status: 409, message: '供给未处于发布状态，不能推荐需求' },
  /** details: `{ maxWindow }`: page × pageSize beyond the candidates ranked. */
  SUGGESTIONS_WINDOW_EXCEEDED: { status: 422, message: '推荐结果最多翻阅前 200 条，请缩小范围' },
  ALLOCATION_NOT_FOUND: { status: 404, message: '批量分配方案不存在' },
  /** details: `{ state }`: only a queued, running or done allocation can be discarded. */
  ALLOCATION_NOT_DISCARDABLE: { status: 409, message: '该批量分配方案已失败或已作废，不能再作废' },
  ALLOCATION_OFFERS_AMBIGUOUS: {
    status: 400,
    message: '供给请指定编号（offerIds）或筛选条件（offerFilter），不能同时指定',
  },
  /** details: `{ max }`: K above matching.allocation.maxCandidatesPerNeed. */
  ALLOCATION_TOO_MANY_CANDIDATES: { status: 422, message: '每个需求的候选供给数超过上限' },
  /** details: `{ state }`: only a done plan's lines can be approved. */
  ALLOCATION_NOT_APPROVABLE: { status: 409, message: '方案尚未计算完成或已作废，不能审批' },
  /** details: `{ finishedAt, maxAgeMinutes }`: older than matching.allocation.planMaxAgeMinutes. */
  ALLOCATION_STALE: { status: 409, message: '方案已过有效时长，需求与名额可能已变化，请重新运行后再审批' },
  /** details: `{ needIds }` (at most 20): needs that are not assigned lines of the plan. */
  ALLOCATION_LINES_UNKNOWN: { status: 422, message: '所选需求不在本方案的对接中' },
  ALLOCATION_QUEUE_UNAVAILABLE: { status: 503, message: '任务队列暂不可用，批量分配未能开始，请稍后再试' },
  /** Stored as a failed allocation's errorCode (details on the row: the counts): the scope holds too many needs or offers. */
  ALLOCATION_SCOPE_TOO_LARGE: {
    status: 422,
    message: '范围内的需求或供给数量超过单次分配上限，请按区县分别分配',
  },
  /** Stored as a failed allocation's errorCode: the job failed unexpectedly (logged). */
  ALLOCATION_FAILED: { status: 500, message: '批量分配计算失败，请重新运行' },
});
