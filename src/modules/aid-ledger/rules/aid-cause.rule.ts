/**
 * The cause of hardship (致困原因) a match addresses, fixed on the match at approval so that the ledger
 * row written at confirmation names the same cause 不重复救助 judged (issue 13 §6).
 *
 * Config `aidLedger.causeByCategory` maps a menu category to the cause it serves (金秋助学 → schooling,
 * 医疗救助 → illness, training and jobs → unemployment). The mapped cause is used when it is one of the
 * household's causes; otherwise — and for categories not mapped (relief, donation, care, …: help for the
 * household as a whole) — the household's primary cause; an archive with neither names `other`.
 */
import type { Cause } from '../../archives/archive.enums';
import type { MenuCategory } from '../../menu/menu.enums';

export type CauseByCategory = Partial<Record<MenuCategory, Cause>>;

export interface HouseholdCauses {
  causes: readonly Cause[];
  primaryCause: Cause | null;
}

export function causeAddressed(
  category: MenuCategory,
  household: HouseholdCauses,
  causeByCategory: CauseByCategory,
): Cause {
  const mapped = causeByCategory[category];
  if (mapped !== undefined && household.causes.includes(mapped)) return mapped;
  return household.primaryCause ?? household.causes[0] ?? 'other';
}
