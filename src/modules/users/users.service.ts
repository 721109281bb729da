import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { randomUUID } from 'node:crypto';
import { decryptField, FieldCipher, userPhoneField } from '../../common/crypto';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData, maskPhone } from '../../common/masking';
import { Page, pageOf, pageWindow } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal, StaffRole } from '../auth/principal';
import type { OrgUnitEntity } from '../org-units/org-unit.entity';
import { OrgUnitsService } from '../org-units/org-units.service';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto } from './dto/list-users.query.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { DisableUserDto, ResetPasswordDto, RevealUserFieldDto } from './dto/user-actions.dto';
import { RevealedUserFieldDto, UserResponseDto } from './dto/user.response.dto';
import { PasswordHasher, PasswordPolicy } from './password';
import { accountShapeViolation, AccountShape } from './rules/account-shape.rule';
import { userStatus } from './rules/user-status.rule';
import { UserEntity } from './user.entity';
import { UserChanges, UsersRepository, UserWithUnit } from './users.repository';
import { UsersErrorCode } from './users.errors';

/** Audit actions of account administration (`<target-type>.<verb>`). */
export const UserAuditAction = {
  CREATE: 'user.create',
  READ: 'user.read',
  LIST: 'user.list',
  UPDATE: 'user.update',
  DISABLE: 'user.disable',
  ENABLE: 'user.enable',
  UNLOCK: 'user.unlock',
  RESET_PASSWORD: 'user.reset-password',
  REVEAL: 'user.reveal',
  /** The daily job disabled a temporary account past its end. */
  EXPIRE: 'user.expire',
} as const;

/** `disabledReason` of accounts the expiry job disabled. */
export const EXPIRED_REASON = 'expired';
const EXPIRY_BATCH = 100;
const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;

