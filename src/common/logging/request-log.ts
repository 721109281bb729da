import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Fastify's request logging, one line per request instead of two ("incoming request" and "request
 * completed" were two synchronous writes on every request): written when the response has gone, with
 * method, path (never the query string, which can hold a searched name or a token), status,
 * milliseconds and the request id (`reqId`, bound by Fastify).
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      path: request.url.split('?', 1)[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error || reply.statusCode >= 500)
      reply.log.error({ ...line, ...(error ? { err: error } : {}) }, 'request');
    else reply.log.info(line, 'request');
  }
}
