import { AuthMfaChallengeEntity } from './sessions/auth-mfa-challenge.entity';
import { AuthRefreshTokenEntity } from './sessions/auth-refresh-token.entity';
import { AuthSessionEntity } from './sessions/auth-session.entity';
import { AuthRecoveryCodeEntity } from './totp/auth-recovery-code.entity';

export { AuthMfaChallengeEntity, AuthRecoveryCodeEntity, AuthRefreshTokenEntity, AuthSessionEntity };

export const AUTH_ENTITIES = [
  AuthSessionEntity,
  AuthRefreshTokenEntity,
  AuthRecoveryCodeEntity,
  AuthMfaChallengeEntity,
];
