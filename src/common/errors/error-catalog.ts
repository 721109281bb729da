/** What every error code means to a client: HTTP status and a Chinese message. */
export interface ErrorSpec {
  status: number;
  message: string;
}

const catalog = new Map<string, ErrorSpec>();

/**
 * Registers a module's error codes and returns them as constants, so a module writes
 *   export const OffersErrorCode = defineErrors({ OFFER_NOT_FOUND: { status: 404, message: '资源不存在' } });
 * and throws `new DomainError(OffersErrorCode.OFFER_NOT_FOUND)`. A code may be defined only once.
 */
export function defineErrors<T extends Record<string, ErrorSpec>>(specs: T): { readonly [K in keyof T]: K } {
  const codes = {} as { [K in keyof T]: K };
  for (const [code, spec] of Object.entries(specs) as [keyof T & string, ErrorSpec][]) {
    const existing = catalog.get(code);
    if (existing && (existing.status !== spec.status || existing.message !== spec.message)) {
      throw new Error(`错误码 ${code} 重复定义 (error code defined twice)`);
    }
    catalog.set(code, spec);
    codes[code] = code;
  }
  return Object.freeze(codes);
}

export function errorSpec(code: string): ErrorSpec | undefined {
  return catalog.get(code);
}

/** Codes every part of the app may use. */
export const CommonErrorCode = defineErrors({
  VALIDATION_FAILED: { status: 400, message: '请求参数校验失败' },
  MALFORMED_JSON: { status: 400, message: '请求体不是合法的 JSON' },
  BODY_TOO_DEEP: { status: 400, message: '请求体嵌套层级过深' },
  BAD_REQUEST: { status: 400, message: '请求无效' },
  UNAUTHENTICATED: { status: 401, message: '未登录或登录已失效' },
  FORBIDDEN: { status: 403, message: '没有权限执行此操作' },
  NOT_FOUND: { status: 404, message: '请求的资源不存在' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方法' },
  CONFLICT: { status: 409, message: '操作与当前状态冲突' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求体过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的请求内容类型' },
  RULE_VIOLATION: { status: 422, message: '业务规则校验未通过' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  INTERNAL_ERROR: { status: 500, message: '服务器内部错误，请联系管理员并提供请求编号' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂不可用，请稍后再试' },
});
