/** `330106` → `33`, `3301`, `330106` (a national or provincial code keeps only its non-zero prefixes). */
export function regionPrefixes(code: string): string[] {
  const prefixes = [code.slice(0, 2), code.slice(0, 4), code];
  return [...new Set(prefixes.filter((p, i) => i === 0 || !/^0+$/.test(p.slice(i * 2))))];
}
