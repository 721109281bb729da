import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Reads the common-password list: one password a line, `#` starts a comment line, blank lines ignored.
 * Entries are lower-cased because the policy compares case-insensitively.
 */
export function loadCommonPasswords(path: string): ReadonlySet<string> {
  const text = readFileSync(resolve(path), 'utf8');
  return parseCommonPasswords(text);
}

export function parseCommonPasswords(text: string): ReadonlySet<string> {
  const entries = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    entries.add(line.toLowerCase());
  }
  return entries;
}
