import { randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../../config';

interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

const ARGON2ID_PREFIX = '$argon2id$';

/**
 * argon2id password hashing with the configured cost. Hashes are self-describing (PHC string), so
 * raising the cost in config makes old hashes report `needsRehash` and they are upgraded at next login.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly params: Argon2Params;
  /** A real hash of a random value: verifying against it costs what a real verification costs. */
  private dummyHash: string | null = null;

  constructor(config: AppConfig) {
    const { memoryCost, timeCost, parallelism } = config.auth.password.hashing;
    this.params = { memoryCost, timeCost, parallelism };
  }

  async onModuleInit(): Promise<void> {
    await this.ensureDummy();
  }

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, ...this.params });
  }

  /** False for a wrong password and for a malformed stored hash (never throws on bad input). */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as `verify` and always answers false: used when the username is unknown (or
   * the account cannot log in) so that timing does not reveal which accounts exist.
   */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.ensureDummy(), password);
    return false;
  }

  /** True when the stored hash is not argon2id or was made with other parameters than configured now. */
  needsRehash(passwordHash: string): boolean {
    if (!passwordHash.startsWith(ARGON2ID_PREFIX)) return true;
    const match = /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
    if (!match) return true;
    const [m, t, p] = match.slice(1).map(Number);
    return m !== this.params.memoryCost || t !== this.params.timeCost || p !== this.params.parallelism;
  }

  private async ensureDummy(): Promise<string> {
    if (!this.dummyHash) {
      this.dummyHash = await this.hash(randomBytes(24).toString('base64url'));
    }
    return this.dummyHash;
  }
}
