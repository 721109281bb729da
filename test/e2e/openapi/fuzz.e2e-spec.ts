import fc from 'fast-check';
import request from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { HTTP_METHODS, OpenApiDocument, SchemaObject } from '../../helpers/openapi/document-lint';
import { FIXTURES, PreparedRequest } from '../authorization/fixtures';
import { CaseName, Expected, loadMatrix } from '../authorization/matrix';
import { buildWorld, caseUnitKey, World } from '../authorization/world';

/**
 * Walks every operation of the OpenAPI document with generated inputs, as each kind of caller
 * (anonymous, a worker, a partner, and the staff member the authorization matrix lets through), and
 * asserts that nothing answers 5xx. Per operation and caller, starting from the matrix fixture's valid
 * request: where the caller is served, every body field, query parameter and path id in turn gets hostile
 * values of its kind (decimals like 1e-7, 1e22, NUL, 5000 characters, dates in year 1 or 9999, wrong
 * types), an unknown field is added and one dropped, requests are generated from the document's schemas,
 * and a malformed body is sent (broken JSON, 3000-deep nesting, multipart without a boundary …); where the
 * caller is refused, one mutation. Every response also goes through the test app's OpenAPI check, so
 * the fuzzer finds document drift too. fast-check generates everything from a fixed seed: the same
 * requests on every run (the records the fixtures create differ only in random names and ids).
 */
const SEED = 20_261_204;
/** Requests generated from the schemas per operation and caller (the caller the route serves; else 1). */
const GENERATED = 2;
/** Body fields given hostile values per request template (the archive form has about 40). */
const MAX_FIELDS = 48;

const matrix = loadMatrix();

/** Values that break naive code: types, bounds, encodings, dates far away, injection text. */
const HOSTILE: unknown[] = [
  null,
  '',
  ' ',
  'x'.repeat(5000),
  'a\u0000b',
  '１２３',
  '😀👨‍👩‍👧',
  '\ud800',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  -1,
  0,
  1.5,
  1e-7,
  2 ** 31,
  2 ** 53 + 2,
  1e22,
  8e307,
  -8e307,
  true,
  [],
  {},
  [null],
  { a: { b: { c: [1] } } },
  '1800-01-01',
  '1800-01-01T00:00:00+08:00',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  '../../etc/passwd',
];
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);
const NUMERIC_EDGES = [1e-7, 1e22, -1, 1.5];

/** Hostile values of the kind a field holds (numbers get the numeric edge cases, strings the textual). */
function hostileFor(value: unknown): unknown[] {
  if (typeof value === 'number') return [8e307, 2 ** 31, 2 ** 53 + 2, 0.005, '12', null, true];
  if (typeof value === 'boolean') return ['true', 1, null, []];
  if (Array.isArray(value) || (value && typeof value === 'object')) return [null, 'x', [], {}, [null], 1];
  return [
    '',
    ' ',
    'x'.repeat(5000),
    'a\u0000b',
    '😀👨‍👩‍👧',
    '\ud800',
    "' OR 1=1 --",
    '1800-01-01T00:00:00+08:00',
    '0001-01-01',
    '9999-12-31T23:59:59Z',
    '2026-02-30',
    '00000000-0000-0000-0000-000000000000',
    5,
    null,
    [],
  ];
}

function withQuery(path: string, name: string, value: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
}

const HOSTILE_QUERY = [
  '1e22',
  '8e307',
  '-1',
  '0',
  '1.5',
  'NaN',
  '',
  'x'.repeat(3000),
  '\u0000',
  '%',
  '[]',
  'true',
  '2026-02-30',
  '1800-01-01',
];
const HOSTILE_PATH = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '7f000000-0000-4000-8000-000000000001',
  '\u0000',
  'x'.repeat(300),
  '%E4%B8%AD',
];

interface Malformed {
  contentType: string;
  raw: string;
}
const MALFORMED: Malformed[] = [
  { contentType: 'application/json', raw: '{"a":' },
  { contentType: 'application/json', raw: '[]' },
  { contentType: 'application/json', raw: 'null' },
  { contentType: 'application/json', raw: '"text"' },
  { contentType: 'text/plain', raw: 'hello' },
  { contentType: 'application/xml', raw: '<a/>' },
  { contentType: 'application/x-www-form-urlencoded', raw: 'a=1&b=2' },
  { contentType: 'multipart/form-data; boundary=X', raw: '--X\r\n' },
  { contentType: 'multipart/form-data', raw: 'no boundary' },
  { contentType: 'application/json', raw: `{"a":${'['.repeat(3000)}${']'.repeat(3000)}}` },
];

