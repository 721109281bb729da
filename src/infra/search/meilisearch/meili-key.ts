/**
 * The application's Meilisearch key: scoped to the index prefix and to the actions the adapter uses,
 * so the API and the worker never hold the master key. Created (or corrected) by the one-shot
 * `meili-key` service of docker-compose.yml with the master key; the same uid always yields the same
 * key value (Meilisearch derives it from the uid and the master key), so re-running is harmless.
 */
import type { Key, KeyCreation } from 'meilisearch';

/** Fixed (UUID v4), so the key is found again on every start instead of piling up new ones. */
export const MEILI_APP_KEY_UID = '6f0c1a52-8c2e-4d0f-9a57-0b6d2b1f4e3a';

/**
 * What the adapter calls: search; documents in and out; index creation, stats, deletion and swap
 * (reindex builds a copy and swaps it); settings; tasks (waiting, pending checks and the keyed health
 * check).
 */
export const MEILI_APP_KEY_ACTIONS = [
  'search',
  'documents.add',
  'documents.get',
  'documents.delete',
  'indexes.create',
  'indexes.get',
  'indexes.delete',
  'indexes.swap',
  'settings.get',
  'settings.update',
  'tasks.get',
  'stats.get',
];

export interface MeiliKeyClient {
  getKey(uid: string): Promise<Key>;
  createKey(options: KeyCreation): Promise<Key>;
  deleteKey(uid: string): Promise<void>;
}

export function appKeyCreation(indexPrefix: string): KeyCreation {
  return {
    uid: MEILI_APP_KEY_UID,
    name: 'bangfu-app',
    description: 'Bangfu API and worker (created by the meili-key service; not the master key)',
    actions: [...MEILI_APP_KEY_ACTIONS],
    indexes: [`${indexPrefix}*`],
    expiresAt: null,
  };
}

/** The app key's value, creating the key or replacing one whose actions or indexes differ. */
export async function ensureAppKey(client: MeiliKeyClient, indexPrefix: string): Promise<string> {
  const wanted = appKeyCreation(indexPrefix);
  let existing: Key | undefined;
  try {
    existing = await client.getKey(MEILI_APP_KEY_UID);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'api_key_not_found') throw error;
  }
  if (existing && sameSet(existing.actions, wanted.actions) && sameSet(existing.indexes, wanted.indexes)) {
    return existing.key;
  }
  // Actions and indexes of a key cannot be updated: delete and create again (same uid, same value).
  if (existing) await client.deleteKey(MEILI_APP_KEY_UID);
  return (await client.createKey(wanted)).key;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}
