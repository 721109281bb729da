import { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors';
import { OrgUnitEntity } from './org-unit.entity';
import { OrgUnitsErrorCode } from './org-units.errors';
import { NewOrgUnit, OrgUnitsRepository } from './org-units.repository';
import { newUnitViolation, OrgUnitViolation } from './rules/org-unit.rule';

const VIOLATION_ERRORS: Record<OrgUnitViolation, string> = {
  ROOT_MUST_BE_NATIONAL: OrgUnitsErrorCode.ORG_UNIT_ROOT_MUST_BE_NATIONAL,
  NATIONAL_ROOT_EXISTS: OrgUnitsErrorCode.ORG_UNIT_ROOT_EXISTS,
  NATIONAL_HAS_NO_PARENT: OrgUnitsErrorCode.ORG_UNIT_NATIONAL_HAS_NO_PARENT,
  PARENT_IS_LEAF: OrgUnitsErrorCode.ORG_UNIT_PARENT_IS_LEAF,
  LEVEL_NOT_BELOW_PARENT: OrgUnitsErrorCode.ORG_UNIT_LEVEL_MISMATCH,
  REGION_CODE_SHAPE: OrgUnitsErrorCode.ORG_UNIT_REGION_CODE_INVALID,
  REGION_CODE_OUTSIDE_PARENT: OrgUnitsErrorCode.ORG_UNIT_REGION_OUTSIDE_PARENT,
  BRANCH_NOT_UNDER_GRASSROOTS: OrgUnitsErrorCode.ORG_UNIT_BRANCH_PARENT_INVALID,
  INDUSTRY_LEVEL_INVALID: OrgUnitsErrorCode.ORG_UNIT_INDUSTRY_LEVEL_INVALID,
  INDUSTRY_CHILD_INVALID: OrgUnitsErrorCode.ORG_UNIT_INDUSTRY_CHILD_INVALID,
};

/**
 * Creates a unit after every tree rule, inside `manager`'s transaction, with no caller and no access
 * check: the one creation path of OrgUnitsService.create (after its scope check) and of seeds/imports.
 * `parent` is the already-loaded parent row (null for the national root).
 */
export async function createOrgUnitChecked(
  repository: OrgUnitsRepository,
  manager: EntityManager,
  input: NewOrgUnit,
  parent: OrgUnitEntity | null,
): Promise<OrgUnitEntity> {
  const name = input.name.trim();
  const rootExists = parent === null && (await repository.findRoot(manager)) !== null;
  const violation = newUnitViolation(input, parent, rootExists);
  if (violation) {
    throw new DomainError(VIOLATION_ERRORS[violation], {
      level: input.level,
      regionCode: input.regionCode,
      ...(input.industry ? { industry: true } : {}),
      ...(parent ? { parentLevel: parent.level, parentRegionCode: parent.regionCode } : {}),
    });
  }
  if (await repository.findChildByName(input.parentId, name, manager)) {
    throw new DomainError(OrgUnitsErrorCode.ORG_UNIT_NAME_TAKEN);
  }
  const created = await repository.insert(manager, { ...input, name, industry: input.industry ?? false });
  if (created === 'name_taken') throw new DomainError(OrgUnitsErrorCode.ORG_UNIT_NAME_TAKEN);
  if (created === 'root_exists') throw new DomainError(OrgUnitsErrorCode.ORG_UNIT_ROOT_EXISTS);
  return created;
}
