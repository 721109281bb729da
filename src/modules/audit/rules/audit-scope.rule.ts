import type { OrgLevel } from '../../org-units/org-unit.entity';

/**
 * Which audit rows an auditor sees. Auditors supervise the staff of their own subtree, so scope
 * follows the ACTOR's unit at the time of the event (`actor_org_unit_id`), not the target's:
 * - an auditor at the root unit sees every row;
 * - elsewhere, rows whose actor unit lies in the auditor's subtree;
 * - rows without an actor unit (failed logins of unknown user names, partner accounts, system jobs)
 *   belong to no subtree: only national- and province-level auditors see them, because those are the
 *   levels that answer for the platform's security as a whole; a grassroots auditor would otherwise see
 *   the whole country's failed logins.
 */
export type AuditScope =
  { kind: 'all' } | { kind: 'subtree'; orgPath: string; includeUnitless: boolean } | { kind: 'none' };

export interface AuditViewerUnit {
  path: string;
  level: OrgLevel;
  parentId: string | null;
}

const UNITLESS_LEVELS: readonly OrgLevel[] = ['national', 'province'];

export function auditScopeFor(unit: AuditViewerUnit | null): AuditScope {
  if (!unit) return { kind: 'none' };
  if (unit.parentId === null) return { kind: 'all' };
  return { kind: 'subtree', orgPath: unit.path, includeUnitless: UNITLESS_LEVELS.includes(unit.level) };
}
