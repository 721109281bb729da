import { DataSource } from 'typeorm';
import { DEMO_ORG_UNITS, seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { Actor, createActor } from '../../helpers/actors';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createUser, OrgUnitRow } from '../../helpers/factories/users.factory';
import { TestApp } from '../../helpers/test-app';
import type { ActorSpec, CaseName, Matrix } from './matrix';

export const PARTNER_ID = '5b0e8a3c-1f2d-4e6a-9b7c-2a1d3e4f5a60';
export const OTHER_PARTNER_ID = '7c1f9b4d-2e3a-4f7b-8c8d-3b2e4f5a6b71';

/** The seeded union tree, every matrix actor logged in, and a few shared accounts. */
export interface World {
  t: TestApp;
  units: Record<string, OrgUnitRow>;
  actors: Record<string, Actor | null>;
  specs: Record<string, ActorSpec>;
  /** An ordinary account anyone may log in as (POST /auth/login). */
  loginProbe: { username: string; password: string };
  /** Another worker of the worker actor's unit (data case other_record). */
  otherWorker: Actor;
}

export async function buildWorld(t: TestApp, matrix: Matrix): Promise<World> {
  const dataSource = t.app.get(DataSource);
  const tree = await dataSource.transaction((manager) => seedDemoOrgTree(manager));
  const units: Record<string, OrgUnitRow> = {};
  for (const [key, unit] of Object.entries(tree)) {
    units[key] = {
      id: unit.id,
      name: unit.name,
      level: unit.level,
      path: unit.path,
      parentId: unit.parentId,
    };
  }
  // The partner actor's organisation and another one, both approved and managed by the partner actor's
  // unit (西湖区总工会): the data axis own_record / other_record of partner endpoints.
  const partnerUnit = Object.values(matrix.actors).find((spec) => spec.kind === 'partner')?.unit ?? 'xihu';
  const cipher = t.app.get(FieldCipher);
  await createPartner(dataSource, cipher, units[partnerUnit].id, {
    id: PARTNER_ID,
    name: '测试爱心企业（本方）',
  });
  await createPartner(dataSource, cipher, units[partnerUnit].id, {
    id: OTHER_PARTNER_ID,
    kind: 'ngo',
    name: '测试社会组织（他方）',
  });
  const actors: Record<string, Actor | null> = {};
  for (const [name, spec] of Object.entries(matrix.actors)) {
    actors[name] =
      spec.kind === 'anonymous'
        ? null
        : await createActor(t.app, {
            kind: spec.kind,
            roles: spec.roles ?? [],
            unit: units[spec.unit!],
            partnerId: spec.kind === 'partner' ? PARTNER_ID : null,
          });
  }
  const probe = await createUser(dataSource, { kind: 'worker', roles: [], orgUnit: units['xihu-gr-1'] });
  const otherWorker = await createActor(t.app, { kind: 'worker', unit: units['xihu-gr-1'] });
  return {
    t,
    units,
    actors,
    specs: matrix.actors,
    loginProbe: { username: probe.user.username, password: probe.password },
    otherWorker,
  };
}

const PARENT: Record<string, string | null> = Object.fromEntries(
  DEMO_ORG_UNITS.map((u) => [u.key, u.parent]),
);

function childrenOf(key: string): string[] {
  return DEMO_ORG_UNITS.filter((u) => u.parent === key).map((u) => u.key);
}

function firstGrassroots(key: string): string | null {
  if (key.includes('-gr-')) return key;
  for (const child of childrenOf(key)) {
    const found = firstGrassroots(child);
    if (found) return found;
  }
  return null;
}

/**
 * The unit a data case points at, relative to the actor's unit (anonymous callers: 西湖区). For records
 * that live only at grassroots unions, the case is moved down to a grassroots unit where that keeps its
 * meaning (child, sibling) and is `null` (impossible) where it does not (own unit above grassroots, parent).
 */
export function caseUnitKey(
  actorUnit: string | undefined,
  c: CaseName,
  grassrootsOnly: boolean,
): string | null {
  const base = actorUnit ?? 'xihu';
  const isGrassroots = (k: string) => k.includes('-gr-');
  switch (c) {
    case 'own_unit':
      return grassrootsOnly && !isGrassroots(base) ? null : base;
    case 'child_unit': {
      const child = childrenOf(base)[0];
      if (!child) return null;
      return grassrootsOnly ? firstGrassroots(child) : child;
    }
    case 'parent_unit': {
      const parent = PARENT[base];
      return !parent || grassrootsOnly ? null : parent;
    }
    case 'sibling_unit': {
      const parent = PARENT[base];
      const sibling = parent ? childrenOf(parent).find((k) => k !== base) : undefined;
      if (!sibling) return null;
      return grassrootsOnly ? firstGrassroots(sibling) : sibling;
    }
    default:
      return base;
  }
}
