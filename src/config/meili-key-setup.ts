import { processEnv } from './load-config';

/** What the one-shot `meili-key` command needs; it alone ever sees the master key. */
export interface MeiliKeySetup {
  url: string;
  masterKey: string;
  /** Where the application key is written (MEILI_API_KEY_FILE of the api and the worker). */
  keyFile: string;
  indexPrefix: string;
}

/** Same default as search.meili.indexPrefix in config/default.yml. */
export const DEFAULT_INDEX_PREFIX = 'bangfu_';

export function loadMeiliKeySetup(env: Record<string, string | undefined> = processEnv()): MeiliKeySetup {
  const problems: string[] = [];
  const url = env.MEILI_URL ?? '';
  const masterKey = env.MEILI_MASTER_KEY ?? '';
  const keyFile = env.MEILI_API_KEY_FILE ?? '';
  if (!/^https?:\/\//.test(url)) problems.push('MEILI_URL 必须是 http(s):// 地址');
  if (masterKey.length < 16) problems.push('MEILI_MASTER_KEY 必须设置 (至少 16 字节)');
  if (!keyFile) problems.push('MEILI_API_KEY_FILE 必须设置 (应用密钥写入的文件)');
  if (problems.length > 0) throw new Error(`meili-key 配置无效:\n  - ${problems.join('\n  - ')}`);
  return {
    url,
    masterKey,
    keyFile,
    indexPrefix: env.BANGFU__SEARCH__MEILI__INDEX_PREFIX || DEFAULT_INDEX_PREFIX,
  };
}
