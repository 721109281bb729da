import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuthRecoveryCodeEntity } from './auth-recovery-code.entity';

@Injectable()
export class RecoveryCodesRepository {
  constructor(
    @InjectRepository(AuthRecoveryCodeEntity) private readonly codes: Repository<AuthRecoveryCodeEntity>,
  ) {}

  /** Replaces every code of the user with a new set (enrolment shows each set once). */
  async replace(userId: string, codeHashes: string[], now: Date, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM auth_recovery_codes WHERE user_id = $1`, [userId]);
    const repo = manager.getRepository(AuthRecoveryCodeEntity);
    await repo.insert(codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: now, usedAt: null })));
  }

  /** Uses a code once, atomically; false if unknown, another user's or already used. */
  async consume(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const [, count] = (await this.codes.manager.query(
      `UPDATE auth_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, codeHash, now],
    )) as [unknown, number];
    return count === 1;
  }

  async countUnused(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.codes.manager.query(
      `SELECT count(*)::int AS n FROM auth_recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return rows[0].n;
  }
}
