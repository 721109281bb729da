import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { PasswordHasher, PasswordPolicy } from './password';
import { userStatus, UserStatus } from './rules/user-status.rule';
import { UserEntity } from './user.entity';
import { UsersErrorCode } from './users.errors';
import { UsersRepository } from './users.repository';

/** A partner account's login, checked against the password policy and hashed (outside any transaction). */
export interface PreparedPartnerAccount {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
}

/** What a partner sees of its own accounts. */
export interface PartnerAccountView {
  id: string;
  username: string;
  displayName: string;
  status: UserStatus;
  /** The partner's first account: the one that adds and disables the others. */
  first: boolean;
  disabledAt: Date | null;
  createdAt: Date;
}

/**
 * Partner organisations' login accounts (kind `partner`, `partner_id` set, managed by the partner's
 * union unit), for the partners module: the first account at registration, more added and disabled by
 * that first account. No access check and no audit here: the partners module decides and records.
 */
@Injectable()
export class PartnerAccountsService {
  constructor(
    private readonly repository: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
  ) {}

  /** Password policy (PASSWORD_POLICY_VIOLATION) and a taken name (USERNAME_TAKEN), then the hash. */
  async prepare(input: {
    username: string;
    displayName: string;
    password: string;
  }): Promise<PreparedPartnerAccount> {
    const username = input.username.trim().toLowerCase();
    this.policy.assertAcceptable(input.password, { username, displayName: input.displayName });
    if (await this.repository.findByUsername(username)) throw new DomainError(UsersErrorCode.USERNAME_TAKEN);
    return {
      id: randomUUID(),
      username,
      displayName: input.displayName,
      passwordHash: await this.hasher.hash(input.password),
    };
  }

  /**
   * Inserts the prepared account inside the caller's transaction. `mustChangePassword`: accounts another
   * person chose the password of change it at first login; the registrant's own account does not.
   */
  async insert(
    manager: EntityManager,
    account: PreparedPartnerAccount,
    owner: { partnerId: string; orgUnitId: string; createdBy: string | null; mustChangePassword: boolean },
  ): Promise<string> {
    return this.repository.insert(manager, {
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      kind: 'partner',
      roles: [],
      orgUnitId: owner.orgUnitId,
      partnerId: owner.partnerId,
      phoneCiphertext: null,
      phoneBlindIndex: null,
      passwordHash: account.passwordHash,
      passwordChangedAt: this.clock.now(),
      mustChangePassword: owner.mustChangePassword,
      expiresAt: null,
      createdBy: owner.createdBy,
    });
  }

  /** The partner's accounts, oldest (the first) first. */
  async list(partnerId: string, manager?: EntityManager): Promise<PartnerAccountView[]> {
    const now = this.clock.now();
    const rows = await this.repository.listByPartner(partnerId, manager);
    return rows.map((user, index) => view(user, index === 0, now));
  }

  /** The partner's first account's id, or null if it has none (union partners). */
  async firstAccountId(partnerId: string, manager?: EntityManager): Promise<string | null> {
    return (await this.repository.listByPartner(partnerId, manager))[0]?.id ?? null;
  }

  /**
   * Disables one account of the partner (row-locked), ending its sessions. USER_NOT_FOUND when the
   * account does not belong to the partner; USER_ALREADY_DISABLED when it is disabled already.
   */
  async disable(manager: EntityManager, partnerId: string, userId: string, reason: string): Promise<void> {
    const user = await this.repository.findByIdForUpdate(manager, userId);
    if (!user || user.partnerId !== partnerId) throw new DomainError(UsersErrorCode.USER_NOT_FOUND);
    if (user.disabledAt) throw new DomainError(UsersErrorCode.USER_ALREADY_DISABLED);
    await this.repository.update(
      manager,
      user.id,
      { disabledAt: this.clock.now(), disabledReason: reason },
      { bumpTokenVersion: true },
    );
  }

  /** Ends every session of every account of the partner (suspension); returns how many accounts. */
  revokeSessions(manager: EntityManager, partnerId: string): Promise<number> {
    return this.repository.bumpTokenVersionOfPartner(manager, partnerId);
  }
}

function view(user: UserEntity, first: boolean, now: Date): PartnerAccountView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    status: userStatus(user, now),
    first,
    disabledAt: user.disabledAt,
    createdAt: user.createdAt,
  };
}
