import { FACTOR_LABELS, FACTORS, type Factor, type Weights } from './factors';

/** One line of a suggestion's explanation: the factor, its weight, its value in [0, 1] and w·f. */
export interface ScoreTerm {
  factor: Factor;
  label: string;
  weight: number;
  value: number;
  contribution: number;
}

export interface Score {
  /** Σ wᵢ·fᵢ over the factors. */
  total: number;
  /** Every factor, in FACTORS order, also those with weight 0, so staff see what was not counted. */
  breakdown: ScoreTerm[];
}

/** Integer scale of scores handed to the batch allocation (exact arithmetic on integers). */
export const SCORE_SCALE = 10_000;

/**
 * score = Σ wᵢ·fᵢ. `values` holds each factor's fᵢ; a factor missing from it (e.g. `capacity` in the
 * need direction, `text` without a query) counts 0 and shows 0 in the breakdown.
 */
export function score(values: Partial<Record<Factor, number>>, weights: Weights): Score {
  const breakdown = FACTORS.map((factor): ScoreTerm => {
    const value = values[factor] ?? 0;
    if (!(value >= 0 && value <= 1)) throw new RangeError(`factor ${factor} = ${value} is outside [0, 1]`);
    const weight = weights[factor];
    return { factor, label: FACTOR_LABELS[factor], weight, value, contribution: weight * value };
  });
  // Summed in FACTORS order, so equal inputs give bit-equal totals wherever they are computed.
  const total = breakdown.reduce((sum, term) => sum + term.contribution, 0);
  return { total, breakdown };
}

/** The integer score the allocation uses: round(total × SCORE_SCALE). */
export function integerScore(total: number): number {
  return Math.round(total * SCORE_SCALE);
}

/** A scored pair, as suggestions are ordered. */
export interface Ranked {
  total: number;
  /** When the need opened (the longer it has waited, the earlier among equal scores). */
  needOpenedAt: Date;
  /** The candidate's id: the last tie-break, so the order is total. */
  id: string;
}

/**
 * The suggestion order: higher total first; equal totals by the need's waiting time (longest first),
 * then id. Deterministic: the same candidates always come out in the same order.
 */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.total !== b.total) return b.total - a.total;
  const waited = a.needOpenedAt.getTime() - b.needOpenedAt.getTime();
  if (waited !== 0) return waited;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
