import { defineErrors } from '../../../common/errors';

/** Errors of archive evidence files. */
export const EvidenceErrorCode = defineErrors({
  EVIDENCE_NOT_FOUND: { status: 404, message: '材料不存在或已删除' },
  EVIDENCE_NOT_MULTIPART: {
    status: 415,
    message: '请以 multipart/form-data 上传：先填 kind 字段，再附 file 文件',
  },
  EVIDENCE_FILE_MISSING: { status: 400, message: '请求中没有名为 file 的文件' },
  /** The multipart parser refused the body (no boundary, cut off, broken part headers). */
  EVIDENCE_MULTIPART_MALFORMED: {
    status: 400,
    message: '上传内容不是完整有效的 multipart/form-data，请重新选择文件上传',
  },
  /** More parts, fields or files than one upload has (kind, file). */
  EVIDENCE_MULTIPART_TOO_MANY_PARTS: {
    status: 413,
    message: '上传内容的字段或文件过多：只需 kind 和一个 file',
  },
  EVIDENCE_FILE_EMPTY: { status: 400, message: '上传的文件是空的' },
  /** details: `{ maxBytes }`. */
  EVIDENCE_FILE_TOO_LARGE: { status: 413, message: '文件超过大小上限' },
  /** details: `{ allowed: [...] }`. */
  EVIDENCE_TYPE_NOT_ALLOWED: { status: 415, message: '仅支持 PDF、JPEG、PNG 格式的文件' },
  /** details: `{ declared, detected }`. */
  EVIDENCE_TYPE_MISMATCH: { status: 415, message: '文件内容与声明的文件类型不符' },
  /** details: `{ evidenceId }`: the same file is already attached. */
  EVIDENCE_DUPLICATE: { status: 409, message: '该文件已上传到本档案' },
  /** details: `{ max }`. */
  EVIDENCE_LIMIT_REACHED: { status: 422, message: '本档案的材料数量已达上限，请先删除不需要的材料' },
  /** details: `{ status }`. */
  EVIDENCE_NOT_ALLOWED_IN_STATUS: { status: 409, message: '档案当前状态不允许上传或删除材料' },
  EVIDENCE_NOT_UPLOADER: { status: 403, message: '只能删除本人上传的材料' },
  /** The row exists but the stored file is gone or altered: an operations problem, logged with the id. */
  EVIDENCE_CONTENT_UNAVAILABLE: { status: 500, message: '材料文件缺失或已损坏，请联系管理员' },
});