interface FuzzRequest {
  label: string;
  method: string;
  url: string;
  token: string | null;
  json?: unknown;
  malformed?: Malformed;
  multipart?: PreparedRequest['multipart'];
}

function resolveRef(doc: OpenApiDocument, schema: SchemaObject): SchemaObject {
  let s = schema;
  while (s.$ref) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]!;
  if (s.allOf?.length === 1) return { ...resolveRef(doc, s.allOf[0]!), nullable: s.nullable };
  return s;
}

/** Values valid for the schema (as far as a schema can say: formats, bounds, enums, required fields). */
function arbitraryFor(doc: OpenApiDocument, raw: SchemaObject | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!raw) return fc.constant(undefined);
  const schema = resolveRef(doc, raw);
  const inner = ((): fc.Arbitrary<unknown> => {
    if (schema.oneOf) return fc.oneof(...schema.oneOf.map((s) => arbitraryFor(doc, s, depth)));
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const min = schema.minimum as number | undefined;
    const max = schema.maximum as number | undefined;
    switch (schema.type) {
      case 'integer':
        return fc.integer({ min: min ?? -1000, max: max ?? 10_000_000 });
      case 'number':
        return fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth > 3
          ? fc.constant([])
          : fc.array(arbitraryFor(doc, schema.items, depth + 1), { maxLength: 3 });
      case 'object': {
        if (!schema.properties || depth > 4) return fc.constant({});
        const props = Object.fromEntries(
          Object.entries(schema.properties).map(([k, v]) => [k, arbitraryFor(doc, v, depth + 1)]),
        );
        return fc.record(props, { requiredKeys: (schema.required ?? []) as never[] });
      }
      default:
        switch (schema.format) {
          case 'uuid':
            return fc.uuid();
          case 'date':
            return fc
              .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
              .map((d) => d.toISOString().slice(0, 10));
          case 'date-time':
            return fc
              .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
              .map((d) => d.toISOString());
          case 'binary':
            return fc.constant('file');
        }
        if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
        return fc.string({
          unit: 'grapheme',
          minLength: (schema.minLength as number | undefined) ?? 0,
          maxLength: Math.min((schema.maxLength as number | undefined) ?? 40, 60),
        });
    }
  })();
  return schema.nullable ? fc.option(inner, { nil: null, freq: 5 }) : inner;
}

/** Every place in a JSON value a mutation can hit: [parent, key] pairs. */
function slots(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([value, i]);
      slots(item, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, k]);
      slots(v, out);
    }
  }
  return out;
}

/**
 * Every field the body schema declares (nested objects and the first element of arrays of objects where
 * the request has one), with a sample of its kind: fields the valid request leaves out are reached too.
 */
function fieldsOf(
  doc: OpenApiDocument,
  raw: SchemaObject | undefined,
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; sample: unknown }[] {
  if (!raw) return [];
  const schema = resolveRef(doc, raw);
  const kindSample = (s: SchemaObject): unknown =>
    s.type === 'integer' || s.type === 'number'
      ? 0
      : s.type === 'boolean'
        ? false
        : s.type === 'array'
          ? []
          : s.type === 'object'
            ? {}
            : '';
  const out: { path: (string | number)[]; sample: unknown }[] = [];
  for (const [name, propRaw] of Object.entries(schema.properties ?? {})) {
    const prop = resolveRef(doc, propRaw);
    const here = [...path, name];
    out.push({ path: here, sample: kindSample(prop) });
    const current = (value as Record<string, unknown> | undefined)?.[name];
    if (prop.type === 'object' && current && typeof current === 'object')
      out.push(...fieldsOf(doc, prop, current, here));
    if (
      prop.type === 'array' &&
      Array.isArray(current) &&
      current[0] &&
      typeof current[0] === 'object' &&
      prop.items
    )
      out.push(...fieldsOf(doc, prop.items, current[0], [...here, 0]));
  }
  return out;
}

