/** The outcome of counting one request against a fixed window. */
export interface RateLimitResult {
  allowed: boolean;
  /** Requests left in the current window after this one (0 when refused). */
  remaining: number;
  /** Seconds until the window resets (≥ 1): the Retry-After value when refused. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window request counters shared by every process of the deployment (Redis) or kept in the
 * process (in-memory, for the single-process embedded setup). `key` is already namespaced by the caller.
 */
export interface RateLimiter {
  readonly name: string;
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  close(): Promise<void>;
}

export const RATE_LIMITER = Symbol('RATE_LIMITER');
