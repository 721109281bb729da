import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { OrgLevel } from '../../org-units/org-unit.entity';
import type { AccountKind, StaffRole } from '../principal';
import { AuthMfaChallengeEntity } from './auth-mfa-challenge.entity';
import { AuthRefreshTokenEntity } from './auth-refresh-token.entity';
import { AuthSessionEntity, RevokeReason, SessionRestriction } from './auth-session.entity';

/** What GET /me shows of an account beyond its principal (phone still encrypted). */
export interface AccountSnapshot {
  displayName: string;
  phoneCiphertext: string | null;
  passwordChangedAt: Date;
  totpEnabledAt: Date | null;
  expiresAt: Date | null;
  orgUnit: { id: string; name: string; level: OrgLevel } | null;
}

/** A session with what token verification needs to know about its user, read in one query. */
export interface SessionWithUser {
  sessionId: string;
  userId: string;
  restriction: SessionRestriction | null;
  sessionTokenVersion: number;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  username: string;
  kind: AccountKind;
  roles: StaffRole[];
  orgUnitId: string | null;
  orgPath: string | null;
  partnerId: string | null;
  userTokenVersion: number;
  disabledAt: Date | null;
  userExpiresAt: Date | null;
  /** What GET /me shows besides the principal, read in the same query as the session check. */
  account: AccountSnapshot;
}

