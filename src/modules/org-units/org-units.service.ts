import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import { Page, pageOf, PaginationQueryDto } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { createOrgUnitChecked } from './org-unit-creation';
import { OrgLevel, OrgUnitEntity } from './org-unit.entity';
import { OrgUnitsErrorCode } from './org-units.errors';
import { OrgUnitsRepository, SubtreeFilter } from './org-units.repository';
import * as rules from './rules/org-unit.rule';

export type SubtreeQuery = SubtreeFilter & PaginationQueryDto;

export interface CreateOrgUnitInput {
  parentId: string;
  name: string;
  level: OrgLevel;
  regionCode: string;
  industry?: boolean;
}

/** Audit action of a created unit (target type `org-unit`). */
export const ORG_UNIT_CREATE_ACTION = 'org-unit.create';

/**
 * The union tree. Other modules use it for scope: a record belongs to a unit, and a staff member may
 * touch it when the unit's path starts with the staff member's own unit path.
 */
@Injectable()
export class OrgUnitsService {
  constructor(
    private readonly repository: OrgUnitsRepository,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
  ) {}

  // ---- for other modules (no access check: the caller decides what the unit is used for) -----------

  async findById(id: string): Promise<OrgUnitEntity | null> {
    return this.repository.findById(id);
  }

  /** The units that exist among `ids`, in no particular order. */
  async findByIds(ids: readonly string[]): Promise<OrgUnitEntity[]> {
    return this.repository.findByIds(ids);
  }

  /** The unit's materialized path, or null if there is no such unit. */
  async pathOf(id: string): Promise<string | null> {
    return (await this.repository.findById(id))?.path ?? null;
  }

  /**
   * The subtree a staff list is limited to: the caller's own, or that of `orgUnitId` when it lies inside
   * it. OUT_OF_SCOPE for callers without a unit, unknown units and units outside the caller's subtree.
   */
  async listScopePath(principal: Principal, orgUnitId?: string): Promise<string> {
    if (principal.kind !== 'staff' || !principal.orgPath)
      throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    if (!orgUnitId) return principal.orgPath;
    const path = await this.pathOf(orgUnitId);
    if (!path) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    this.authorization.assertInScope(principal, path);
    return path;
  }

  /** The unit's ancestors, root first, without the unit itself; ORG_UNIT_NOT_FOUND if it does not exist. */
  async ancestors(id: string): Promise<OrgUnitEntity[]> {
    const unit = await this.repository.findById(id);
    if (!unit) throw new DomainError(OrgUnitsErrorCode.ORG_UNIT_NOT_FOUND);
    const ancestorIds = rules.idsOfPath(unit.path).filter((ancestorId) => ancestorId !== id);
    const byId = new Map((await this.repository.findByIds(ancestorIds)).map((u) => [u.id, u]));
    return ancestorIds.map((ancestorId) => byId.get(ancestorId)).filter((u): u is OrgUnitEntity => !!u);
  }

  /** Whether the unit at `path` is the unit at `ancestorPath` or lies below it. */
  isAncestorOrSelf(ancestorPath: string, path: string): boolean {
    return rules.isAncestorOrSelf(ancestorPath, path);
  }

  /** One page of the subtree under `rootPath` (the root included), filtered; no access check. */
  async listSubtree(rootPath: string, query: SubtreeQuery): Promise<Page<OrgUnitEntity>> {
    const { items, total } = await this.repository.listSubtree(rootPath, query, query);
    return pageOf(items, total, query);
  }

  // ---- for the HTTP API (scoped to the caller; refusals are audited) -----------------------------

  /** The caller's own subtree. */
  async listForPrincipal(principal: Principal, query: SubtreeQuery): Promise<Page<OrgUnitEntity>> {
    return this.deniedIsAudited(principal, 'org-units.read', null, async () =>
      this.listSubtree(scopeOf(principal), query),
    );
  }

  /** One unit of the caller's subtree: 404 if it does not exist, 403 OUT_OF_SCOPE if it lies outside. */
  async getForPrincipal(principal: Principal, id: string): Promise<OrgUnitEntity> {
    return this.deniedIsAudited(principal, 'org-units.read', id, async () => {
      const unit = await this.repository.findById(id);
      if (!unit) throw new DomainError(OrgUnitsErrorCode.ORG_UNIT_NOT_FOUND);
      this.authorization.assertInScope(principal, unit.path);
      return unit;
    });
  }

  /**
   * A new unit under `input.parentId`, which must lie in the caller's subtree (the caller's own unit
   * included: an administrator creates units below its own, at any depth). The row, its path and the
   * audit row are written in one transaction.
   */
  async create(principal: Principal, input: CreateOrgUnitInput): Promise<OrgUnitEntity> {
    return this.deniedIsAudited(principal, 'org-units.create', input.parentId, () =>
      this.repository.transaction(async (manager) => {
        scopeOf(principal);
        const parent = await this.repository.findById(input.parentId, manager);
        if (!parent)
          throw new DomainError(OrgUnitsErrorCode.ORG_UNIT_NOT_FOUND, { parentId: input.parentId });
        this.authorization.assertInScope(principal, parent.path);
        const created = await createOrgUnitChecked(this.repository, manager, input, parent);
        await this.audit.record(
          {
            action: ORG_UNIT_CREATE_ACTION,
            outcome: 'success',
            actor: principal,
            target: { type: 'org-unit', id: created.id },
            details: {
              parentId: parent.id,
              level: created.level,
              regionCode: created.regionCode,
              industry: created.industry,
            },
          },
          manager,
        );
        return created;
      }),
    );
  }

  private deniedIsAudited<T>(
    principal: Principal,
    action: string,
    targetId: string | null,
    work: () => Promise<T>,
  ): Promise<T> {
    return this.audit.auditDenials(principal, action, { type: 'org-unit', id: targetId }, work);
  }
}

/** Staff scope: the caller's unit path. Accounts without one (workers, partners, unplaced staff) have none. */
function scopeOf(principal: Principal): string {
  if (principal.kind !== 'staff' || !principal.orgPath)
    throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
  return principal.orgPath;
}
