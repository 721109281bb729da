import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { requestContext } from '../../common/context/request-context';
import { DomainError, errorSpec } from '../../common/errors';
import { findUnmaskedPersonalData, maskAll, maskIdNumber, maskPhone } from '../../common/masking';
import { Page, pageOf, pageWindow } from '../../common/pagination/pagination';
import type { Principal } from '../auth/principal';
import { AUDIT_ACTION_PATTERN, AUDIT_TARGET_TYPE_PATTERN, AuditAction } from './audit-actions';
import { AppConfig } from '../../config';
import { verifyAuditChain, ChainReport, VerifyOptions } from './audit-chain.verifier';
import { canonicalJson, HashedAuditFields } from './audit-hash';
import { AUDIT_OUTCOMES, AuditOutcome } from './audit-log.entity';
import { AuditSealer } from './audit-sealer';
import { AuditErrorCode } from './audit.errors';
import { AuditLogFilter, AuditLogListRow, AuditRepository } from './audit.repository';
import { auditScopeFor } from './rules/audit-scope.rule';
import { auditTimeRange } from './rules/audit-time-range.rule';

/** Who did it. Defaults to the request's principal; pass one explicitly outside a request (jobs, login). */
export type AuditActor =
  | Principal
  | {
      userId?: string | null;
      /** For a failed login: the name that was typed, even if it matches no account. */
      username?: string | null;
      /** staff | worker | partner, or `system` for jobs. */
      kind?: string | null;
      roles?: readonly string[];
      orgUnitId?: string | null;
    };

export type AuditDetails = Record<string, unknown>;

export interface AuditEntry {
  /** Dotted kebab-case, `<target-type>.<verb>` (see AuditAction). */
  action: string;
  outcome: AuditOutcome;
  target?: { type: string; id?: string | null };
  /** Small and never personal data: codes, field names, state from→to. Refused if it holds an ID or phone number. */
  details?: AuditDetails;
  /** `undefined`: the request's principal; `null`: nobody (anonymous). */
  actor?: AuditActor | null;
  /** `undefined`: the request's client IP. */
  ip?: string | null;
}

