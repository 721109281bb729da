import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { decryptField, FieldCipher, totpSecretField } from '../../../common/crypto';
import { DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { AuditService } from '../../audit/audit.service';
import { AuthAuditAction } from '../auth-audit-actions';
import { AuthErrorCode } from '../auth.errors';
import { AuthUsersRepository } from '../auth-users.repository';
import type { Principal } from '../principal';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TokensService } from '../tokens/tokens.service';
import { base32Decode, base32Encode } from './base32';
import { generateRecoveryCode, hashRecoveryCode } from './recovery-codes';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { generateTotpSecret, matchTotp, otpauthUrl } from './totp';

export interface TotpEnrolment {
  /** Base32, for typing into the app by hand. */
  secret: string;
  /** For the QR code. */
  otpauthUrl: string;
}

/**
 * Binding an authenticator app: `enrol` creates a pending secret (encrypted at rest), `activate` turns
 * it on once the user proves the app shows the right codes, and hands out recovery codes once.
 */
@Injectable()
export class TotpEnrolmentService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly users: AuthUsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly tokens: TokensService,
  ) {}

  async enrol(principal: Principal): Promise<TotpEnrolment> {
    const secret = generateTotpSecret();
    // The pending secret and its audit row commit together: no secret is stored unaudited.
    await this.users.transaction(async (manager) => {
      const pending = this.cipher.encrypt(base32Encode(secret), totpSecretField(principal.userId));
      if (!(await this.users.setPendingTotpSecret(principal.userId, pending, manager))) {
        throw new DomainError(AuthErrorCode.AUTH_TOTP_ALREADY_ENABLED);
      }
      await this.audit.record(
        {
          action: AuthAuditAction.TOTP_ENROL,
          outcome: 'success',
          actor: principal,
          target: { type: 'user', id: principal.userId },
        },
        manager,
      );
    });
    return {
      secret: base32Encode(secret),
      otpauthUrl: otpauthUrl(this.config.auth.totp.issuer, principal.username, secret),
    };
  }

  /** Returns the recovery codes, in clear, this one time. */
  async activate(principal: Principal, code: string): Promise<string[]> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new DomainError(AuthErrorCode.AUTH_TOKEN_REVOKED);
    if (user.totpEnabledAt) throw new DomainError(AuthErrorCode.AUTH_TOTP_ALREADY_ENABLED);
    if (!user.totpSecretCiphertext) throw new DomainError(AuthErrorCode.AUTH_TOTP_NOT_ENROLLED);

    const now = this.clock.now();
    const secret = base32Decode(
      decryptField(this.cipher, user.totpSecretCiphertext, totpSecretField(user.id)),
    );
    const step = matchTotp(secret, code.replace(/\s/g, ''), now, this.config.auth.totp.window, null);
    if (step === null) {
      await this.audit.record({
        action: AuthAuditAction.TOTP_ACTIVATE,
        outcome: 'failure',
        actor: principal,
        target: { type: 'user', id: user.id },
        details: { reason: 'bad_code' },
      });
      throw new DomainError(AuthErrorCode.AUTH_TOTP_CODE_WRONG);
    }
    const codes = Array.from({ length: this.config.auth.totp.recoveryCodeCount }, generateRecoveryCode);
    await this.users.transaction(async (manager) => {
      if (!(await this.users.activateTotp(user.id, step, now, manager))) {
        throw new DomainError(AuthErrorCode.AUTH_TOTP_ALREADY_ENABLED);
      }
      await this.recoveryCodes.replace(user.id, codes.map(hashRecoveryCode), now, manager);
      // The step the user was held at is done: their open sessions may now do everything their roles allow.
      await this.sessions.clearRestriction(user.id, 'totp_enrolment', manager);
      await this.audit.record(
        {
          action: AuthAuditAction.TOTP_ACTIVATE,
          outcome: 'success',
          actor: principal,
          target: { type: 'user', id: user.id },
          details: { recoveryCodes: codes.length },
        },
        manager,
      );
    });
    // The lifted restriction applies to the very next request, not after the session cache ages out.
    this.tokens.forgetSessions({ userId: user.id });
    return codes;
  }
}
