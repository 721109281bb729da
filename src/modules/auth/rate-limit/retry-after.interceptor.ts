import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, Observable, throwError } from 'rxjs';
import { CommonErrorCode, DomainError } from '../../../common/errors';
import type { RateLimitedDetails } from './rate-limit.service';

/**
 * A 429 tells the client when to come back: copies RATE_LIMITED's `retryAfterSeconds` into the
 * Retry-After header before the global filter writes the error body.
 */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof DomainError && error.code === CommonErrorCode.RATE_LIMITED) {
          const seconds = (error.details as RateLimitedDetails | undefined)?.retryAfterSeconds;
          if (typeof seconds === 'number') {
            void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(seconds));
          }
        }
        return throwError(() => error);
      }),
    );
  }
}