/**
 * Account administration by `admin` staff: each administrator manages the accounts of its own unit and
 * the units below (by materialized path); accounts without a unit belong to the root unit's
 * administrators. Every change is audited in its own transaction, every refusal of scope or
 * self-management is audited as `access.denied`, and changes that must end existing sessions (roles,
 * unit, disable, password reset) bump `token_version` in the same statement.
 *
 * Also the read side other modules use (auth: `findById`, `findByUsername`).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly repository: UsersRepository,
    private readonly cipher: FieldCipher,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly clock: Clock,
  ) {}

  // ---- read side for other modules (no audit: callers decide what they expose) ----

  /** The account with its unit (path), or null. Includes credential state: never return it to a client. */
  findById(id: string): Promise<UserWithUnit | null> {
    return this.repository.findById(id);
  }

  /** By login name (case-insensitive), or null. */
  findByUsername(username: string): Promise<UserWithUnit | null> {
    return this.repository.findByUsername(username);
  }

  // ---- administration ----

  async create(principal: Principal, dto: CreateUserDto): Promise<UserResponseDto> {
    const id = await this.deniedIsAudited(principal, 'users.create', null, async () => {
      const now = this.clock.now();
      const unit = dto.orgUnitId ? await this.unitInScope(principal, dto.orgUnitId) : null;
      const roles = [...dto.roles];
      assertShape({
        kind: dto.kind,
        roles,
        orgUnitLevel: unit?.level ?? null,
        partnerId: dto.partnerId ?? null,
      });
      if (roles.includes('auditor')) throw new DomainError(UsersErrorCode.USER_AUDITOR_PROTECTED);
      const expiresAt = dto.expiresAt === undefined ? null : futureDate(dto.expiresAt, now);
      if (await this.repository.findByUsername(dto.username))
        throw new DomainError(UsersErrorCode.USERNAME_TAKEN);
      this.policy.assertAcceptable(dto.password, { username: dto.username, displayName: dto.displayName });
      const passwordHash = await this.hasher.hash(dto.password);
      // The row id is chosen first: the phone is encrypted for this user's row.
      const newUserId = randomUUID();
      const phone = dto.phone
        ? this.sealPhone(dto.phone, newUserId)
        : { phoneCiphertext: null, phoneBlindIndex: null };

      return this.repository.transaction(async (manager) => {
        if (phone.phoneBlindIndex && (await this.repository.phoneInUse(manager, phone.phoneBlindIndex))) {
          throw new DomainError(UsersErrorCode.PHONE_IN_USE);
        }
        const userId = await this.repository.insert(manager, {
          id: newUserId,
          username: dto.username,
          displayName: dto.displayName,
          kind: dto.kind,
          roles,
          orgUnitId: unit?.id ?? null,
          partnerId: dto.partnerId ?? null,
          ...phone,
          passwordHash,
          passwordChangedAt: now,
          mustChangePassword: true,
          expiresAt,
          createdBy: principal.userId,
        });
        await this.audit.record(
          {
            action: UserAuditAction.CREATE,
            outcome: 'success',
            actor: principal,
            target: { type: 'user', id: userId },
            details: {
              username: dto.username,
              kind: dto.kind,
              roles,
              orgUnitId: unit?.id ?? null,
              partnerId: dto.partnerId ?? null,
              hasPhone: phone.phoneBlindIndex !== null,
              expiresAt: expiresAt?.toISOString() ?? null,
            },
          },
          manager,
        );
        return userId;
      });
    });
    return this.response(await this.mustFind(id));
  }

  async list(principal: Principal, query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    const scope = await this.deniedIsAudited(principal, 'users.list', null, async () => {
      const path = adminScopePath(principal);
      const subtree = query.orgUnitId ? await this.unitInScope(principal, query.orgUnitId) : null;
      return { path, subtreePath: subtree?.path };
    });
    const now = this.clock.now();
    const { rows, total } = await this.repository.list({
      scopePath: scope.path,
      includeUnassigned: isRootScope(principal) && !scope.subtreePath,
      subtreePath: scope.subtreePath,
      kind: query.kind,
      role: query.role,
      status: query.status,
      q: query.q,
      now,
      ...pageWindow(query),
    });
    // The rows carry (masked) personal data of many people: the listing is recorded like a read.
    await this.audit.record({
      action: UserAuditAction.LIST,
      outcome: 'success',
      actor: principal,
      target: { type: 'user', id: null },
      details: {
        filters: {
          kind: query.kind,
          role: query.role,
          status: query.status,
          orgUnitId: query.orgUnitId,
          q: query.q === undefined ? undefined : true,
        },
        page: query.page,
        returned: rows.length,
        total,
      },
    });
    return pageOf(
      rows.map((row) => this.response(row, now)),
      total,
      query,
    );
  }

  /** The detail view (masked); recorded as a read of personal data. */
  async get(principal: Principal, id: string): Promise<UserResponseDto> {
    const user = await this.deniedIsAudited(principal, 'users.read', id, async () => {
      const found = await this.mustFind(id);
      this.assertManages(principal, found);
      return found;
    });
    await this.audit.recordRead(principal, 'user', user.id);
    return this.response(user);
  }

  async update(principal: Principal, id: string, dto: UpdateUserDto): Promise<UserResponseDto> {
    await this.deniedIsAudited(principal, 'users.update', id, () =>
      this.repository.transaction(async (manager) => {
        const user = await this.mustFindForUpdate(manager, id);
        this.assertMayChange(principal, user);
        if (user.version !== dto.version) {
          throw new DomainError(UsersErrorCode.USER_VERSION_CONFLICT, { currentVersion: user.version });
        }
        const self = user.id === principal.userId;
        const now = this.clock.now();
        const changes: UserChanges = {};
        const details: Record<string, unknown> = {};

        if (dto.displayName !== undefined && dto.displayName !== user.displayName) {
          changes.displayName = dto.displayName;
        }
        const rolesChanged = dto.roles !== undefined && !sameRoles(dto.roles, user.roles);
        if (rolesChanged) {
          if (self) throw new DomainError(UsersErrorCode.USER_CANNOT_CHANGE_OWN_ROLES);
          changes.roles = [...dto.roles!];
          details.roles = { from: user.roles, to: changes.roles };
        }
        const moved = dto.orgUnitId !== undefined && dto.orgUnitId !== user.orgUnitId;
        let unit = user.orgUnit;
        if (moved) {
          if (self) throw new DomainError(UsersErrorCode.USER_CANNOT_MOVE_SELF);
          unit = await this.unitInScope(principal, dto.orgUnitId!);
          changes.orgUnitId = unit.id;
          details.orgUnitId = { from: user.orgUnitId, to: unit.id };
        }
        if (rolesChanged || moved) {
          assertShape({
            kind: user.kind,
            roles: changes.roles ?? user.roles,
            orgUnitLevel: unit?.level ?? null,
            partnerId: user.partnerId,
          });
        }
        if (rolesChanged && changes.roles!.includes('auditor')) {
          throw new DomainError(UsersErrorCode.USER_AUDITOR_PROTECTED);
        }
        if (dto.expiresAt !== undefined) {
          const expiresAt = dto.expiresAt === null ? null : futureDate(dto.expiresAt, now);
          if (expiresAt?.getTime() !== user.expiresAt?.getTime()) {
            // A temporary admin must not make itself permanent (or extend itself).
            if (self) throw new DomainError(UsersErrorCode.USER_CANNOT_CHANGE_OWN_EXPIRY);
            changes.expiresAt = expiresAt;
            details.expiresAt = {
              from: user.expiresAt?.toISOString() ?? null,
              to: expiresAt?.toISOString() ?? null,
            };
          }
        }
        if (dto.phone !== undefined) {
          const phone =
            dto.phone === null
              ? { phoneCiphertext: null, phoneBlindIndex: null }
              : this.sealPhone(dto.phone, user.id);
          if (phone.phoneBlindIndex !== user.phoneBlindIndex) {
            if (
              phone.phoneBlindIndex &&
              !user.disabledAt &&
              (await this.repository.phoneInUse(manager, phone.phoneBlindIndex, user.id))
            ) {
              throw new DomainError(UsersErrorCode.PHONE_IN_USE);
            }
            Object.assign(changes, phone);
            details.phone = phone.phoneBlindIndex ? 'changed' : 'removed';
          }
        }

        const fields = Object.keys(changes).filter((field) => field !== 'phoneBlindIndex');
        if (fields.length === 0) return;
        const tokensRevoked = rolesChanged || moved;
        const updated = await this.repository.update(manager, user.id, changes, {
          expectedVersion: dto.version,
          bumpTokenVersion: tokensRevoked,
        });
        if (!updated) throw new DomainError(UsersErrorCode.USER_VERSION_CONFLICT);
        await this.audit.record(
          {
            action: UserAuditAction.UPDATE,
            outcome: 'success',
            actor: principal,
            target: { type: 'user', id: user.id },
            details: {
              fields: fields.map((f) => (f === 'phoneCiphertext' ? 'phone' : f)),
              ...details,
              tokensRevoked,
            },
          },
          manager,
        );
      }),
    );
    return this.response(await this.mustFind(id));
  }

  async disable(principal: Principal, id: string, dto: DisableUserDto): Promise<UserResponseDto> {
    assertNoPersonalData(dto.reason);
    await this.deniedIsAudited(principal, 'users.disable', id, () =>
      this.repository.transaction(async (manager) => {
        const user = await this.mustFindForUpdate(manager, id);
        this.assertMayChange(principal, user);
        if (user.id === principal.userId) throw new DomainError(UsersErrorCode.USER_CANNOT_DISABLE_SELF);
        if (user.disabledAt) throw new DomainError(UsersErrorCode.USER_ALREADY_DISABLED);
        await this.repository.update(
          manager,
          user.id,
          { disabledAt: this.clock.now(), disabledReason: dto.reason },
          { bumpTokenVersion: true },
        );
        await this.audit.record(
          {
            action: UserAuditAction.DISABLE,
            outcome: 'success',
            actor: principal,
            target: { type: 'user', id: user.id },
            details: { reason: dto.reason, tokensRevoked: true },
          },
          manager,
        );
      }),
    );
    return this.response(await this.mustFind(id));
  }

  async enable(principal: Principal, id: string): Promise<UserResponseDto> {
    await this.deniedIsAudited(principal, 'users.enable', id, () =>
      this.repository.transaction(async (manager) => {
        const user = await this.mustFindForUpdate(manager, id);
        this.assertMayChange(principal, user);
        if (!user.disabledAt) throw new DomainError(UsersErrorCode.USER_NOT_DISABLED);
        if (user.expiresAt && user.expiresAt.getTime() <= this.clock.now().getTime()) {
          throw new DomainError(UsersErrorCode.USER_EXPIRED);
        }
        // While it was disabled another account may have taken the number (uniqueness is among enabled ones).
        if (
          user.phoneBlindIndex &&
          (await this.repository.phoneInUse(manager, user.phoneBlindIndex, user.id))
        ) {
          throw new DomainError(UsersErrorCode.PHONE_IN_USE);
        }
        await this.repository.update(manager, user.id, {
          disabledAt: null,
          disabledReason: null,
          failedLoginCount: 0,
          lockedUntil: null,
        });
        await this.audit.record(
          {
            action: UserAuditAction.ENABLE,
            outcome: 'success',
            actor: principal,
            target: { type: 'user', id: user.id },
            details: { previousReason: user.disabledReason },
          },
          manager,
        );
      }),
    );
    return this.response(await this.mustFind(id));
  }

  /** Clears the failed-login counter and any lock. */
  async unlock(principal: Principal, id: string): Promise<UserResponseDto> {
    await this.deniedIsAudited(principal, 'users.unlock', id, () =>
      this.repository.transaction(async (manager) => {
        const user = await this.mustFindForUpdate(manager, id);
        this.assertMayChange(principal, user);
        if (user.failedLoginCount === 0 && user.lockedUntil === null) {
          throw new DomainError(UsersErrorCode.USER_NOT_LOCKED);
        }
        await this.repository.update(manager, user.id, { failedLoginCount: 0, lockedUntil: null });
        await this.audit.record(
          {
            action: UserAuditAction.UNLOCK,
            outcome: 'success',
            actor: principal,
            target: { type: 'user', id: user.id },
            details: {
              failedLoginCount: user.failedLoginCount,
              wasLocked: user.lockedUntil !== null && user.lockedUntil.getTime() > this.clock.now().getTime(),
            },
          },
          manager,
        );
      }),
    );
    return this.response(await this.mustFind(id));
  }

  /**
   * Sets a new temporary password: the account must change it at its next login, any lock is cleared,
   * and every token it holds stops working.
   */
  async resetPassword(principal: Principal, id: string, dto: ResetPasswordDto): Promise<UserResponseDto> {
    await this.deniedIsAudited(principal, 'users.reset-password', id, async () => {
      const current = await this.mustFind(id);
      this.assertMayChange(principal, current);
      if (current.id === principal.userId)
        throw new DomainError(UsersErrorCode.USER_CANNOT_RESET_OWN_PASSWORD);
      this.policy.assertAcceptable(dto.newPassword, {
        username: current.username,
        displayName: current.displayName,
      });
      // Hash before taking the row lock: argon2 is deliberately slow.
      const passwordHash = await this.hasher.hash(dto.newPassword);
      await this.repository.transaction(async (manager) => {
        const user = await this.mustFindForUpdate(manager, id);
        this.assertMayChange(principal, user);
        await this.repository.update(
          manager,
          user.id,
          {
            passwordHash,
            passwordChangedAt: this.clock.now(),
            mustChangePassword: true,
            failedLoginCount: 0,
            lockedUntil: null,
          },
          { bumpTokenVersion: true },
        );
        await this.audit.record(
          {
            action: UserAuditAction.RESET_PASSWORD,
            outcome: 'success',
            actor: principal,
            target: { type: 'user', id: user.id },
            details: { mustChangePassword: true, tokensRevoked: true },
          },
          manager,
        );
      });
    });
    return this.response(await this.mustFind(id));
  }

  /**
   * The account's mobile number in clear, or null: only for a notification delivery channel adapter,
   * which sends to it and lets it go no further (no response, log, row or error holds it).
   */
  async contactPhoneOf(userId: string): Promise<string | null> {
    const user = await this.repository.findById(userId);
    if (!user?.phoneCiphertext || user.disabledAt) return null;
    return decryptField(this.cipher, user.phoneCiphertext, userPhoneField(user.id));
  }

  /** One personal-data field unmasked, recorded with the reason before it is returned. */
  async reveal(principal: Principal, id: string, dto: RevealUserFieldDto): Promise<RevealedUserFieldDto> {
    assertNoPersonalData(dto.reason);
    const user = await this.deniedIsAudited(principal, 'users.reveal', id, async () => {
      const found = await this.mustFind(id);
      this.assertManages(principal, found);
      return found;
    });
    const value = user.phoneCiphertext
      ? decryptField(this.cipher, user.phoneCiphertext, userPhoneField(user.id))
      : null;
    await this.audit.record({
      action: UserAuditAction.REVEAL,
      outcome: 'success',
      actor: principal,
      target: { type: 'user', id: user.id },
      details: { field: dto.field, reason: dto.reason, present: value !== null },
    });
    return { userId: user.id, field: dto.field, value };
  }

  /**
   * Disables every temporary account whose `expiresAt` has passed (reason `expired`, tokens revoked),
   * one transaction and one audit row per account. Safe to run again or concurrently: each update
   * re-checks the condition, so an account is disabled (and audited) once.
   */
  async disableExpired(): Promise<{ disabled: number }> {
    let disabled = 0;
    const skipped = new Set<string>();
    for (;;) {
      const now = this.clock.now();
      const ids = (await this.repository.findExpiredIds(now, EXPIRY_BATCH + skipped.size)).filter(
        (id) => !skipped.has(id),
      );
      if (ids.length === 0) return { disabled };
      for (const id of ids) {
        const done = await this.repository.transaction(async (manager) => {
          if (!(await this.repository.disableIfExpired(manager, id, now, EXPIRED_REASON))) return false;
          await this.audit.record(
            {
              action: UserAuditAction.EXPIRE,
              outcome: 'success',
              actor: SYSTEM_ACTOR,
              ip: null,
              target: { type: 'user', id },
              details: { reason: EXPIRED_REASON, tokensRevoked: true },
            },
            manager,
          );
          return true;
        });
        if (done) disabled += 1;
        else skipped.add(id);
      }
    }
  }

  // ---- helpers ----

  private async mustFind(id: string): Promise<UserWithUnit> {
    const user = await this.repository.findById(id);
    if (!user) throw new DomainError(UsersErrorCode.USER_NOT_FOUND);
    return user;
  }

  private async mustFindForUpdate(manager: EntityManager, id: string): Promise<UserWithUnit> {
    const user = await this.repository.findByIdForUpdate(manager, id);
    if (!user) throw new DomainError(UsersErrorCode.USER_NOT_FOUND);
    return user;
  }

  /** The unit must exist and lie within the administrator's subtree. */
  private async unitInScope(principal: Principal, orgUnitId: string): Promise<OrgUnitEntity> {
    const unit = await this.orgUnits.findById(orgUnitId);
    if (!unit) throw new DomainError(UsersErrorCode.USER_ORG_UNIT_NOT_FOUND);
    this.authorization.assertInScope(principal, unit.path);
    return unit;
  }

  /** Own unit and below; accounts without a unit only for the root unit's administrators. */
  /**
   * Separation of duties (三员分立): auditor accounts watch the administrators, so an admin may read
   * them but never create, change, reset, unlock, disable or enable them (or grant the role).
   * They are managed with `npm run users:create-auditor`, outside the admin API.
   */
  private assertMayChange(principal: Principal, user: UserWithUnit): void {
    this.assertManages(principal, user);
    if (user.roles.includes('auditor')) throw new DomainError(UsersErrorCode.USER_AUDITOR_PROTECTED);
  }

  private assertManages(principal: Principal, user: UserWithUnit): void {
    if (user.orgUnit) {
      this.authorization.assertInScope(principal, user.orgUnit.path);
    } else if (!isRootScope(principal)) {
      throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    }
  }

  private deniedIsAudited<T>(
    principal: Principal,
    action: string,
    targetId: string | null,
    work: () => Promise<T>,
  ): Promise<T> {
    return this.audit.auditDenials(principal, action, { type: 'user', id: targetId }, work);
  }

  private sealPhone(phone: string, userId: string): { phoneCiphertext: string; phoneBlindIndex: string } {
    return {
      phoneCiphertext: this.cipher.encrypt(phone, userPhoneField(userId)),
      phoneBlindIndex: this.cipher.blindIndex(phone, 'phone'),
    };
  }

  private maskedPhone(user: UserEntity): string | null {
    if (!user.phoneCiphertext) return null;
    // A value that does not decrypt fails the request, logged with the row; never a made-up placeholder.
    return maskPhone(decryptField(this.cipher, user.phoneCiphertext, userPhoneField(user.id)));
  }

  private response(user: UserWithUnit, now: Date = this.clock.now()): UserResponseDto {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      kind: user.kind,
      roles: [...user.roles],
      orgUnitId: user.orgUnitId,
      orgUnitName: user.orgUnit?.name ?? null,
      partnerId: user.partnerId,
      phone: this.maskedPhone(user),
      status: userStatus(user, now),
      mustChangePassword: user.mustChangePassword,
      totpEnabled: user.totpEnabledAt !== null,
      failedLoginCount: user.failedLoginCount,
      lockedUntil: iso(user.lockedUntil),
      disabledAt: iso(user.disabledAt),
      disabledReason: user.disabledReason,
      expiresAt: iso(user.expiresAt),
      passwordChangedAt: user.passwordChangedAt.toISOString(),
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
      version: user.version,
    };
  }
}

