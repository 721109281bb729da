import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';
import { CommonErrorCode, errorSpec } from './error-catalog';

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
  /** Present on 500s: quote it to the administrator; the log line carries the same id. */
  correlationId?: string;
}

/** Fastify's own errors (raised before a route runs) and the codes they become. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrorCode.MALFORMED_JSON,
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrorCode.PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: CommonErrorCode.BAD_REQUEST,
};

const STATUS_CODES: Record<number, string> = {
  400: CommonErrorCode.BAD_REQUEST,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  405: CommonErrorCode.METHOD_NOT_ALLOWED,
  409: CommonErrorCode.CONFLICT,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  415: CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: CommonErrorCode.RATE_LIMITED,
  503: CommonErrorCode.SERVICE_UNAVAILABLE,
};

/** Maps every error to `{ code, message, details }` with the right status; nothing else leaks. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = this.toResponse(exception, String(request.id));
    if (status >= 500 && body.code === CommonErrorCode.INTERNAL_ERROR) {
      this.logger.error(
        {
          correlationId: body.correlationId,
          method: request.method,
          route: request.routeOptions?.url,
          err: exception,
        },
        `未处理的异常 ${body.correlationId}`,
      );
    }
    void reply.status(status).header('cache-control', 'no-store').send(body);
  }

  toResponse(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      const spec = errorSpec(exception.code);
      if (spec)
        return { status: spec.status, body: this.body(exception.code, spec.message, exception.details) };
      // An unregistered code is a programming error: treat it as unknown rather than guess a status.
      return this.internal(requestId);
    }
    // The Fastify adapter wraps Fastify's own 4xx errors (body parsing, size) in an HttpException.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    const fastifyCode = (cause as { code?: unknown } | null)?.code;
    if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
      return this.fromCode(FASTIFY_CODES[fastifyCode]);
    }
    if (exception instanceof HttpException) {
      const code = STATUS_CODES[exception.getStatus()];
      if (code) return this.fromCode(code);
    }
    const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof statusCode === 'number' && STATUS_CODES[statusCode] && statusCode < 500) {
      return this.fromCode(STATUS_CODES[statusCode]);
    }
    return this.internal(requestId);
  }

  private fromCode(code: string): { status: number; body: ErrorBody } {
    const spec = errorSpec(code)!;
    return { status: spec.status, body: this.body(code, spec.message) };
  }

  private internal(correlationId: string): { status: number; body: ErrorBody } {
    const spec = errorSpec(CommonErrorCode.INTERNAL_ERROR)!;
    return {
      status: 500,
      body: { code: CommonErrorCode.INTERNAL_ERROR, message: spec.message, correlationId },
    };
  }

  private body(code: string, message: string, details?: unknown): ErrorBody {
    return details === undefined ? { code, message } : { code, message, details };
  }
}
