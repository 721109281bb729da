import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommonErrorCode, DomainError } from '../errors';

/**
 * How deeply `value` nests objects and arrays: a scalar is 0, `{}` and `[]` are 1, `{"a":[1]}` is 2.
 * Iterative (an explicit stack), so a body nested 100,000 levels deep costs memory in proportion to its
 * size and never the call stack; it stops as soon as `limit` is passed.
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}

export function bodyTooDeep(limit: number): DomainError {
  return new DomainError(CommonErrorCode.BODY_TOO_DEEP, { maxDepth: limit });
}

/**
 * Refuses a parsed body nested deeper than `maxDepth` with 400 BODY_TOO_DEEP. It runs as Fastify's
 * preValidation hook: after the JSON parser (V8's JSON.parse is not recursive) and before anything else
 * reads the body — guards, rate limits, the validation pipe and class-transformer, which all recurse.
 * Anonymous routes (login, objections) are covered like every other.
 */
export function applyBodyDepthLimit(app: NestFastifyApplication, maxDepth: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (exceedsDepth(request.body, maxDepth)) done(bodyTooDeep(maxDepth));
    else done();
  });
}
