import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { AppConfig } from '../../../config';
import { DomainError } from '../../../common/errors';
import { AuditService } from '../../audit/audit.service';
import { PasswordHasher } from '../../users/password/password-hasher';
import { PasswordPolicy } from '../../users/password/password-policy';
import { PasswordErrorCode } from '../../users/password/password.errors';
import { AuthAuditAction } from '../auth-audit-actions';
import { AuthErrorCode } from '../auth.errors';
import { AuthUsersRepository } from '../auth-users.repository';
import type { Principal } from '../principal';
import { sessionRestriction } from '../rules/account-state.rule';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService, TokenPair } from '../sessions/sessions.service';
import { TokensService } from '../tokens/tokens.service';

/**
 * A user changes their own password (also the way out of a `password_change` session). Every other
 * session and token ends; the caller gets a fresh session.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly clock: Clock,
    private readonly users: AuthUsersRepository,
    private readonly sessionsRepository: SessionsRepository,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly tokens: TokensService,
  ) {}

  /**
   * A wrong current password counts like a failed login: a stolen access token must not turn this
   * endpoint into an unlimited password oracle. The lockout also ends every token of the account.
   */
  private async countFailure(principal: Principal, userId: string, reason: string): Promise<void> {
    const { maxFailures, durationMinutes } = this.config.auth.lockout;
    const now = this.clock.now();
    const locked = await this.users.transaction(async (manager) => {
      const result = await this.users.recordFailure(userId, now, maxFailures, durationMinutes, manager);
      await this.audit.record(
        {
          action: AuthAuditAction.PASSWORD_CHANGE,
          outcome: 'failure',
          actor: principal,
          target: { type: 'user', id: userId },
          details: { reason, consecutiveFailures: result?.failedLoginCount ?? null },
        },
        manager,
      );
      if (result?.lockedUntil) {
        await this.users.bumpTokenVersion(userId, manager);
        await this.audit.record(
          {
            action: AuthAuditAction.LOCKOUT,
            outcome: 'success',
            actor: principal,
            target: { type: 'user', id: userId },
            details: {
              consecutiveFailures: result.failedLoginCount,
              lockedMinutes: durationMinutes,
              tokensRevoked: true,
            },
          },
          manager,
        );
      }
      return result?.lockedUntil != null;
    });
    if (locked) this.tokens.forgetSessions({ userId });
  }

  async change(principal: Principal, currentPassword: string, newPassword: string): Promise<TokenPair> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new DomainError(AuthErrorCode.AUTH_TOKEN_REVOKED);
    const passwordOk = await this.hasher.verify(user.passwordHash, currentPassword);
    const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > this.clock.now().getTime();
    if (!passwordOk || locked) {
      await this.countFailure(principal, user.id, locked ? 'locked' : 'current_password_wrong');
      throw new DomainError(AuthErrorCode.AUTH_CURRENT_PASSWORD_WRONG);
    }
    const problems = this.policy.check(newPassword, {
      username: user.username,
      displayName: user.displayName,
    });
    if (newPassword === currentPassword) problems.push('same_as_current');
    if (problems.length > 0) {
      throw new DomainError(PasswordErrorCode.PASSWORD_POLICY_VIOLATION, { problems });
    }

    const hash = await this.hasher.hash(newPassword);
    const now = this.clock.now();
    const pair = await this.users.transaction(async (manager) => {
      const tokenVersion = await this.users.changePassword(user.id, hash, now, manager);
      const ended = await this.sessionsRepository.revokeUserSessions(
        user.id,
        'password_changed',
        now,
        manager,
      );
      const restriction = sessionRestriction({ ...user, mustChangePassword: false }, false);
      const pair = await this.sessions.start({ id: user.id, tokenVersion }, restriction, manager);
      await this.audit.record(
        {
          action: AuthAuditAction.PASSWORD_CHANGE,
          outcome: 'success',
          actor: principal,
          target: { type: 'user', id: user.id },
          details: { sessionsEnded: ended, wasRestricted: principal.restriction },
        },
        manager,
      );
      return pair;
    });
    this.tokens.forgetSessions({ userId: user.id });
    return pair;
  }
}