export interface AuditLogQuery {
  page: number;
  pageSize: number;
  actorId?: string;
  actorUsername?: string;
  /** Exact (`auth.login`) or a prefix ending in `.*` (`auth.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
}

/** A row's fields before it has an id and a time. */
type UnplacedFields = Omit<HashedAuditFields, 'id' | 'occurredAt'>;

/** Serialised `details` longer than this is refused: the audit log is not a data store. */
const MAX_DETAILS_LENGTH = 4096;
const MAX_TARGET_ID_LENGTH = 128;
const SHORT_TEXT = 64;

/**
 * The audit log. Every write is part of the operation it records: pass the caller's transaction
 * (`manager`) and the row commits or rolls back with the change; any failure to write is thrown, so
 * the operation fails rather than happen unrecorded.
 *
 * An append is one INSERT and takes no lock, so audited requests never wait on one another; the hash
 * chain is built after commit by the sealer (audit-sealer.ts), usually within a second.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly repository: AuditRepository,
    private readonly sealer: AuditSealer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Appends one row to the chain, in `manager`'s transaction if given (else in a transaction of its own). */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    // Programming errors (bad action name, personal data in details) are thrown as they are: a bug, 500.
    const fields = this.buildFields(entry);
    try {
      // One statement: atomic on its own outside a transaction, part of the caller's inside one.
      await this.repository.insert(manager, {
        ...fields,
        occurredAt: this.clock.now().toISOString(),
      });
    } catch (error) {
      this.logger.error({ err: error, action: fields.action }, `审计日志写入失败: ${fields.action}`);
      throw new DomainError(AuditErrorCode.AUDIT_WRITE_FAILED);
    }
  }

  /** A read of personal data (`<targetType>.read`), e.g. recordRead(principal, 'archive', id). */
  async recordRead(
    principal: Principal,
    targetType: string,
    targetId: string | null,
    details?: AuditDetails,
    manager?: EntityManager,
  ): Promise<void> {
    await this.record(
      {
        action: `${targetType}.read`,
        outcome: 'success',
        actor: principal,
        target: { type: targetType, id: targetId },
        details,
      },
      manager,
    );
  }

  /**
   * A refused request (`access.denied`): the guard's role check, or a service's scope, ownership or
   * separation-of-duties check. `attemptedAction` is the permission (`archives.approve`) that was refused.
   */
  async recordDenied(
    principal: Principal | null,
    attemptedAction: string,
    details?: AuditDetails,
    target?: { type: string; id?: string | null },
  ): Promise<void> {
    await this.record({
      action: AuditAction.ACCESS_DENIED,
      outcome: 'denied',
      actor: principal,
      target,
      details: { ...details, action: attemptedAction },
    });
  }

  /**
   * Runs `work`; a 403 it throws (scope, ownership, separation of duties) is recorded as
   * `access.denied` — outside `work`'s transaction, which has rolled back — and then rethrown.
   */
  async auditDenials<T>(
    principal: Principal,
    attemptedAction: string,
    target: { type: string; id?: string | null },
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError && errorSpec(error.code)?.status === 403) {
        await this.recordDenied(principal, attemptedAction, { code: error.code }, target);
      }
      throw error;
    }
  }

  /**
   * One page of the audit log for an auditor, newest first, within the auditor's scope (see
   * audit-scope.rule.ts). The listing itself is recorded (`audit-logs.read`) before anything is returned.
   */
  async list(principal: Principal, query: AuditLogQuery): Promise<Page<AuditLogListRow>> {
    const range = auditTimeRange(query.from, query.to);
    if (!range)
      throw new DomainError(AuditErrorCode.AUDIT_LOG_RANGE_INVALID, { from: query.from, to: query.to });
    const filter: AuditLogFilter = {
      actorId: query.actorId,
      actorUsername: query.actorUsername,
      targetType: query.targetType,
      targetId: query.targetId,
      outcome: query.outcome,
      from: range.from,
      before: range.before,
    };
    if (query.action?.endsWith('.*')) filter.actionPrefix = query.action.slice(0, -1);
    else filter.action = query.action;

    const unit =
      principal.kind === 'staff' && principal.orgUnitId
        ? await this.repository.viewerUnit(principal.orgUnitId)
        : null;
    const scope = auditScopeFor(unit);

    await this.record({
      action: AuditAction.AUDIT_LOGS_READ,
      outcome: 'success',
      actor: principal,
      target: { type: 'audit-log', id: null },
      details: {
        // The user name filter may itself be personal (a phone number used as login): only its presence.
        filters: {
          actorId: query.actorId,
          actorUsername: query.actorUsername === undefined ? undefined : true,
          action: query.action,
          targetType: query.targetType,
          targetId: query.targetId,
          outcome: query.outcome,
          from: query.from,
          to: query.to,
        },
        page: query.page,
        pageSize: query.pageSize,
        scope:
          scope.kind === 'subtree' ? (scope.includeUnitless ? 'subtree+unitless' : 'subtree') : scope.kind,
      },
    });
    const { rows, total } = await this.repository.search(filter, scope, pageWindow(query));
    return pageOf(rows, total, query);
  }

  /**
   * Seals what can be sealed (waiting for a running sealer), then recomputes every hash and link and
   * counts rows left unsealed longer than `audit.unsealedFaultSeconds` (what `npm run audit:verify` runs).
   */
  async verifyChain(options: Omit<VerifyOptions, 'unsealedBefore'> = {}): Promise<ChainReport> {
    await this.sealer.seal({ wait: true });
    const cutoff = new Date(this.clock.now().getTime() - this.config.audit.unsealedFaultSeconds * 1000);
    return verifyAuditChain(this.repository, { ...options, unsealedBefore: cutoff });
  }

  private buildFields(entry: AuditEntry): UnplacedFields {
    if (!AUDIT_ACTION_PATTERN.test(entry.action) || entry.action.length > SHORT_TEXT) {
      throw new Error(`审计动作名不合法: ${entry.action}`);
    }
    if (!AUDIT_OUTCOMES.includes(entry.outcome)) throw new Error(`审计结果不合法: ${String(entry.outcome)}`);
    const target = entry.target ?? null;
    if (target && (!AUDIT_TARGET_TYPE_PATTERN.test(target.type) || target.type.length > SHORT_TEXT)) {
      throw new Error(`审计对象类型不合法: ${target.type}`);
    }
    const targetId = target?.id ?? null;
    if (targetId !== null && (targetId.length > MAX_TARGET_ID_LENGTH || containsPersonalData(targetId))) {
      throw new Error(`审计对象标识不合法 (${entry.action})`);
    }
    const details = normaliseDetails(entry.action, entry.details);

    const context = requestContext.current();
    const actor = entry.actor === undefined ? (context?.principal ?? null) : entry.actor;
    const ip = entry.ip === undefined ? (context?.ip ?? null) : entry.ip;
    return {
      actorId: actor?.userId ?? null,
      actorUsername: safeUsername(actor?.username ?? null),
      actorKind: clip(actor?.kind ?? null, 16),
      actorRoles: [...(actor?.roles ?? [])],
      actorOrgUnitId: actor?.orgUnitId ?? null,
      action: entry.action,
      targetType: target?.type ?? null,
      targetId,
      outcome: entry.outcome,
      clientIp: clip(ip, SHORT_TEXT),
      requestId: clip(context?.requestId ?? null, SHORT_TEXT),
      details,
    };
  }
}

/**
 * Plain JSON (what jsonb will give back), small, and free of ID and phone numbers. JSON.stringify
 * throws on what cannot be serialised (bigint, cycles), which fails the operation like any audit failure.
 */
function normaliseDetails(action: string, details: AuditDetails | undefined): AuditDetails {
  if (details === undefined) return {};
  const text = JSON.stringify(details) as string | undefined;
  if (text === undefined) throw new Error(`审计详情无法序列化 (${action})`);
  const plain = JSON.parse(text) as unknown;
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new Error(`审计详情须为对象 (${action})`);
  }
  const canonical = canonicalJson(plain);
  if (canonical.length > MAX_DETAILS_LENGTH) throw new Error(`审计详情过大 (${action})`);
  if (containsPersonalData(canonical)) throw new Error(`审计详情不得包含身份证号或手机号 (${action})`);
  return plain as AuditDetails;
}

function containsPersonalData(text: string): boolean {
  return findUnmaskedPersonalData(text).length > 0;
}

/**
 * A login name is kept as typed (failed logins included), unless it is itself an ID or phone number,
 * which is stored masked: the audit log holds no personal data either.
 */
function safeUsername(username: string | null): string | null {
  if (username === null) return null;
  const name = clip(username, SHORT_TEXT)!;
  if (!containsPersonalData(name)) return name;
  const compact = name.replace(/[\s-]/g, '');
  if (/^(?:\+?86)?1\d{10}$/.test(compact)) return maskPhone(compact.slice(-11));
  if (/^\d{17}[\dXx]$/.test(compact)) return maskIdNumber(compact);
  return maskAll(name);
}

/** Cuts to `max` characters (code points, as PostgreSQL counts varchar length). */
function clip(value: string | null, max: number): string | null {
  if (value === null) return null;
  const chars = Array.from(value);
  return chars.length > max ? chars.slice(0, max).join('') : value;
}
