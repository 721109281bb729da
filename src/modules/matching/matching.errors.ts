import { defineErrors } from '../../common/errors';

/** Errors of suggestions (智能推荐). */
export const MatchingErrorCode = defineErrors({
  /** details: `{ state }`: only `open` needs get suggestions. */
  SUGGESTIONS_NEED_NOT_OPEN: { status: 409, message: '需求未处于待对接（open）状态，不能推荐供给' },
  /** details: `{ state }`: only `published` offers get suggestions. */
  SUGGESTIONS_OFFER_NOT_PUBLISHED: { status: 409, message: '供给未处于发布状态，不能推荐需求' },
  /** details: `{ maxWindow }`: page × pageSize beyond the candidates ranked. */
  SUGGESTIONS_WINDOW_EXCEEDED: { status: 422, message: '推荐结果最多翻阅前 200 条，请缩小范围' },
});
