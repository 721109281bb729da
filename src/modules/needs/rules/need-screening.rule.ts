import type { ArchiveKind, ArchiveStatus, SchoolingStage } from '../../archives/archive.enums';
import { ENDED_ARCHIVE_STATUSES } from '../../archives/archive.enums';
import type { MenuBeneficiary } from '../../menu/menu.enums';
import type { ScreeningRule } from '../needs.enums';

/** The menu item's facts the screening reads. */
export interface ScreeningItem {
  active: boolean;
  requiresActiveArchive: boolean;
  acceptsTemporaryArchive: boolean;
  beneficiary: MenuBeneficiary;
  stages: readonly SchoolingStage[];
}

/** The household's facts the screening reads. */
export interface ScreeningArchive {
  status: ArchiveStatus;
  kind: ArchiveKind;
  members: readonly { id: string; schoolingStage: SchoolingStage }[];
}

/** Who the need is for: the head (null) or a member by its id. */
export type BeneficiaryRef = { memberId: string | null };

/**
 * The automatic screening (自动初筛) of a submitted need: every rule it breaks, in a fixed order; empty
 * means it waits for a reviewer. Duplicates are not here: the service refuses them (409) before anything
 * is written, and the database's partial unique index refuses the concurrent ones.
 *
 * 先建档、后帮扶: an item that requires an archive needs an active one, and a temporary (临时救助) archive
 * only where the item accepts it; other items take any archive that has not ended.
 */
export function screeningViolations(
  item: ScreeningItem,
  archive: ScreeningArchive,
  beneficiary: BeneficiaryRef,
): ScreeningRule[] {
  const violations: ScreeningRule[] = [];
  if (!item.active) violations.push('item_inactive');
  if (ENDED_ARCHIVE_STATUSES.includes(archive.status)) violations.push('archive_ended');
  else if (item.requiresActiveArchive && archive.status !== 'active') violations.push('archive_not_active');
  if (item.requiresActiveArchive && archive.kind === 'temporary' && !item.acceptsTemporaryArchive)
    violations.push('temporary_archive_not_accepted');
  const member =
    beneficiary.memberId === null ? null : archive.members.find((m) => m.id === beneficiary.memberId);
  if (member === undefined) violations.push('beneficiary_not_in_household');
  else if (!beneficiaryFits(item, member)) violations.push('beneficiary_not_eligible');
  return violations;
}

/** Whether the beneficiary (null = the head) fits the item's `beneficiary` setting. */
export function beneficiaryFits(
  item: Pick<ScreeningItem, 'beneficiary' | 'stages'>,
  member: { schoolingStage: SchoolingStage } | null,
): boolean {
  switch (item.beneficiary) {
    case 'worker':
      return member === null;
    case 'any_member':
      return true;
    case 'member_in_stage':
      return member !== null && item.stages.includes(member.schoolingStage);
  }
}

/** Problems of the ordered amount and tags against the item (422 before anything is written). */
export type NeedInputProblem = { code: 'quantity'; max: number } | { code: 'tags'; tags: string[] };

export function needInputProblems(
  item: { maxPerNeed: number; tags: readonly string[] },
  input: { quantity: number; tags: readonly string[] },
): NeedInputProblem[] {
  const problems: NeedInputProblem[] = [];
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > item.maxPerNeed)
    problems.push({ code: 'quantity', max: item.maxPerNeed });
  const unknown = input.tags.filter((t) => !item.tags.includes(t));
  if (unknown.length > 0) problems.push({ code: 'tags', tags: unknown });
  return problems;
}

/** The list order: emergency first, then urgent, then normal; within one, the longest waiting first. */
export const URGENCY_RANK = { emergency: 0, urgent: 1, normal: 2 } as const;
