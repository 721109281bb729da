import { createHmac } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt';

const SECRET = 'unit-test-secret-0123456789abcdef0123';
const NOW = 1_800_000_000;
const payload = { sub: 'u1', sid: 's1', tv: 0, iat: NOW, exp: NOW + 900, jti: 'j1' };

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signRaw(input: string): string {
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

function forge(header: unknown, body: unknown, secret = SECRET): string {
  const input = `${encode(header)}.${encode(body)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

describe('HS256 JWT', () => {
  it('round-trips a signed token until it expires', () => {
    const token = signJwt(payload, SECRET);
    expect(verifyJwt(token, SECRET, NOW)).toEqual({ ok: true, payload });
    expect(verifyJwt(token, SECRET, NOW + 899)).toMatchObject({ ok: true });
    expect(verifyJwt(token, SECRET, NOW + 900)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['another secret', () => signJwt(payload, 'another-secret-0123456789abcdef01')],
    [
      'a changed payload with the old signature',
      () => {
        const [h, , s] = signJwt(payload, SECRET).split('.');
        return `${h}.${encode({ ...payload, sub: 'admin' })}.${s}`;
      },
    ],
    [
      'a flipped signature character',
      () => {
        const token = signJwt(payload, SECRET);
        return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      },
    ],
  ])('refuses %s as bad_signature', (_name, make) => {
    expect(verifyJwt(make(), SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['an empty string', ''],
    ['two segments', 'abc.def'],
    ['garbage', 'not a token at all'],
    ['alg none', `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`],
    ['alg none with a signature', `${encode({ alg: 'none' })}.${encode(payload)}.abc`],
    ['alg HS512', forge({ alg: 'HS512', typ: 'JWT' }, payload)],
    ['alg RS256', forge({ alg: 'RS256', typ: 'JWT' }, payload)],
    ['a correctly signed non-JSON payload', signRaw(`${encode({ alg: 'HS256', typ: 'JWT' })}.bm90anNvbg`)],
  ])('refuses %s as malformed', (_name, token) => {
    expect(verifyJwt(token, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a correctly signed token without exp as malformed', () => {
    expect(verifyJwt(forge({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', iat: NOW }), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('reports a forged expired token as bad_signature, not expired', () => {
    const token = signJwt({ ...payload, exp: NOW - 1 }, 'wrong-secret-0123456789abcdef0123');
    expect(verifyJwt(token, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
