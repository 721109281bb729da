import request from 'supertest';
import { findUnmaskedPersonalData } from '../../../src/common/masking/mask';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { FIXTURES } from './fixtures';
import { CaseName, countCells, loadMatrix } from './matrix';
import { buildWorld, caseUnitKey, World } from './world';

const matrix = loadMatrix();

/**
 * Walks docs/authorization-matrix.yml: every (endpoint, data case, actor) cell is one real request
 * through the whole application, logged in as that actor, and must get exactly the status the matrix
 * names. Every body is also scanned for unmasked ID and phone numbers (reveal endpoints excepted).
 */
describe('authorization matrix (docs/authorization-matrix.yml)', () => {
  let t: TestApp;
  let world: World;

  beforeAll(async () => {
    // The actors log in once and the walk takes minutes (19 on a machine shared with other runs): tokens
    // and sessions that outlive it, so no cell sees an expired token instead of its status.
    t = await createTestApp({
      overrides: { auth: { session: { accessTokenTtlSeconds: 3600, idleTimeoutMinutes: 240 } } },
    });
    world = await buildWorld(t, matrix);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('has a row for every route the application serves, and a route for every row', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    const served = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.filter((route) => !(route in matrix.endpoints)).sort()).toEqual([]);
    expect(
      Object.keys(matrix.endpoints)
        .filter((route) => !served.includes(route))
        .sort(),
    ).toEqual([]);
    expect(
      Object.keys(matrix.endpoints)
        .filter((route) => !(route in FIXTURES))
        .sort(),
    ).toEqual([]);
  });

  it.each(Object.keys(matrix.endpoints))(
    '%s',
    async (endpoint) => {
      const [method, path] = endpoint.split(' ') as [string, string];
      const fixture = FIXTURES[endpoint];
      expect(fixture).toBeDefined();
      const mismatches: string[] = [];
      for (const [caseName, row] of Object.entries(matrix.endpoints[endpoint]!)) {
        for (const [actorName, expected] of Object.entries(row!)) {
          const spec = world.specs[actorName]!;
          const unitKey =
            caseName === 'none'
              ? null
              : caseUnitKey(spec.unit, caseName as CaseName, fixture!.grassrootsOnly ?? false);
          if (expected === 'n/a') {
            if (
              caseName !== 'none' &&
              unitKey !== null &&
              !['own_record', 'other_record'].includes(caseName)
            ) {
              mismatches.push(`${caseName} ${actorName}: marked n/a but the case exists (${unitKey})`);
            }
            continue;
          }
          if (caseName !== 'none' && unitKey === null) {
            mismatches.push(`${caseName} ${actorName}: no unit for this case; mark it n/a`);
            continue;
          }
          const actor = world.actors[actorName] ?? null;
          const prepared = await fixture!.prepare({
            world,
            actorName,
            actor,
            caseName: caseName as CaseName,
            unit: unitKey ? world.units[unitKey]! : null,
          });
          const token = prepared.token === undefined ? actor?.token : prepared.token;
          let req = request(t.app.getHttpServer())[
            method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'
          ](prepared.path);
          if (token) req = req.set('authorization', `Bearer ${token}`);
          if (prepared.multipart) {
            for (const [name, value] of Object.entries(prepared.multipart.fields))
              req = req.field(name, value);
            const { field, data, filename, contentType } = prepared.multipart.file;
            req = req.attach(field, data, { filename, contentType });
          }
          const res = prepared.body === undefined ? await req : await req.send(prepared.body);
          // File downloads come back as bytes (no text): there is no JSON to scan.
          const text: string = res.text ?? '';
          if (res.status !== expected) {
            mismatches.push(
              `${caseName} ${actorName}: expected ${expected}, got ${res.status} ${text.slice(0, 160)}`,
            );
          }
          if (!/\/reveal$/.test(path)) {
            const leaks = findUnmaskedPersonalData(text);
            if (leaks.length) {
              const samples = leaks.map(
                (l) => `${l.kind}@…${text.slice(Math.max(0, l.index - 30), l.index)}`,
              );
              mismatches.push(`${caseName} ${actorName}: unmasked ${samples.join(' | ')}`);
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
      // One endpoint is up to ~40 requests, each with its own fixture rows: minutes on a loaded machine.
    },
    180_000,
  );

  afterAll(() => {
    const { endpoints, actors, cells } = countCells(matrix);
    console.log(`authorization matrix: ${endpoints} endpoints × ${actors} actors, ${cells} cells`);
  });
});
