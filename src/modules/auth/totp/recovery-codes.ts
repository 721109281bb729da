import { createHash, randomBytes } from 'node:crypto';

/** Lower-case, unambiguous alphabet (no 0/o, 1/l/i): codes are typed from paper. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUP = 5;

/** A code like `k7m2p-x9qrt`: 10 characters from 31 ≈ 49.5 bits, shown once, stored hashed. */
export function generateRecoveryCode(): string {
  const chars: string[] = [];
  while (chars.length < GROUP * 2) {
    // Rejection sampling keeps every character equally likely.
    for (const byte of randomBytes(16)) {
      if (byte < 248 && chars.length < GROUP * 2) chars.push(ALPHABET[byte % ALPHABET.length]);
    }
  }
  return `${chars.slice(0, GROUP).join('')}-${chars.slice(GROUP).join('')}`;
}

/** Spaces, hyphens and case do not matter when a code is typed back. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');
}