function assertShape(shape: AccountShape): void {
  const violation = accountShapeViolation(shape);
  if (violation) throw new DomainError(violation);
}

function futureDate(value: string, now: Date): Date {
  const date = new Date(value);
  if (!(date.getTime() > now.getTime())) throw new DomainError(UsersErrorCode.USER_EXPIRY_NOT_IN_FUTURE);
  return date;
}

function sameRoles(a: readonly StaffRole[], b: readonly StaffRole[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((role) => right.has(role));
}

/** The administrator's own unit path: staff with a unit only. */
function adminScopePath(principal: Principal): string {
  if (principal.kind !== 'staff' || !principal.orgPath)
    throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
  return principal.orgPath;
}

/** An administrator at a root unit (`/<id>/`): it also manages accounts that have no unit. */
function isRootScope(principal: Principal): boolean {
  return (
    principal.kind === 'staff' &&
    !!principal.orgPath &&
    principal.orgPath.split('/').filter(Boolean).length === 1
  );
}

/** Free-text reasons end up in the audit log, which refuses ID and phone numbers: say so up front. */
function assertNoPersonalData(text: string): void {
  if (findUnmaskedPersonalData(text).length > 0)
    throw new DomainError(UsersErrorCode.USER_REASON_HAS_PERSONAL_DATA);
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
