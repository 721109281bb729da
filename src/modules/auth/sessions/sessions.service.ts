import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { requestContext } from '../../../common/context/request-context';
import { DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { AuditService } from '../../audit/audit.service';
import { AuthErrorCode } from '../auth.errors';
import { AuthAuditAction } from '../auth-audit-actions';
import { AuthUsersRepository } from '../auth-users.repository';
import type { Principal } from '../principal';
import { sessionEnd } from '../rules/account-state.rule';
import { hashRefreshToken, TokensService } from '../tokens/tokens.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import type { SessionRestriction } from './auth-session.entity';
import { SessionsRepository } from './sessions.repository';

/** What a successful login, refresh or password change returns. */
export interface TokenPair {
  accessToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  refreshToken: string;
  /** When the refresh token (and the session) ends at the latest. */
  refreshExpiresAt: Date;
  sessionId: string;
  restriction: SessionRestriction | null;
}

export interface SessionOwner {
  id: string;
  tokenVersion: number;
}

/** Sessions: start (after a login), refresh with rotation and reuse detection, logout. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly sessions: SessionsRepository,
    private readonly users: AuthUsersRepository,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly rateLimit: RateLimitService,
  ) {}

  /** A new session with its first refresh token, in the caller's transaction. */
  async start(
    user: SessionOwner,
    restriction: SessionRestriction | null,
    manager: EntityManager,
  ): Promise<TokenPair> {
    const now = this.clock.now();
    const context = requestContext.current();
    const expiresAt = new Date(now.getTime() + this.config.auth.session.absoluteLifetimeHours * 3_600_000);
    const session = await this.sessions.createSession(
      {
        userId: user.id,
        restriction,
        tokenVersion: user.tokenVersion,
        now,
        expiresAt,
        ip: context?.ip ?? null,
        userAgent: context?.userAgent ?? null,
      },
      manager,
    );
    const refresh = this.tokens.newRefreshToken();
    await this.sessions.createRefreshToken(session.id, refresh.hash, now, expiresAt, manager);
    return {
      accessToken: this.tokens.signAccessToken(user.id, session.id, user.tokenVersion),
      expiresIn: this.tokens.accessTokenTtlSeconds,
      refreshToken: refresh.token,
      refreshExpiresAt: expiresAt,
      sessionId: session.id,
      restriction,
    };
  }

  /**
   * Rotates a refresh token: the presented one is marked used and a successor is issued in the same
   * session. Presenting a used token again means someone kept a copy: the whole session is revoked.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const ip = requestContext.current()?.ip ?? null;
    await this.rateLimit.enforceIp('refresh', ip);
    const stored = await this.sessions.findRefreshToken(hashRefreshToken(refreshToken));
    if (!stored) throw new DomainError(AuthErrorCode.AUTH_REFRESH_INVALID);
    const row = await this.sessions.findSessionWithUser(stored.sessionId);
    if (!row) throw new DomainError(AuthErrorCode.AUTH_REFRESH_INVALID);
    await this.rateLimit.enforceAccount('refresh', row.userId, ip);
    const actor = {
      userId: row.userId,
      username: row.username,
      kind: row.kind,
      roles: row.roles,
      orgUnitId: row.orgUnitId,
    };
    const now = this.clock.now();

    if (stored.usedAt) {
      await this.revokeForReuse(row.sessionId, actor, now);
      throw new DomainError(AuthErrorCode.AUTH_REFRESH_INVALID);
    }
    const ended = sessionEnd(row, now, this.config.auth.session.idleTimeoutMinutes);
    if (ended || stored.expiresAt.getTime() <= now.getTime()) {
      throw new DomainError(AuthErrorCode.AUTH_SESSION_EXPIRED, { reason: ended ?? 'absolute' });
    }
    if (
      row.disabledAt ||
      (row.userExpiresAt && row.userExpiresAt.getTime() <= now.getTime()) ||
      row.sessionTokenVersion !== row.userTokenVersion
    ) {
      throw new DomainError(AuthErrorCode.AUTH_TOKEN_REVOKED);
    }

    const next = this.tokens.newRefreshToken();
    const rotated = await this.users.transaction(async (manager) => {
      if (!(await this.sessions.markRefreshTokenUsed(stored.id, now, manager))) return false;
      const successor = await this.sessions.createRefreshToken(
        row.sessionId,
        next.hash,
        now,
        row.expiresAt,
        manager,
      );
      await this.sessions.linkReplacement(stored.id, successor.id, manager);
      await this.sessions.markSeen(row.sessionId, now, manager);
      return true;
    });
    if (!rotated) {
      // Another request used this token between our read and our update: the same reuse.
      await this.revokeForReuse(row.sessionId, actor, now);
      throw new DomainError(AuthErrorCode.AUTH_REFRESH_INVALID);
    }
    return {
      accessToken: this.tokens.signAccessToken(row.userId, row.sessionId, row.sessionTokenVersion),
      expiresIn: this.tokens.accessTokenTtlSeconds,
      refreshToken: next.token,
      refreshExpiresAt: row.expiresAt,
      sessionId: row.sessionId,
      restriction: row.restriction,
    };
  }

  /** Ends the caller's session; `everywhere` also ends every other session and token of the account. */
  async logout(principal: Principal, everywhere: boolean): Promise<void> {
    const now = this.clock.now();
    await this.users.transaction(async (manager) => {
      let revoked: number;
      if (everywhere) {
        await this.users.bumpTokenVersion(principal.userId, manager);
        revoked = await this.sessions.revokeUserSessions(principal.userId, 'logout_everywhere', now, manager);
      } else {
        revoked = (await this.sessions.revokeSession(principal.sessionId, 'logout', now, manager)) ? 1 : 0;
      }
      await this.audit.record(
        {
          action: AuthAuditAction.LOGOUT,
          outcome: 'success',
          actor: principal,
          target: { type: 'session', id: principal.sessionId },
          details: { everywhere, sessionsEnded: revoked },
        },
        manager,
      );
    });
    this.tokens.forgetSessions(
      everywhere ? { userId: principal.userId } : { sessionId: principal.sessionId },
    );
  }

  private async revokeForReuse(
    sessionId: string,
    actor: {
      userId: string;
      username: string;
      kind: string;
      roles: readonly string[];
      orgUnitId: string | null;
    },
    now: Date,
  ): Promise<void> {
    await this.users.transaction(async (manager) => {
      await this.sessions.revokeSession(sessionId, 'token_reuse', now, manager);
      await this.audit.record(
        {
          action: AuthAuditAction.TOKEN_REUSE,
          outcome: 'denied',
          actor,
          target: { type: 'session', id: sessionId },
          details: { sessionRevoked: true },
        },
        manager,
      );
    });
    this.tokens.forgetSessions({ sessionId });
  }
}
