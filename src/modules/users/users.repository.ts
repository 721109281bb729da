import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, QueryFailedError, Repository, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../../common/errors';
import type { AccountKind, StaffRole } from '../auth/principal';
import type { OrgUnitEntity } from '../org-units/org-unit.entity';
import type { UserStatus } from './rules/user-status.rule';
import { UserEntity } from './user.entity';
import { UsersErrorCode } from './users.errors';

/** An account with its unit loaded (the unit's path decides who may manage it). */
export type UserWithUnit = UserEntity & { orgUnit: OrgUnitEntity | null };

export interface NewUser {
  /** Chosen by the caller when a column is encrypted for this row (FieldCipher binds it to its row id). */
  id?: string;
  username: string;
  displayName: string;
  kind: AccountKind;
  roles: StaffRole[];
  orgUnitId: string | null;
  partnerId: string | null;
  phoneCiphertext: string | null;
  phoneBlindIndex: string | null;
  passwordHash: string;
  passwordChangedAt: Date;
  mustChangePassword: boolean;
  expiresAt: Date | null;
  createdBy: string | null;
}

/** Columns an administrator's actions change (credentials state included: resets, unlocks). */
export type UserChanges = Partial<
  Pick<
    UserEntity,
    | 'displayName'
    | 'roles'
    | 'orgUnitId'
    | 'phoneCiphertext'
    | 'phoneBlindIndex'
    | 'passwordHash'
    | 'passwordChangedAt'
    | 'mustChangePassword'
    | 'failedLoginCount'
    | 'lockedUntil'
    | 'disabledAt'
    | 'disabledReason'
    | 'expiresAt'
  >
>;

export interface UpdateOptions {
  /** Optimistic lock: update only if the row is still at this version. */
  expectedVersion?: number;
  /** Invalidate every token of the account in the same statement. */
  bumpTokenVersion?: boolean;
}

export interface UserListCriteria {
  /** The caller's scope: units whose path starts with this. */
  scopePath: string;
  /** Also accounts without a unit (only the root unit's administrators see those). */
  includeUnassigned: boolean;
  /** Restrict to this unit's subtree (already checked to be within scope). */
  subtreePath?: string;
  kind?: AccountKind;
  role?: StaffRole;
  status?: UserStatus;
  q?: string;
  now: Date;
  skip: number;
  take: number;
}

/** Names of the unique constraints whose violation is a client error, not a bug. */
const USERNAME_UNIQUE = 'UQ_fe0bb3f6520ee0469504521e710';
export const PHONE_ACTIVE_UNIQUE = 'uq_users_phone_active';
const PARTNER_FOREIGN_KEY = 'fk_users_partner';

