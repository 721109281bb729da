import type { Score, ScoreTerm } from './score';

/** Four decimals are what a person reads; the order was already decided on the exact values. */
export const shown = (n: number): number => Math.round(n * 10_000) / 10_000;

/** A score's terms as responses show them. */
export function shownBreakdown(breakdown: readonly ScoreTerm[]): ScoreTerm[] {
  return breakdown.map((t) => ({ ...t, value: shown(t.value), contribution: shown(t.contribution) }));
}

export function shownScore(score: Score): Score {
  return { total: shown(score.total), breakdown: shownBreakdown(score.breakdown) };
}
