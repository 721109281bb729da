/**
 * Regions a 低保 line is looked up in, most specific first: the code itself, then its city (`PPCC00`),
 * then its province (`PP0000`). `330102` → [`330102`, `330100`, `330000`]; `330100` → [`330100`, `330000`].
 */
export function dibaoRegionCandidates(regionCode: string): string[] {
  const city = `${regionCode.slice(0, 4)}00`;
  const province = `${regionCode.slice(0, 2)}0000`;
  return [...new Set([regionCode, city, province])];
}

/**
 * Whether a union unit for `unitRegion` may set lines for `regionCode`: a province unit for its whole
 * province, a city unit for its city, a district unit for its district (the national unit covers
 * every region: the caller decides that by the unit's level, not by its code).
 */
export function regionCovers(unitRegion: string, regionCode: string): boolean {
  if (unitRegion.endsWith('0000')) return regionCode.startsWith(unitRegion.slice(0, 2));
  if (unitRegion.endsWith('00')) return regionCode.startsWith(unitRegion.slice(0, 4));
  return regionCode === unitRegion;
}

export interface DatedLine {
  regionCode: string;
  /** `YYYY-MM-DD`. */
  effectiveFrom: string;
}

/**
 * The line in force on `date` among `lines` of the `candidates` regions (most specific first): the most
 * specific region that has a line in force on the date wins (its newest line not after the date), so a
 * district's or city's own standard is never replaced by a newer province line — provinces publish a
 * floor, and cities and districts set their own at or above it. Lines dated after `date` or of other
 * regions are ignored; a region with nothing in force yet falls through to the next one.
 */
export function pickLineInForce<T extends DatedLine>(
  candidates: readonly string[],
  lines: readonly T[],
  date: string,
): T | null {
  let best: T | null = null;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    const rank = candidates.indexOf(line.regionCode);
    if (rank < 0 || line.effectiveFrom > date) continue;
    if (rank < bestRank || (rank === bestRank && best !== null && line.effectiveFrom > best.effectiveFrom)) {
      best = line;
      bestRank = rank;
    }
  }
  return best;
}

/** Union levels whose archivists publish 低保 lines; a grassroots unit carries its district's code but not its authority. */
export const DIBAO_LINE_SETTER_LEVELS: readonly string[] = ['national', 'province', 'city', 'district'];
