import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MeilisearchApiError } from 'meilisearch';
import type { Key, KeyCreation } from 'meilisearch';
import { parse } from 'yaml';
import { DEFAULT_INDEX_PREFIX, loadMeiliKeySetup } from '../../../config/meili-key-setup';
import { appKeyCreation, ensureAppKey, MEILI_APP_KEY_ACTIONS, MEILI_APP_KEY_UID } from './meili-key';

function key(overrides: Partial<Key> = {}): Key {
  const wanted = appKeyCreation('bangfu_');
  return {
    uid: MEILI_APP_KEY_UID,
    key: 'k-123',
    name: 'bangfu-app',
    description: '',
    actions: [...wanted.actions],
    indexes: [...wanted.indexes],
    expiresAt: null as unknown as Date,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

function client(existing?: Key) {
  return {
    getKey: jest.fn(async () => {
      if (existing) return existing;
      throw new MeilisearchApiError(new Response(null, { status: 404 }), {
        message: 'not found',
        code: 'api_key_not_found',
        type: 'invalid_request',
        link: '',
      });
    }),
    createKey: jest.fn(async (options: KeyCreation) => key({ ...options, key: 'k-new' } as Partial<Key>)),
    deleteKey: jest.fn(async () => undefined),
  };
}

describe('the application Meilisearch key', () => {
  it('is scoped to the index prefix, never expires, and has no master-key powers', () => {
    const creation = appKeyCreation('bangfu_');
    expect(creation).toMatchObject({ uid: MEILI_APP_KEY_UID, indexes: ['bangfu_*'], expiresAt: null });
    expect(creation.actions).not.toContain('*');
    expect(creation.actions.some((a) => a.startsWith('keys.'))).toBe(false);
    expect(MEILI_APP_KEY_UID).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // search + documents + settings + tasks, and what reindex and the count check need.
    for (const action of [
      'search',
      'documents.add',
      'settings.update',
      'tasks.get',
      'indexes.swap',
      'stats.get',
    ])
      expect(MEILI_APP_KEY_ACTIONS).toContain(action);
  });

  it('creates the key when it does not exist', async () => {
    const c = client();
    expect(await ensureAppKey(c, 'bangfu_')).toBe('k-new');
    expect(c.createKey).toHaveBeenCalledWith(appKeyCreation('bangfu_'));
  });

  it('reuses a key that is already right', async () => {
    const c = client(key());
    expect(await ensureAppKey(c, 'bangfu_')).toBe('k-123');
    expect(c.createKey).not.toHaveBeenCalled();
  });

  it('replaces a key whose actions or indexes differ', async () => {
    const c = client(key({ actions: ['search'] }));
    expect(await ensureAppKey(c, 'bangfu_')).toBe('k-new');
    expect(c.deleteKey).toHaveBeenCalledWith(MEILI_APP_KEY_UID);
  });

  it('reads its setup from the environment and refuses a missing master key', () => {
    expect(
      loadMeiliKeySetup({
        MEILI_URL: 'http://meilisearch:7700',
        MEILI_MASTER_KEY: 'a-master-key-of-16+',
        MEILI_API_KEY_FILE: '/run/bangfu-meili/api-key',
      }),
    ).toEqual({
      url: 'http://meilisearch:7700',
      masterKey: 'a-master-key-of-16+',
      keyFile: '/run/bangfu-meili/api-key',
      indexPrefix: 'bangfu_',
    });
    expect(() => loadMeiliKeySetup({ MEILI_URL: 'http://m:7700', MEILI_API_KEY_FILE: '/k' })).toThrow(
      /MEILI_MASTER_KEY/,
    );
  });

  it('uses the index prefix of config/default.yml', () => {
    const defaults = parse(readFileSync(resolve(__dirname, '../../../../config/default.yml'), 'utf8'));
    expect(DEFAULT_INDEX_PREFIX).toBe(defaults.search.meili.indexPrefix);
  });
});
