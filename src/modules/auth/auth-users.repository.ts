import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { UserEntity } from '../users/user.entity';

export interface FailureResult {
  failedLoginCount: number;
  /** Set when this failure locked the account. */
  lockedUntil: Date | null;
}

/**
 * The credential side of `users` (password, lockout counters, token version, TOTP), which the auth
 * module owns. Counter and version changes are single UPDATE statements so that they stay correct when
 * several processes handle logins for the same account at once.
 */
@Injectable()
export class AuthUsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  /** A transaction for a login, a password or TOTP change: the repositories and the audit row join it. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.users.manager.transaction(work);
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { username } });
  }

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return (manager ?? this.users.manager).getRepository(UserEntity).findOne({ where: { id } });
  }

  /**
   * The vetting status of a partner account's organisation (`pending` | `approved` | `rejected` |
   * `suspended`), or null if there is none. Read here, not through the partners module, because login
   * sits below it; the partners table is the one source.
   */
  async partnerStatus(partnerId: string): Promise<string | null> {
    const rows: { status: string }[] = await this.users.manager.query(
      `SELECT status FROM partners WHERE id = $1`,
      [partnerId],
    );
    return rows[0]?.status ?? null;
  }

  /**
   * Counts one failed attempt. After a lock has run out the count starts again from 1; reaching
   * `maxFailures` sets `locked_until`. Returns null when the account is locked right now (a concurrent
   * failure locked it first): attempts during a lock neither count nor extend it.
   */
  async recordFailure(
    userId: string,
    now: Date,
    maxFailures: number,
    lockMinutes: number,
    manager?: EntityManager,
  ): Promise<FailureResult | null> {
    const [rows] = (await (manager ?? this.users.manager).query(
      `UPDATE users SET
         failed_login_count = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END) >= $2
             THEN $1::timestamptz + make_interval(mins => $3)
           ELSE NULL END
       WHERE id = $4 AND (locked_until IS NULL OR locked_until <= $1)
       RETURNING failed_login_count, locked_until`,
      [now, maxFailures, lockMinutes, userId],
    )) as [{ failed_login_count: number; locked_until: Date | null }[], number];
    const row = rows[0];
    return row ? { failedLoginCount: row.failed_login_count, lockedUntil: row.locked_until } : null;
  }

  /**
   * Clears the failure counter for a successful login, unless the account is locked at `now`: failures
   * counted by concurrent attempts may have locked it since its state was read. False = locked: refuse.
   */
  async clearFailuresUnlessLocked(userId: string, now: Date, manager?: EntityManager): Promise<boolean> {
    const [rows] = (await (manager ?? this.users.manager).query(
      `UPDATE users SET failed_login_count = 0, locked_until = NULL
       WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)
       RETURNING id`,
      [userId, now],
    )) as [unknown[], number];
    return rows.length === 1;
  }

  /** Makes every token and session of the user invalid at once; returns the new version. */
  async bumpTokenVersion(userId: string, manager?: EntityManager): Promise<number> {
    const [rows] = (await (manager ?? this.users.manager).query(
      `UPDATE users SET token_version = token_version + 1, updated_at = now() WHERE id = $1 RETURNING token_version`,
      [userId],
    )) as [{ token_version: number }[], number];
    return rows[0].token_version;
  }

  /** A new password chosen by the user: clears the reset flag and ends every existing token. */
  async changePassword(userId: string, hash: string, now: Date, manager?: EntityManager): Promise<number> {
    const [rows] = (await (manager ?? this.users.manager).query(
      `UPDATE users SET password_hash = $2, password_changed_at = $3, must_change_password = false,
         failed_login_count = 0, locked_until = NULL, token_version = token_version + 1, updated_at = now()
       WHERE id = $1 RETURNING token_version`,
      [userId, hash, now],
    )) as [{ token_version: number }[], number];
    return rows[0].token_version;
  }

  /** The same password under the current hashing parameters (no change of password age). */
  async rehash(userId: string, oldHash: string, newHash: string): Promise<void> {
    await this.users.manager.query(
      `UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`,
      [userId, oldHash, newHash],
    );
  }

  /** Stores a new pending secret; refused (false) once TOTP is active. */
  async setPendingTotpSecret(userId: string, ciphertext: string, manager?: EntityManager): Promise<boolean> {
    const [, count] = (await (manager ?? this.users.manager).query(
      `UPDATE users SET totp_secret_ciphertext = $2, totp_last_step = NULL, updated_at = now()
       WHERE id = $1 AND totp_enabled_at IS NULL`,
      [userId, ciphertext],
    )) as [unknown, number];
    return count === 1;
  }

  /** Turns the pending secret on, recording the step of the code that proved it. */
  async activateTotp(userId: string, step: number, now: Date, manager: EntityManager): Promise<boolean> {
    const [, count] = (await manager.query(
      `UPDATE users SET totp_enabled_at = $3, totp_last_step = $2, updated_at = now()
       WHERE id = $1 AND totp_enabled_at IS NULL AND totp_secret_ciphertext IS NOT NULL`,
      [userId, step, now],
    )) as [unknown, number];
    return count === 1;
  }

  /**
   * Accepts a TOTP step only if it is later than the last accepted one, atomically: two processes
   * presented the same code concurrently cannot both accept it.
   */
  async acceptTotpStep(userId: string, step: number): Promise<boolean> {
    const [, count] = (await this.users.manager.query(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [userId, step],
    )) as [unknown, number];
    return count === 1;
  }
}
