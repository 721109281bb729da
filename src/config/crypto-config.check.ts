import { FieldCipher, FieldCipherError, parseBase64Key, parseKeyring } from '../common/crypto/field-cipher';
import type { AppConfig, CryptoConfig } from './app-config';

/**
 * The development keyring of config/default.yml. It is public (it is in the repository), so production
 * must never encrypt under it: the check compares decoded key material, so re-spelling a development
 * key (other id, whitespace, order) does not get it past.
 */
export const DEVELOPMENT_CRYPTO = {
  keys: 'dev1:8BW3zBsR8cEYUP1SMl8Ta866fp70W1MNABKctFF42aU=',
  activeKeyId: 'dev1',
  blindIndexKey: 'C3jhVMe9tSge8LX+4YnWZb3PALlcwyqJpg7Y/EJaWI8=',
} as const satisfies CryptoConfig;

const BLIND_INDEX_KEY_MIN_BYTES = 32;

/** Options for the FieldCipher, from validated configuration. Throws FieldCipherError (never quoting keys). */
export function fieldCipherOptionsFrom(crypto: CryptoConfig): ConstructorParameters<typeof FieldCipher>[0] {
  return {
    keys: parseKeyring(crypto.keys),
    activeKeyId: crypto.activeKeyId,
    blindIndexKey: parseBase64Key(crypto.blindIndexKey, {
      label: 'blind index key',
      minBytes: BLIND_INDEX_KEY_MIN_BYTES,
    }),
  };
}

/** Problems of the `crypto` section; messages name settings, never key material. */
export function cryptoConfigProblems(config: AppConfig): string[] {
  const crypto = config.crypto;
  if (!crypto) return [];
  const problems: string[] = [];
  try {
    // Building the cipher runs every structural check once: keyring syntax, 32-byte keys, active id
    // in the keyring, blind index key long enough and distinct from the encryption keys.
    new FieldCipher(fieldCipherOptionsFrom(crypto));
  } catch (error) {
    if (!(error instanceof FieldCipherError)) throw error;
    problems.push(`crypto: ${error.message}`);
  }
  if (config.env === 'production') problems.push(...productionProblems(crypto));
  return problems;
}

function productionProblems(crypto: CryptoConfig): string[] {
  const problems: string[] = [];
  const developmentKeys = Object.values(parseKeyring(DEVELOPMENT_CRYPTO.keys));
  const developmentBlindKey = Buffer.from(DEVELOPMENT_CRYPTO.blindIndexKey, 'base64');
  const keys = tryParse(() => parseKeyring(crypto.keys));
  if (!keys || Object.keys(keys).length === 0) {
    problems.push('crypto.keys: 生产环境必须通过 BANGFU__CRYPTO__KEYS 提供加密密钥');
  } else {
    const reused = Object.entries(keys)
      .filter(([, key]) => developmentKeys.some((dev) => dev.equals(key)))
      .map(([keyId]) => keyId);
    if (reused.length > 0) {
      problems.push(
        `crypto.keys: 生产环境不能使用开发密钥（密钥 ${reused.join(', ')}），请通过 BANGFU__CRYPTO__KEYS 设置自己的密钥`,
      );
    }
  }
  const blindKey = tryParse(() => Buffer.from(crypto.blindIndexKey.trim(), 'base64'));
  if (!crypto.blindIndexKey || crypto.blindIndexKey.trim() === '') {
    problems.push('crypto.blindIndexKey: 生产环境必须通过 BANGFU__CRYPTO__BLIND_INDEX_KEY 提供盲索引密钥');
  } else if (blindKey && [developmentBlindKey, ...developmentKeys].some((dev) => dev.equals(blindKey))) {
    problems.push(
      'crypto.blindIndexKey: 生产环境不能使用开发盲索引密钥，请通过 BANGFU__CRYPTO__BLIND_INDEX_KEY 设置',
    );
  }
  return problems;
}

function tryParse<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}
