/**
 * The aid ledger's rules at approval (issue 13 §6), pure: a one-off cap (一次性救助上限, default 20,000 元),
 * an annual cap per household per category (calendar year, China time), and 不重复救助 — the same cause
 * for the same household within a configured period, across all programmes, is refused with a reference
 * to the earlier row. An approver may override the last with a written reason (the service audits it);
 * the caps are never overridden.
 *
 * Ledger rows are never updated: a correction is a new row that reverses an earlier one. A reversed row
 * and its reversal count for nothing here.
 */
import type { Cause } from '../../archives/archive.enums';
import type { MenuCategory } from '../../menu/menu.enums';

export interface AidLimits {
  /** Fen; null: no one-off cap. */
  oneOffCapFen: number | null;
  /** Fen per household per category per calendar year; a category not listed has no annual cap. */
  annualCapFen: Partial<Record<MenuCategory, number>>;
  /** 不重复救助: days within which the same cause may not be helped again; 0 turns the rule off. */
  duplicateCauseDays: number;
}

/** One row of the household's ledger. */
export interface LedgerRow {
  id: string;
  /** YYYY-MM-DD, China time. */
  date: string;
  category: MenuCategory;
  cause: Cause;
  valueFen: number;
  /** Set on a correction: the id of the row it reverses. */
  reverses: string | null;
}

/** The aid about to be approved. */
export interface ProposedAid {
  /** YYYY-MM-DD, China time: the day of approval. */
  date: string;
  category: MenuCategory;
  cause: Cause;
  valueFen: number;
}

export type AidLimitViolation =
  | { code: 'AID_ONE_OFF_CAP'; capFen: number; valueFen: number }
  | { code: 'AID_ANNUAL_CAP'; capFen: number; usedFen: number; valueFen: number; year: string }
  | { code: 'AID_DUPLICATE_CAUSE'; earlierRowId: string; earlierDate: string; cause: Cause; days: number };

/** Whether a violation may be overridden by an approver with a written reason. */
export const OVERRIDABLE: ReadonlySet<AidLimitViolation['code']> = new Set(['AID_DUPLICATE_CAUSE']);

export const AID_LIMIT_MESSAGES: Record<AidLimitViolation['code'], string> = {
  AID_ONE_OFF_CAP: '超过一次性救助金额上限',
  AID_ANNUAL_CAP: '超过该户本年度此类帮扶的金额上限',
  AID_DUPLICATE_CAUSE: '同一致困原因在规定期限内已获帮扶，不得重复救助',
};

/** Every limit the proposed aid breaks, in a fixed order (one-off cap, annual cap, duplicate cause). */
export function aidLimitViolations(
  proposed: ProposedAid,
  ledger: readonly LedgerRow[],
  limits: AidLimits,
): AidLimitViolation[] {
  const out: AidLimitViolation[] = [];
  const rows = effectiveRows(ledger);
  if (limits.oneOffCapFen !== null && proposed.valueFen > limits.oneOffCapFen)
    out.push({ code: 'AID_ONE_OFF_CAP', capFen: limits.oneOffCapFen, valueFen: proposed.valueFen });
  const cap = limits.annualCapFen[proposed.category];
  if (cap !== undefined) {
    const year = proposed.date.slice(0, 4);
    const usedFen = rows
      .filter((r) => r.category === proposed.category && r.date.startsWith(year))
      .reduce((sum, r) => sum + r.valueFen, 0);
    if (usedFen + proposed.valueFen > cap)
      out.push({ code: 'AID_ANNUAL_CAP', capFen: cap, usedFen, valueFen: proposed.valueFen, year });
  }
  if (limits.duplicateCauseDays > 0) {
    const earlier = rows
      .filter(
        (r) =>
          r.cause === proposed.cause &&
          r.date <= proposed.date &&
          daysBetween(r.date, proposed.date) < limits.duplicateCauseDays,
      )
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? -1 : 1))[0];
    if (earlier)
      out.push({
        code: 'AID_DUPLICATE_CAUSE',
        earlierRowId: earlier.id,
        earlierDate: earlier.date,
        cause: proposed.cause,
        days: limits.duplicateCauseDays,
      });
  }
  return out;
}

/** The rows that still count: neither reversed nor a reversal. */
export function effectiveRows(ledger: readonly LedgerRow[]): LedgerRow[] {
  const reversed = new Set(ledger.flatMap((r) => (r.reverses === null ? [] : [r.reverses])));
  return ledger.filter((r) => r.reverses === null && !reversed.has(r.id));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