/** The only code that touches TypeORM for accounts. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.users.manager.transaction(work);
  }

  findById(id: string, manager: EntityManager = this.users.manager): Promise<UserWithUnit | null> {
    return this.withUnit(manager).where('u.id = :id', { id }).getOne() as Promise<UserWithUnit | null>;
  }

  /** Reads and row-locks the account until the transaction ends (the unit is read, not locked). */
  findByIdForUpdate(manager: EntityManager, id: string): Promise<UserWithUnit | null> {
    return this.withUnit(manager)
      .where('u.id = :id', { id })
      .setLock('pessimistic_write', undefined, ['u'])
      .getOne() as Promise<UserWithUnit | null>;
  }

  findByUsername(
    username: string,
    manager: EntityManager = this.users.manager,
  ): Promise<UserWithUnit | null> {
    return this.withUnit(manager)
      .where('u.username = :username', { username: username.trim().toLowerCase() })
      .getOne() as Promise<UserWithUnit | null>;
  }

  /** Whether an account that is not disabled already uses this phone number (by blind index). */
  async phoneInUse(manager: EntityManager, phoneBlindIndex: string, exceptUserId?: string): Promise<boolean> {
    const qb = manager
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.phoneBlindIndex = :bidx', { bidx: phoneBlindIndex })
      .andWhere('u.disabledAt IS NULL');
    if (exceptUserId) qb.andWhere('u.id <> :exceptUserId', { exceptUserId });
    return (await qb.getCount()) > 0;
  }

  async insert(manager: EntityManager, user: NewUser): Promise<string> {
    try {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values(user)
        .returning(['id'])
        .execute();
      return (result.identifiers[0] as { id: string }).id;
    } catch (error) {
      throw translateInsertViolation(error);
    }
  }

  /**
   * Applies `changes` (version and updated_at move too); false when no row matched — the account is gone
   * or, with `expectedVersion`, someone else changed it first.
   */
  async update(
    manager: EntityManager,
    id: string,
    changes: UserChanges,
    options: UpdateOptions = {},
  ): Promise<boolean> {
    const qb = manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({
        ...changes,
        ...(options.bumpTokenVersion ? { tokenVersion: () => 'token_version + 1' } : {}),
      })
      .where('id = :id', { id });
    if (options.expectedVersion !== undefined) {
      qb.andWhere('version = :version', { version: options.expectedVersion });
    }
    try {
      const result = await qb.execute();
      return (result.affected ?? 0) > 0;
    } catch (error) {
      throw translateUniqueViolation(error);
    }
  }

  async list(criteria: UserListCriteria): Promise<{ rows: UserWithUnit[]; total: number }> {
    const qb = this.withUnit(this.users.manager).where(
      new Brackets((scope) => {
        scope.where('ou.path LIKE :scope', { scope: `${escapeLike(criteria.scopePath)}%` });
        if (criteria.includeUnassigned) scope.orWhere('u.orgUnitId IS NULL');
      }),
    );
    if (criteria.subtreePath) {
      qb.andWhere('ou.path LIKE :subtree', { subtree: `${escapeLike(criteria.subtreePath)}%` });
    }
    if (criteria.kind) qb.andWhere('u.kind = :kind', { kind: criteria.kind });
    if (criteria.role) qb.andWhere(':role = ANY(u.roles)', { role: criteria.role });
    if (criteria.status) applyStatus(qb, criteria.status, criteria.now);
    if (criteria.q) {
      qb.andWhere(
        new Brackets((q) => {
          const pattern = `%${escapeLike(criteria.q!)}%`;
          q.where('u.username ILIKE :q', { q: pattern }).orWhere('u.displayName ILIKE :q', { q: pattern });
        }),
      );
    }
    const [rows, total] = await qb
      .orderBy('u.username', 'ASC')
      .offset(criteria.skip)
      .limit(criteria.take)
      .getManyAndCount();
    return { rows: rows as UserWithUnit[], total };
  }

  /** The accounts of a partner organisation, oldest first (the first is the partner's own administrator). */
  listByPartner(partnerId: string, manager: EntityManager = this.users.manager): Promise<UserEntity[]> {
    return manager
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.partnerId = :partnerId', { partnerId })
      .orderBy('u.createdAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .getMany();
  }

  /** Ends every session of every account of the partner (token versions move). */
  async bumpTokenVersionOfPartner(manager: EntityManager, partnerId: string): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({ tokenVersion: () => 'token_version + 1' })
      .where('partner_id = :partnerId', { partnerId })
      .execute();
    return result.affected ?? 0;
  }

  /** Ids of temporary accounts past their end and not yet disabled, oldest expiry first. */
  async findExpiredIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.users
      .createQueryBuilder('u')
      .select('u.id', 'id')
      .where('u.disabledAt IS NULL')
      .andWhere('u.expiresAt <= :now', { now })
      .orderBy('u.expiresAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /**
   * Disables the account if — checked in the same statement — it is still enabled and expired, and
   * invalidates its tokens. False when another run (or an administrator) got there first.
   */
  async disableIfExpired(manager: EntityManager, id: string, now: Date, reason: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({ disabledAt: now, disabledReason: reason, tokenVersion: () => 'token_version + 1' })
      .where('id = :id', { id })
      .andWhere('disabled_at IS NULL')
      .andWhere('expires_at <= :now', { now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private withUnit(manager: EntityManager): SelectQueryBuilder<UserEntity> {
    return manager.getRepository(UserEntity).createQueryBuilder('u').leftJoinAndSelect('u.orgUnit', 'ou');
  }
}

/** Same precedence as `userStatus` (rules/user-status.rule.ts): disabled > expired > locked > active. */
function applyStatus(qb: SelectQueryBuilder<UserEntity>, status: UserStatus, now: Date): void {
  qb.setParameter('now', now);
  const notExpired = '(u.expiresAt IS NULL OR u.expiresAt > :now)';
  switch (status) {
    case 'disabled':
      qb.andWhere('u.disabledAt IS NOT NULL');
      return;
    case 'expired':
      qb.andWhere('u.disabledAt IS NULL AND u.expiresAt <= :now');
      return;
    case 'locked':
      qb.andWhere(`u.disabledAt IS NULL AND ${notExpired} AND u.lockedUntil > :now`);
      return;
    case 'active':
      qb.andWhere(
        `u.disabledAt IS NULL AND ${notExpired} AND (u.lockedUntil IS NULL OR u.lockedUntil <= :now)`,
      );
      return;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A duplicate username or an active duplicate phone (a race the service's own checks can lose). */
function translateUniqueViolation(error: unknown): unknown {
  if (error instanceof QueryFailedError) {
    const driverError = error.driverError as { code?: string; constraint?: string };
    if (driverError.code === '23505') {
      if (driverError.constraint === USERNAME_UNIQUE) return new DomainError(UsersErrorCode.USERNAME_TAKEN);
      if (driverError.constraint === PHONE_ACTIVE_UNIQUE) return new DomainError(UsersErrorCode.PHONE_IN_USE);
    }
  }
  return error;
}

/** On insert, also a partner id that names no partner (users.partner_id's foreign key is the check). */
function translateInsertViolation(error: unknown): unknown {
  if (error instanceof QueryFailedError) {
    const driverError = error.driverError as { code?: string; constraint?: string };
    if (driverError.code === '23503' && driverError.constraint === PARTNER_FOREIGN_KEY) {
      return new DomainError(UsersErrorCode.USER_PARTNER_NOT_FOUND);
    }
  }
  return translateUniqueViolation(error);
}
