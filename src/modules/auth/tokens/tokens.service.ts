import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import type { AccessTokenVerifier } from '../access-token-verifier';
import { AuthErrorCode } from '../auth.errors';
import type { Principal } from '../principal';
import { sessionEnd } from '../rules/account-state.rule';
import { AccountSnapshot, SessionsRepository, SessionWithUser } from '../sessions/sessions.repository';
import { signJwt, verifyJwt } from './jwt';

/** The claims of an access token. */
export interface AccessClaims {
  sub: string;
  sid: string;
  tv: number;
  iat: number;
  exp: number;
  jti: string;
}

const MFA_PURPOSE = 'mfa';

/** Sessions whose check is remembered at once; past this the oldest entries are dropped. */
const MAX_CACHED_SESSIONS = 10_000;

interface CachedSession {
  row: SessionWithUser;
  /** performance.now() when the row was read from PostgreSQL. */
  readAt: number;
}

/**
 * Access tokens (HS256 JWT, short-lived), refresh tokens (random, stored as SHA-256) and login
 * challenges. `verify` is the AccessTokenVerifier AuthGuard uses on every request: the signature and
 * expiry come from the token, everything that can be revoked (session, account, token version) from
 * PostgreSQL.
 *
 * That session read was the largest cost of an authenticated request (one query of three on GET /me),
 * so each process remembers it for `auth.session.verifyCacheMs` (at most 1 s; 0 = never). Every check
 * (revoked, disabled, expired, token version, idle, absolute lifetime) still runs on each request
 * against the remembered row and the current time; a change made by another process or an admin (disable,
 * role change, logout everywhere elsewhere) is seen within that time. Changes this process makes to the
 * caller's own sessions (logout, refresh-token reuse, password change) call `forgetSessions` after
 * their commit, so they are refused on the very next request.
 */
@Injectable()
export class TokensService implements AccessTokenVerifier {
  private readonly cache = new Map<string, CachedSession>();
  /** Reads in flight, shared by concurrent requests of one session (only while the cache is on). */
  private readonly reading = new Map<string, Promise<SessionWithUser | null>>();
  /** Bumped by forgetSessions: a read that started before it is not remembered. */
  private generation = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Monotonic milliseconds for the cache's age (not the Clock: tests move that one by hours). */
  protected monotonicMs(): number {
    return performance.now();
  }

  get accessTokenTtlSeconds(): number {
    return this.config.auth.session.accessTokenTtlSeconds;
  }

  signAccessToken(userId: string, sessionId: string, tokenVersion: number): string {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: AccessClaims = {
      sub: userId,
      sid: sessionId,
      tv: tokenVersion,
      iat,
      exp: iat + this.accessTokenTtlSeconds,
      jti: randomUUID(),
    };
    return signJwt({ ...claims }, this.config.auth.tokenSecret);
  }

  async verify(token: string): Promise<Principal> {
    const claims = this.decodeAccessToken(token);
    const now = this.clock.now();
    const row = await this.sessionWithUser(claims.sid);
    if (!row || row.userId !== claims.sub) throw new DomainError(AuthErrorCode.AUTH_TOKEN_INVALID);

    if (
      row.disabledAt ||
      (row.userExpiresAt && row.userExpiresAt.getTime() <= now.getTime()) ||
      row.userTokenVersion !== claims.tv ||
      row.sessionTokenVersion !== row.userTokenVersion
    ) {
      throw new DomainError(AuthErrorCode.AUTH_TOKEN_REVOKED);
    }
    const ended = sessionEnd(row, now, this.config.auth.session.idleTimeoutMinutes);
    if (ended) throw new DomainError(AuthErrorCode.AUTH_SESSION_EXPIRED, { reason: ended });

    if (now.getTime() - row.lastSeenAt.getTime() >= this.config.auth.session.touchIntervalSeconds * 1000) {
      await this.sessions.touch(row.sessionId, now, this.config.auth.session.touchIntervalSeconds);
      // The remembered row must not ask for another write on every request until it is read again.
      const cached = this.cache.get(row.sessionId);
      if (cached) cached.row = { ...cached.row, lastSeenAt: now };
    }
    return {
      userId: row.userId,
      username: row.username,
      kind: row.kind,
      roles: row.kind === 'staff' ? [...row.roles] : [],
      orgUnitId: row.orgUnitId,
      orgPath: row.orgPath,
      partnerId: row.partnerId,
      sessionId: row.sessionId,
      restriction: row.restriction,
    };
  }

