import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { requestContext } from '../../../common/context/request-context';
import { decryptField, FieldCipher, totpSecretField } from '../../../common/crypto';
import { DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { AuditActor, AuditService } from '../../audit/audit.service';
import { PasswordHasher } from '../../users/password/password-hasher';
import { PasswordPolicy } from '../../users/password/password-policy';
import type { UserEntity } from '../../users/user.entity';
import { AuthAuditAction } from '../auth-audit-actions';
import { AuthErrorCode } from '../auth.errors';
import { AuthUsersRepository } from '../auth-users.repository';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { accountBlock, AccountBlock, sessionRestriction } from '../rules/account-state.rule';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService, TokenPair } from '../sessions/sessions.service';
import { TokensService } from '../tokens/tokens.service';
import { hashRecoveryCode } from '../totp/recovery-codes';
import { RecoveryCodesRepository } from '../totp/recovery-codes.repository';
import { base32Decode } from '../totp/base32';
import { matchTotp } from '../totp/totp';

export type LoginResult =
  { mfaRequired: false; tokens: TokenPair } | { mfaRequired: true; mfaToken: string; expiresIn: number };

export type SecondFactor = { code: string } | { recoveryCode: string };

/** Wrong codes one challenge tolerates before the password must be entered again. */
const MAX_CHALLENGE_ATTEMPTS = 5;

