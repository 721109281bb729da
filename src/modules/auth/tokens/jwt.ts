import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact JWS with HS256 only, enough for our own tokens (we are issuer and audience). Any other `alg`
 * (including `none`) is refused before the signature is looked at.
 */
export type JwtPayload = Record<string, unknown> & { exp: number; iat: number };

export type JwtResult =
  { ok: true; payload: JwtPayload } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const HEADER = base64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export function signJwt(payload: JwtPayload, secret: string): string {
  const body = base64url(Buffer.from(JSON.stringify(payload)));
  return `${HEADER}.${body}.${signature(`${HEADER}.${body}`, secret)}`;
}

/** `nowSeconds` from the injected Clock. Signature is checked before expiry: a forged token is never "expired". */
export function verifyJwt(token: string, secret: string, nowSeconds: number): JwtResult {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part)))
    return { ok: false, reason: 'malformed' };
  const [headerPart, bodyPart, signaturePart] = parts;
  const header = parseJson(headerPart);
  if (!header || header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT')) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = Buffer.from(signature(`${headerPart}.${bodyPart}`, secret));
  const given = Buffer.from(signaturePart);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const payload = parseJson(bodyPart);
  if (!payload || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  if (nowSeconds >= payload.exp) return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload as JwtPayload };
}

function signature(input: string, secret: string): string {
  return base64url(createHmac('sha256', secret).update(input).digest());
}

function base64url(data: Buffer): string {
  return data.toString('base64url');
}

function parseJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