  /**
   * The account behind a verified session, as read with the session check: on a request the guard has
   * just verified, the remembered row (no query while `verifyCacheMs` > 0), so it is as fresh as the
   * check that let the request in. Null when the session no longer exists.
   */
  async account(sessionId: string): Promise<AccountSnapshot | null> {
    return (await this.sessionWithUser(sessionId))?.account ?? null;
  }

  /**
   * Drops remembered session checks, after a change to them has committed: one session (logout, token
   * reuse) or every session of a user (logout everywhere, password change, lockout).
   */
  forgetSessions(which: { sessionId: string } | { userId: string }): void {
    this.generation++;
    // A read in flight may have started before the change committed: later requests start their own.
    this.reading.clear();
    if ('sessionId' in which) {
      this.cache.delete(which.sessionId);
      return;
    }
    for (const [sessionId, cached] of this.cache) {
      if (cached.row.userId === which.userId) this.cache.delete(sessionId);
    }
  }

  private async sessionWithUser(sessionId: string): Promise<SessionWithUser | null> {
    const ttl = this.config.auth.session.verifyCacheMs;
    if (ttl <= 0) return this.sessions.findSessionWithUser(sessionId);
    const cached = this.cache.get(sessionId);
    if (cached && this.monotonicMs() - cached.readAt < ttl) return cached.row;
    const inFlight = this.reading.get(sessionId);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const readAt = this.monotonicMs();
    const read = this.sessions.findSessionWithUser(sessionId);
    this.reading.set(sessionId, read);
    let row: SessionWithUser | null;
    try {
      row = await read;
    } finally {
      if (this.reading.get(sessionId) === read) this.reading.delete(sessionId);
    }
    if (generation !== this.generation) return row;
    this.cache.delete(sessionId);
    if (row) {
      if (this.cache.size >= MAX_CACHED_SESSIONS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sessionId, { row, readAt });
    }
    return row;
  }

  /** A fresh refresh token and the hash that is stored. */
  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashRefreshToken(token) };
  }

  /** The signed, short-lived token naming an MFA challenge row. */
  signMfaToken(userId: string, challengeId: string, expiresAt: Date): string {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    return signJwt(
      {
        purpose: MFA_PURPOSE,
        sub: userId,
        cid: challengeId,
        iat,
        exp: Math.floor(expiresAt.getTime() / 1000),
      },
      this.config.auth.tokenSecret,
    );
  }

  /** The challenge an mfaToken names; any problem with the token is AUTH_MFA_INVALID. */
  verifyMfaToken(token: string): { userId: string; challengeId: string } {
    const result = verifyJwt(token, this.config.auth.tokenSecret, this.nowSeconds());
    if (!result.ok) throw new DomainError(AuthErrorCode.AUTH_MFA_INVALID);
    const { purpose, sub, cid } = result.payload;
    if (purpose !== MFA_PURPOSE || typeof sub !== 'string' || typeof cid !== 'string') {
      throw new DomainError(AuthErrorCode.AUTH_MFA_INVALID);
    }
    return { userId: sub, challengeId: cid };
  }

  private decodeAccessToken(token: string): AccessClaims {
    const result = verifyJwt(token, this.config.auth.tokenSecret, this.nowSeconds());
    if (!result.ok) {
      throw new DomainError(
        result.reason === 'expired' ? AuthErrorCode.AUTH_TOKEN_EXPIRED : AuthErrorCode.AUTH_TOKEN_INVALID,
      );
    }
    const { sub, sid, tv, iat, exp, jti, purpose } = result.payload;
    // An MFA challenge token is signed with the same key: it must never pass as an access token.
    if (
      purpose !== undefined ||
      typeof sub !== 'string' ||
      typeof sid !== 'string' ||
      !UUID.test(sid) ||
      !UUID.test(sub) ||
      typeof tv !== 'number' ||
      typeof jti !== 'string'
    ) {
      throw new DomainError(AuthErrorCode.AUTH_TOKEN_INVALID);
    }
    return { sub, sid, tv, iat, exp, jti };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
