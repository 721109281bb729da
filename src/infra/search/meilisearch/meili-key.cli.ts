/**
 * `node dist/infra/search/meilisearch/meili-key.cli.js` (the `meili-key` service of docker compose):
 * with the master key, creates the application's scoped key and writes its value to
 * MEILI_API_KEY_FILE, which the api and the worker read (MEILI_API_KEY_FILE). Idempotent.
 */
import { writeFileSync } from 'node:fs';
import { Meilisearch } from 'meilisearch';
import { loadMeiliKeySetup } from '../../../config/meili-key-setup';
import { ensureAppKey } from './meili-key';

async function main(): Promise<void> {
  const setup = loadMeiliKeySetup();
  const client = new Meilisearch({ host: setup.url, apiKey: setup.masterKey });
  const key = await ensureAppKey(client, setup.indexPrefix);
  writeFileSync(setup.keyFile, `${key}\n`, { mode: 0o600 });
  console.log(`Meilisearch 应用密钥已写入 ${setup.keyFile} (indexes ${setup.indexPrefix}*)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
