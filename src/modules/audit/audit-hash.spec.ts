import { auditRowHash, canonicalJson, GENESIS_HASH, HashedAuditFields, isoFromDatabase } from './audit-hash';

const fields = (overrides: Partial<HashedAuditFields> = {}): HashedAuditFields => ({
  id: '1',
  occurredAt: '2026-03-02T01:00:00.123Z',
  actorId: '6f1c2d3e-0000-4000-8000-000000000001',
  actorUsername: 'zhang.caseworker',
  actorKind: 'staff',
  actorRoles: ['caseworker', 'reviewer'],
  actorOrgUnitId: '6f1c2d3e-0000-4000-8000-0000000000aa',
  action: 'archive.read',
  targetType: 'archive',
  targetId: '6f1c2d3e-0000-4000-8000-0000000000bb',
  outcome: 'success',
  clientIp: '10.0.0.8',
  requestId: 'req-1',
  details: { from: 'draft', to: 'submitted' },
  ...overrides,
});

describe('canonicalJson', () => {
  it.each([
    [
      'sorts object keys at every level',
      { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } },
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    ],
    ['drops undefined members like JSON', { a: undefined, b: 'x' }, '{"b":"x"}'],
    ['writes undefined array items as null', [1, undefined], '[1,null]'],
    ['escapes strings like JSON', { s: '审计"\n' }, '{"s":"审计\\"\\n"}'],
    ['prints numbers like JavaScript', { n: 1e-7, m: 10, k: 0.1 }, '{"k":0.1,"m":10,"n":1e-7}'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a bigint', BigInt(1)],
    ['a function', () => 1],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson({ v: value })).toThrow(TypeError);
  });
});

describe('auditRowHash', () => {
  const base = auditRowHash(GENESIS_HASH, fields());

  it('is 64 lower-case hex characters and deterministic', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(auditRowHash(GENESIS_HASH, fields())).toBe(base);
  });

  it('does not depend on the key order of details (jsonb reorders keys)', () => {
    expect(auditRowHash(GENESIS_HASH, fields({ details: { to: 'submitted', from: 'draft' } }))).toBe(base);
  });

  it('depends on the previous hash', () => {
    expect(auditRowHash('f'.repeat(64), fields())).not.toBe(base);
  });

  it.each<[string, Partial<HashedAuditFields>]>([
    ['id', { id: '2' }],
    ['occurredAt (one millisecond)', { occurredAt: '2026-03-02T01:00:00.124Z' }],
    ['actorId', { actorId: null }],
    ['actorUsername', { actorUsername: 'li.caseworker' }],
    ['actorKind', { actorKind: 'worker' }],
    ['actorRoles order', { actorRoles: ['reviewer', 'caseworker'] }],
    ['actorOrgUnitId', { actorOrgUnitId: null }],
    ['action', { action: 'archive.update' }],
    ['targetType', { targetType: 'need' }],
    ['targetId', { targetId: 'x' }],
    ['outcome', { outcome: 'denied' }],
    ['clientIp', { clientIp: '10.0.0.9' }],
    ['requestId', { requestId: 'req-2' }],
    ['details', { details: { from: 'draft', to: 'returned' } }],
  ])('changes when %s changes', (_name, change) => {
    expect(auditRowHash(GENESIS_HASH, fields(change))).not.toBe(base);
  });

  it('tells null from the string "null"', () => {
    expect(auditRowHash(GENESIS_HASH, fields({ targetId: null }))).not.toBe(
      auditRowHash(GENESIS_HASH, fields({ targetId: 'null' })),
    );
  });
});

describe('isoFromDatabase', () => {
  it.each([
    ['2026-03-02T01:00:00.123000', '2026-03-02T01:00:00.123Z'],
    ['2026-03-02T01:00:00.000000', '2026-03-02T01:00:00.000Z'],
    // Microseconds the application never writes must not collapse onto a hashed millisecond value.
    ['2026-03-02T01:00:00.123456', '2026-03-02T01:00:00.123456Z'],
  ])('%s → %s', (text, iso) => {
    expect(isoFromDatabase(text)).toBe(iso);
  });

  it('reads back what Date#toISOString wrote', () => {
    const written = new Date('2026-03-02T09:00:00.007+08:00').toISOString();
    expect(isoFromDatabase('2026-03-02T01:00:00.007000')).toBe(written);
  });
});
