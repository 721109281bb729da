import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { AccountKind, StaffRole } from '../../../src/modules/auth/principal';

export const MATRIX_FILE = resolve(__dirname, '..', '..', '..', 'docs', 'authorization-matrix.yml');

export const CASES = [
  'none',
  'own_unit',
  'child_unit',
  'parent_unit',
  'sibling_unit',
  'own_record',
  'other_record',
] as const;
export type CaseName = (typeof CASES)[number];

export interface ActorSpec {
  kind: AccountKind | 'anonymous';
  roles?: StaffRole[];
  unit?: string;
}

export type Expected = number | 'n/a';

export interface Matrix {
  actors: Record<string, ActorSpec>;
  /** endpoint ("METHOD /path") → case → actor → expected status (expanded: every actor listed). */
  endpoints: Record<string, Partial<Record<CaseName, Record<string, Expected>>>>;
}

/** Reads the matrix and expands `'*'`, failing loudly on unknown actors, cases or values. */
export function loadMatrix(): Matrix {
  const raw = parse(readFileSync(MATRIX_FILE, 'utf8'), { merge: true }) as {
    actors: Record<string, ActorSpec>;
    endpoints: Record<string, Record<string, Record<string, unknown>>>;
  };
  const actorNames = Object.keys(raw.actors);
  const endpoints: Matrix['endpoints'] = {};
  for (const [endpoint, cases] of Object.entries(raw.endpoints)) {
    if (!/^(GET|POST|PATCH|PUT|DELETE) \//.test(endpoint))
      throw new Error(`matrix: bad endpoint key ${endpoint}`);
    endpoints[endpoint] = {};
    for (const [caseName, row] of Object.entries(cases)) {
      if (!(CASES as readonly string[]).includes(caseName))
        throw new Error(`matrix: ${endpoint}: unknown case ${caseName}`);
      const expanded: Record<string, Expected> = {};
      for (const actor of actorNames) {
        const value = actor in row ? row[actor] : row['*'];
        if (value === undefined) throw new Error(`matrix: ${endpoint} ${caseName}: no cell for ${actor}`);
        if (value !== 'n/a' && (typeof value !== 'number' || value < 200 || value > 599)) {
          throw new Error(`matrix: ${endpoint} ${caseName} ${actor}: bad value ${String(value)}`);
        }
        expanded[actor] = value as Expected;
      }
      for (const actor of Object.keys(row)) {
        if (actor !== '*' && !actorNames.includes(actor))
          throw new Error(`matrix: ${endpoint}: unknown actor ${actor}`);
      }
      endpoints[endpoint]![caseName as CaseName] = expanded;
    }
  }
  return { actors: raw.actors, endpoints };
}

export function countCells(matrix: Matrix): { endpoints: number; actors: number; cells: number } {
  let cells = 0;
  for (const cases of Object.values(matrix.endpoints)) {
    for (const row of Object.values(cases)) cells += Object.keys(row ?? {}).length;
  }
  return {
    endpoints: Object.keys(matrix.endpoints).length,
    actors: Object.keys(matrix.actors).length,
    cells,
  };
}