/**
 * Password login and its TOTP second step. Every refusal looks the same from outside (one code, one
 * message, a real or dummy argon2 verification first); the reason goes to the audit log only.
 * Failures are counted in PostgreSQL with single UPDATEs, so the lockout holds across processes.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly users: AuthUsersRepository,
    private readonly sessionsRepository: SessionsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly rateLimit: RateLimitService,
  ) {}

  async login(rawUsername: string, password: string): Promise<LoginResult> {
    const username = normalizeUsername(rawUsername);
    const ip = requestContext.current()?.ip ?? null;
    await this.rateLimit.enforceIp('login', ip);
    await this.rateLimit.enforceAccount('login', username, ip);

    const user = await this.users.findByUsername(username);
    if (!user) {
      await this.hasher.verifyDummy(password);
      return this.refuse({ username }, 'unknown_user');
    }
    // Verify before looking at the account state, so that locked, disabled and expired accounts answer
    // in the same time as a wrong password.
    const passwordOk = await this.hasher.verify(user.passwordHash, password);
    const now = this.clock.now();
    const block = accountBlock(user, now);
    if (block) return this.refuse(actorOf(user), block);
    if (!passwordOk) return this.refuseAndCount(user, now, AuthAuditAction.LOGIN, 'bad_password');
    if (user.kind === 'partner') await this.assertPartnerApproved(user);

    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.rehash(user.id, user.passwordHash, await this.hasher.hash(password));
    }
    if (user.totpEnabledAt) return this.challenge(user, now);

    const restriction = sessionRestriction(user, this.policy.isExpired(user, now));
    const tokens = await this.users.transaction(async (manager) => {
      if (!(await this.users.clearFailuresUnlessLocked(user.id, now, manager))) return null;
      const pair = await this.sessions.start(user, restriction, manager);
      await this.audit.record(
        {
          action: AuthAuditAction.LOGIN,
          outcome: 'success',
          actor: actorOf(user),
          target: { type: 'session', id: pair.sessionId },
          details: { restriction },
        },
        manager,
      );
      return pair;
    });
    // Locked by failures counted concurrently with this (correct) attempt: a burst buys no extra guesses.
    if (!tokens) return this.refuse(actorOf(user), 'locked');
    return { mfaRequired: false, tokens };
  }

  async loginWithSecondFactor(mfaToken: string, factor: SecondFactor): Promise<TokenPair> {
    const { userId, challengeId } = this.tokens.verifyMfaToken(mfaToken);
    const ip = requestContext.current()?.ip ?? null;
    await this.rateLimit.enforceIp('loginTotp', ip);
    await this.rateLimit.enforceAccount('loginTotp', userId, ip);
    const now = this.clock.now();
    const challenge = await this.sessionsRepository.findOpenMfaChallenge(challengeId);
    if (!challenge || challenge.userId !== userId || challenge.expiresAt.getTime() <= now.getTime()) {
      throw new DomainError(AuthErrorCode.AUTH_MFA_INVALID);
    }
    const user = await this.users.findById(userId);
    if (!user || !user.totpEnabledAt || !user.totpSecretCiphertext) {
      throw new DomainError(AuthErrorCode.AUTH_MFA_INVALID);
    }
    const block = accountBlock(user, now);
    if (block) {
      await this.sessionsRepository.consumeMfaChallenge(challengeId, now);
      return this.refuse(actorOf(user), block, AuthAuditAction.LOGIN_TOTP);
    }

    const method = 'code' in factor ? 'totp' : 'recovery_code';
    const accepted =
      'code' in factor
        ? await this.acceptTotp(user, factor.code, now)
        : await this.recoveryCodes.consume(user.id, hashRecoveryCode(factor.recoveryCode), now);
    if (!accepted) {
      await this.sessionsRepository.failMfaChallenge(challengeId, now, MAX_CHALLENGE_ATTEMPTS);
      await this.countFailure(user, now, AuthAuditAction.LOGIN_TOTP, 'bad_code', { method });
      throw new DomainError(AuthErrorCode.AUTH_TOTP_INVALID);
    }

    const restriction = sessionRestriction(user, this.policy.isExpired(user, now));
    const recoveryCodesLeft =
      method === 'recovery_code' ? await this.recoveryCodes.countUnused(user.id) : undefined;
    const pair = await this.users.transaction(async (manager) => {
      if (!(await this.sessionsRepository.consumeMfaChallenge(challengeId, now, manager))) {
        throw new DomainError(AuthErrorCode.AUTH_MFA_INVALID);
      }
      if (!(await this.users.clearFailuresUnlessLocked(user.id, now, manager))) return null;
      const pair = await this.sessions.start(user, restriction, manager);
      await this.audit.record(
        {
          action: AuthAuditAction.LOGIN_TOTP,
          outcome: 'success',
          actor: actorOf(user),
          target: { type: 'session', id: pair.sessionId },
          details: { method, restriction, ...(recoveryCodesLeft !== undefined && { recoveryCodesLeft }) },
        },
        manager,
      );
      return pair;
    });
    if (!pair) return this.refuse(actorOf(user), 'locked', AuthAuditAction.LOGIN_TOTP);
    return pair;
  }

  private async challenge(user: UserEntity, now: Date): Promise<LoginResult> {
    const ttl = this.config.auth.totp.challengeTtlSeconds;
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    const challenge = await this.sessionsRepository.createMfaChallenge(
      user.id,
      now,
      expiresAt,
      requestContext.current()?.ip ?? null,
    );
    // The password step is recorded; the failure counter is reset only when the second factor succeeds,
    // so knowing the password does not buy unlimited TOTP guesses.
    await this.audit.record({
      action: AuthAuditAction.LOGIN,
      outcome: 'success',
      actor: actorOf(user),
      target: { type: 'user', id: user.id },
      details: { mfaRequired: true },
    });
    return {
      mfaRequired: true,
      mfaToken: this.tokens.signMfaToken(user.id, challenge.id, expiresAt),
      expiresIn: ttl,
    };
  }

  private async acceptTotp(user: UserEntity, code: string, now: Date): Promise<boolean> {
    const secret = base32Decode(
      decryptField(this.cipher, user.totpSecretCiphertext!, totpSecretField(user.id)),
    );
    const lastStep = user.totpLastStep === null ? null : Number(user.totpLastStep);
    const step = matchTotp(secret, code.replace(/\s/g, ''), now, this.config.auth.totp.window, lastStep);
    return step !== null && (await this.users.acceptTotpStep(user.id, step));
  }

  /**
   * A partner account logs in only while its organisation is approved. The password was right, so the
   * caller learns the reason (a clear code instead of AUTH_LOGIN_FAILED); no failure is counted.
   */
  private async assertPartnerApproved(user: UserEntity): Promise<void> {
    const partnerStatus = user.partnerId ? await this.users.partnerStatus(user.partnerId) : null;
    if (partnerStatus === 'approved') return;
    if (partnerStatus === null) return this.refuse(actorOf(user), 'disabled');
    await this.audit.record({
      action: AuthAuditAction.LOGIN,
      outcome: 'failure',
      actor: actorOf(user),
      details: { reason: 'partner_not_approved', partnerStatus },
    });
    throw new DomainError(AuthErrorCode.AUTH_PARTNER_NOT_APPROVED, { partnerStatus });
  }

  private async refuse(
    actor: AuditActor,
    reason: AccountBlock | 'unknown_user',
    action: string = AuthAuditAction.LOGIN,
  ): Promise<never> {
    await this.audit.record({ action, outcome: 'failure', actor, details: { reason } });
    throw new DomainError(AuthErrorCode.AUTH_LOGIN_FAILED);
  }

  private async refuseAndCount(user: UserEntity, now: Date, action: string, reason: string): Promise<never> {
    await this.countFailure(user, now, action, reason);
    throw new DomainError(AuthErrorCode.AUTH_LOGIN_FAILED);
  }

  /** Counts the failure and audits it, and the lockout if this failure caused one, in one transaction. */
  private async countFailure(
    user: UserEntity,
    now: Date,
    action: string,
    reason: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const { maxFailures, durationMinutes } = this.config.auth.lockout;
    await this.users.transaction(async (manager) => {
      const result = await this.users.recordFailure(user.id, now, maxFailures, durationMinutes, manager);
      const actor = actorOf(user);
      await this.audit.record(
        {
          action,
          outcome: 'failure',
          actor,
          target: { type: 'user', id: user.id },
          details: { reason, ...extra, consecutiveFailures: result?.failedLoginCount ?? null },
        },
        manager,
      );
      if (result?.lockedUntil) {
        await this.audit.record(
          {
            action: AuthAuditAction.LOCKOUT,
            outcome: 'success',
            actor,
            target: { type: 'user', id: user.id },
            details: { consecutiveFailures: result.failedLoginCount, lockedMinutes: durationMinutes },
          },
          manager,
        );
      }
    });
  }
}

/** Login names are stored lower-case; what users type is trimmed and lower-cased the same way. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

function actorOf(user: UserEntity): AuditActor {
  return {
    userId: user.id,
    username: user.username,
    kind: user.kind,
    roles: user.roles,
    orgUnitId: user.orgUnitId,
  };
}
