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