export interface NewSession {
  userId: string;
  restriction: SessionRestriction | null;
  tokenVersion: number;
  now: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

interface SessionWithUserRow {
  session_id: string;
  user_id: string;
  restriction: SessionRestriction | null;
  session_token_version: number;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  username: string;
  kind: AccountKind;
  roles: StaffRole[];
  org_unit_id: string | null;
  org_path: string | null;
  partner_id: string | null;
  user_token_version: number;
  disabled_at: Date | null;
  user_expires_at: Date | null;
  display_name: string;
  phone_ciphertext: string | null;
  password_changed_at: Date;
  totp_enabled_at: Date | null;
  unit_name: string | null;
  unit_level: OrgLevel | null;
}

const SESSION_WITH_USER = `
  SELECT s.id AS session_id, s.user_id, s.restriction, s.token_version AS session_token_version,
         s.last_seen_at, s.expires_at, s.revoked_at,
         u.username, u.kind, u.roles, u.org_unit_id, o.path AS org_path, u.partner_id,
         u.token_version AS user_token_version, u.disabled_at, u.expires_at AS user_expires_at,
         u.display_name, u.phone_ciphertext, u.password_changed_at, u.totp_enabled_at,
         o.name AS unit_name, o.level AS unit_level
  FROM auth_sessions s
  JOIN users u ON u.id = s.user_id
  LEFT JOIN org_units o ON o.id = u.org_unit_id`;

/** Sessions, their refresh tokens, and the MFA login challenges. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createSession(input: NewSession, manager?: EntityManager): Promise<AuthSessionEntity> {
    const repo = (manager ?? this.dataSource.manager).getRepository(AuthSessionEntity);
    return repo.save(
      repo.create({
        userId: input.userId,
        restriction: input.restriction,
        tokenVersion: input.tokenVersion,
        createdAt: input.now,
        lastSeenAt: input.now,
        expiresAt: input.expiresAt,
        revokedAt: null,
        revokeReason: null,
        ip: input.ip,
        userAgent: input.userAgent,
      }),
    );
  }

  async findSessionWithUser(sessionId: string): Promise<SessionWithUser | null> {
    const rows: SessionWithUserRow[] = await this.dataSource.query(`${SESSION_WITH_USER} WHERE s.id = $1`, [
      sessionId,
    ]);
    return rows[0] ? toSessionWithUser(rows[0]) : null;
  }

  /** Records activity, at most once per `intervalSeconds` (a token is verified on every request). */
  async touch(sessionId: string, now: Date, intervalSeconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_sessions SET last_seen_at = $2
       WHERE id = $1 AND revoked_at IS NULL AND last_seen_at <= $2::timestamptz - make_interval(secs => $3)`,
      [sessionId, now, intervalSeconds],
    );
  }

  /** Activity that must be recorded now (a refresh), whatever the touch interval. */
  async markSeen(sessionId: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE auth_sessions SET last_seen_at = $2 WHERE id = $1`, [sessionId, now]);
  }

  /** Ends one session; false if it had already ended. */
  async revokeSession(
    sessionId: string,
    reason: RevokeReason,
    now: Date,
    manager?: EntityManager,
  ): Promise<boolean> {
    const [, count] = (await (manager ?? this.dataSource.manager).query(
      `UPDATE auth_sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, now, reason],
    )) as [unknown, number];
    return count === 1;
  }

  /** Ends every open session of the user; returns how many. */
  async revokeUserSessions(
    userId: string,
    reason: RevokeReason,
    now: Date,
    manager?: EntityManager,
  ): Promise<number> {
    const [, count] = (await (manager ?? this.dataSource.manager).query(
      `UPDATE auth_sessions SET revoked_at = $2, revoke_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, now, reason],
    )) as [unknown, number];
    return count;
  }

  /** Lifts a restriction from the user's open sessions once the required step is done. */
  async clearRestriction(
    userId: string,
    restriction: SessionRestriction,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `UPDATE auth_sessions SET restriction = NULL WHERE user_id = $1 AND restriction = $2 AND revoked_at IS NULL`,
      [userId, restriction],
    );
  }

  async createRefreshToken(
    sessionId: string,
    tokenHash: string,
    now: Date,
    expiresAt: Date,
    manager?: EntityManager,
  ): Promise<AuthRefreshTokenEntity> {
    const repo = (manager ?? this.dataSource.manager).getRepository(AuthRefreshTokenEntity);
    return repo.save(
      repo.create({ sessionId, tokenHash, createdAt: now, expiresAt, usedAt: null, replacedById: null }),
    );
  }

  findRefreshToken(tokenHash: string): Promise<AuthRefreshTokenEntity | null> {
    return this.dataSource.getRepository(AuthRefreshTokenEntity).findOne({ where: { tokenHash } });
  }

  /**
   * Marks a refresh token used, only if it was not used yet: of two concurrent refreshes with the same
   * token exactly one wins, the other is treated as reuse.
   */
  async markRefreshTokenUsed(id: string, now: Date, manager: EntityManager): Promise<boolean> {
    const [, count] = (await manager.query(
      `UPDATE auth_refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL`,
      [id, now],
    )) as [unknown, number];
    return count === 1;
  }

  async linkReplacement(id: string, replacedById: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE auth_refresh_tokens SET replaced_by_id = $2 WHERE id = $1`, [
      id,
      replacedById,
    ]);
  }

  async createMfaChallenge(
    userId: string,
    now: Date,
    expiresAt: Date,
    ip: string | null,
  ): Promise<AuthMfaChallengeEntity> {
    const repo = this.dataSource.getRepository(AuthMfaChallengeEntity);
    return repo.save(
      repo.create({ userId, createdAt: now, expiresAt, consumedAt: null, failedAttempts: 0, ip }),
    );
  }

  findOpenMfaChallenge(id: string): Promise<AuthMfaChallengeEntity | null> {
    return this.dataSource
      .getRepository(AuthMfaChallengeEntity)
      .findOne({ where: { id, consumedAt: IsNull() } });
  }

  /** Single use: true for exactly one caller, and only while the challenge is open. */
  async consumeMfaChallenge(id: string, now: Date, manager?: EntityManager): Promise<boolean> {
    const [, count] = (await (manager ?? this.dataSource.manager).query(
      `UPDATE auth_mfa_challenges SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2`,
      [id, now],
    )) as [unknown, number];
    return count === 1;
  }

  /** Counts a wrong code; the challenge is consumed once `maxAttempts` is reached. */
  async failMfaChallenge(id: string, now: Date, maxAttempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_mfa_challenges SET failed_attempts = failed_attempts + 1,
         consumed_at = CASE WHEN failed_attempts + 1 >= $3 THEN $2::timestamptz ELSE consumed_at END
       WHERE id = $1 AND consumed_at IS NULL`,
      [id, now, maxAttempts],
    );
  }
}

function toSessionWithUser(row: SessionWithUserRow): SessionWithUser {
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    restriction: row.restriction,
    sessionTokenVersion: row.session_token_version,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    username: row.username,
    kind: row.kind,
    roles: row.roles,
    orgUnitId: row.org_unit_id,
    orgPath: row.org_path,
    partnerId: row.partner_id,
    userTokenVersion: row.user_token_version,
    disabledAt: row.disabled_at,
    userExpiresAt: row.user_expires_at,
    account: {
      displayName: row.display_name,
      phoneCiphertext: row.phone_ciphertext,
      passwordChangedAt: row.password_changed_at,
      totpEnabledAt: row.totp_enabled_at,
      expiresAt: row.user_expires_at,
      orgUnit:
        row.org_unit_id && row.unit_name && row.unit_level
          ? { id: row.org_unit_id, name: row.unit_name, level: row.unit_level }
          : null,
    },
  };
}