function setAt(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function mutateBody(body: unknown, pick: number, value: unknown, op: 'replace' | 'delete' | 'add'): unknown {
  const copy = structuredClone(body ?? {});
  const places = slots(copy);
  if (op === 'add' || !places.length) {
    const target = places.length ? places[pick % places.length]![0] : copy;
    if (target && typeof target === 'object' && !Array.isArray(target))
      (target as Record<string, unknown>)['__fuzz'] = value;
    else if (Array.isArray(target)) target.push(value);
    return copy;
  }
  const [parent, key] = places[pick % places.length]!;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else (parent as Record<string | number, unknown>)[key] = value;
  return copy;
}

function seedFor(text: string): number {
  let h = SEED;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/** The matrix case an actor's valid request is prepared for: its own record or unit where it has one. */
function caseFor(world: World, endpoint: string, actorName: string, grassrootsOnly: boolean) {
  const row = matrix.endpoints[endpoint] ?? {};
  for (const name of [
    'own_record',
    'none',
    'own_unit',
    'child_unit',
    'sibling_unit',
    'parent_unit',
  ] as CaseName[]) {
    const cells = row[name];
    if (!cells || cells[actorName] === 'n/a' || cells[actorName] === undefined) continue;
    const unitKey = name === 'none' ? null : caseUnitKey(world.specs[actorName]!.unit, name, grassrootsOnly);
    if (name !== 'none' && unitKey === null) continue;
    return {
      caseName: name,
      unit: unitKey ? world.units[unitKey]! : null,
      expected: cells[actorName] as Expected,
    };
  }
  return null;
}

/** Anonymous, a worker, a partner, and the first staff actor the matrix lets through (else a caseworker). */
function actorsFor(world: World, endpoint: string): string[] {
  const staff = Object.entries(world.specs)
    .filter(([, spec]) => spec.kind === 'staff')
    .map(([name]) => name);
  const allowed = staff.find((name) => {
    const c = caseFor(world, endpoint, name, FIXTURES[endpoint]?.grassrootsOnly ?? false);
    return c !== null && typeof c.expected === 'number' && c.expected < 300;
  });
  return ['anonymous', 'worker', 'partner', allowed ?? 'caseworker'];
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let world: World;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await createTestApp();
    world = await buildWorld(t, matrix);
    doc = (await request(t.app.getHttpServer()).get('/api/docs/openapi.json').expect(200)).body;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function requestsFor(method: string, path: string, actorName: string): Promise<FuzzRequest[]> {
    const endpoint = `${method.toUpperCase()} ${path}`;
    const op = doc.paths[path]![method]!;
    const fixture = FIXTURES[endpoint];
    const actor = world.actors[actorName] ?? null;
    const chosen = caseFor(world, endpoint, actorName, fixture?.grassrootsOnly ?? false);
    const prepared: PreparedRequest =
      fixture && chosen
        ? await fixture.prepare({ world, actorName, actor, caseName: chosen.caseName, unit: chosen.unit })
        : { path: path.replace(/\{\w+\}/g, '7f000000-0000-4000-8000-000000000001') };
    const token = prepared.token === undefined ? (actor?.token ?? null) : prepared.token;
    const base = { method, token, multipart: prepared.multipart };
    const seed = seedFor(`${endpoint} ${actorName}`);
    const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
    const out: FuzzRequest[] = [{ ...base, label: 'fixture', url: prepared.path, json: prepared.body }];

    const allowed = typeof chosen?.expected === 'number' && chosen.expected < 300;
    if (allowed) {
      // Directed: every body field, query parameter and path id gets hostile values of its own kind.
      // Numbers always get the decimal and range edges; other kinds two of their hostile values.
      const pickFor = (value: unknown, salt: number) => [
        ...(typeof value === 'number' ? NUMERIC_EDGES : []),
        ...fc.sample(fc.constantFrom(...hostileFor(value)), {
          seed: seed + salt,
          numRuns: typeof value === 'number' ? 1 : 2,
        }),
      ];
      if (prepared.multipart) {
        for (const [i, value] of pickFor('', 7).entries()) {
          const fields = {
            ...prepared.multipart.fields,
            kind: typeof value === 'string' ? value : JSON.stringify(value),
          };
          out.push({
            ...base,
            label: 'multipart field',
            url: prepared.path,
            multipart: { ...prepared.multipart, fields },
          });
          if (i === 0) {
            const file = {
              ...prepared.multipart.file,
              data: Buffer.from('not a pdf'),
              contentType: 'application/pdf',
            };
            out.push({
              ...base,
              label: 'multipart file',
              url: prepared.path,
              multipart: { ...prepared.multipart, file },
            });
          }
        }
      } else if (op.requestBody) {
        const schema = op.requestBody.content['application/json']?.schema;
        const places = fieldsOf(doc, schema, prepared.body ?? {}).slice(0, MAX_FIELDS);
        places.forEach(({ path: fieldPath, sample }, n) => {
          for (const value of pickFor(sample, n))
            out.push({
              ...base,
              label: `body ${fieldPath.join('.')}`,
              url: prepared.path,
              json: setAt(prepared.body ?? {}, fieldPath, value),
            });
        });
        out.push({
          ...base,
          label: 'body unknown field',
          url: prepared.path,
          json: mutateBody(prepared.body, 0, 1, 'add'),
        });
        if (slots(prepared.body ?? {}).length)
          out.push({
            ...base,
            label: 'body field dropped',
            url: prepared.path,
            json: mutateBody(prepared.body, 0, null, 'delete'),
          });
      }
      queryParams.forEach((param, i) => {
        for (const value of fc.sample(fc.constantFrom(...HOSTILE_QUERY), {
          seed: seed + 100 + i,
          numRuns: 2,
        }))
          out.push({
            ...base,
            label: `query ${param.name}`,
            url: withQuery(prepared.path, param.name, value),
            json: prepared.body,
          });
      });
      const segments = prepared.path.split('?')[0]!.split('/');
      segments.forEach((segment, i) => {
        if (!/^[0-9a-f-]{36}$/.test(segment)) return;
        const [value] = fc.sample(fc.constantFrom(...HOSTILE_PATH), { seed: seed + 200 + i, numRuns: 1 });
        const copy = [...segments];
        copy[i] = encodeURIComponent(value!);
        out.push({ ...base, label: 'path id', url: copy.join('/'), json: prepared.body });
      });
    } else {
      // Refused at the guard (or not this caller's record): one random mutation is enough to show it.
      const [m] = fc.sample(
        fc.record({
          pick: fc.nat(),
          value: hostile,
          op: fc.constantFrom(...(['replace', 'delete', 'add'] as const)),
        }),
        { seed, numRuns: 1 },
      );
      if (op.requestBody && !prepared.multipart)
        out.push({
          ...base,
          label: `body ${m!.op}`,
          url: prepared.path,
          json: mutateBody(prepared.body, m!.pick, m!.value, m!.op),
        });
      else
        out.push({
          ...base,
          label: 'query page',
          url: withQuery(prepared.path, 'page', '1e22'),
          json: prepared.body,
        });
    }

    const bodySchema = op.requestBody?.content['application/json']?.schema;
    const generated = fc.sample(
      fc.record({
        body: arbitraryFor(doc, bodySchema),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, arbitraryFor(doc, p.schema)])), {
          requiredKeys: [],
        }),
      }),
      { seed: seed + 1, numRuns: allowed ? GENERATED : 1 },
    );
    for (const g of generated) {
      const query = Object.entries(g.query)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&');
      const pathOnly = prepared.path.split('?')[0]!;
      out.push({
        ...base,
        multipart: undefined,
        label: 'from schema',
        url: query ? `${pathOnly}?${query}` : pathOnly,
        json: bodySchema ? g.body : undefined,
      });
    }
    if (['post', 'put', 'patch', 'delete'].includes(method)) {
      const [pick] = fc.sample(fc.nat({ max: MALFORMED.length - 1 }), { seed: seed + 2, numRuns: 1 });
      out.push({
        ...base,
        multipart: undefined,
        label: 'malformed body',
        url: prepared.path,
        malformed: MALFORMED[pick!],
      });
    }
    return out;
  }

  async function send(r: FuzzRequest) {
    let req = request(t.app.getHttpServer())[r.method as 'get' | 'post' | 'patch' | 'delete'](r.url);
    if (r.token) req = req.set('authorization', `Bearer ${r.token}`);
    if (r.malformed) return req.set('content-type', r.malformed.contentType).send(r.malformed.raw);
    if (r.multipart) {
      for (const [name, value] of Object.entries(r.multipart.fields)) req = req.field(name, value);
      const { field, data, filename, contentType } = r.multipart.file;
      return req.attach(field, data, { filename, contentType });
    }
    return r.json === undefined ? req : req.send(r.json as object);
  }

  it('answers every generated request without a 5xx', async () => {
    const failures: string[] = [];
    let sent = 0;
    const started = Date.now();
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((m) => item[m]).map((method) => ({ method, path })),
    );
    for (const { method, path } of ops) {
      for (const actorName of actorsFor(world, `${method.toUpperCase()} ${path}`)) {
        for (const r of await requestsFor(method, path, actorName)) {
          const res = await send(r);
          sent++;
          if (res.status >= 500) {
            const body = r.malformed ? r.malformed.raw : JSON.stringify(r.json);
            failures.push(
              `${actorName} ${method.toUpperCase()} ${r.url.slice(0, 160)} [${r.label}] ${String(body).slice(0, 160)} → ${res.status} ${res.text.slice(0, 160)}`,
            );
          }
        }
      }
    }
    console.log(
      `fuzz: ${ops.length} operations, ${sent} requests in ${Math.round((Date.now() - started) / 1000)} s, seed ${SEED}`,
    );
    expect(failures).toEqual([]);
  }, 240_000);
});
