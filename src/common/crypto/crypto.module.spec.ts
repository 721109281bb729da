import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig } from '../../config';
import { CryptoModule } from './crypto.module';
import { FieldCipher, parseKeyring } from './field-cipher';

describe('CryptoModule', () => {
  const OWN_KEY = Buffer.alloc(32, 0x5a).toString('base64');

  async function cipherFor(env: Record<string, string>): Promise<FieldCipher> {
    const config = loadConfig({ env });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), CryptoModule],
    }).compile();
    return moduleRef.get(FieldCipher);
  }

  it('provides a FieldCipher on the configured keyring and active key', async () => {
    const cipher = await cipherFor({
      BANGFU__CRYPTO__KEYS: `old:${Buffer.alloc(32, 0x01).toString('base64')},new:${OWN_KEY}`,
      BANGFU__CRYPTO__ACTIVE_KEY_ID: 'new',
    });
    const token = cipher.encrypt('13812342210', { table: 'users', column: 'phone_ciphertext', rowId: 'u1' });
    expect(token.split(':')[1]).toBe('new');
    expect(cipher.decrypt(token, { table: 'users', column: 'phone_ciphertext', rowId: 'u1' })).toBe(
      '13812342210',
    );
  });

  it('encrypts under the configured key material (another keyring cannot decrypt)', async () => {
    const cipher = await cipherFor({
      BANGFU__CRYPTO__KEYS: `k1:${OWN_KEY}`,
      BANGFU__CRYPTO__ACTIVE_KEY_ID: 'k1',
    });
    const stranger = new FieldCipher({
      keys: parseKeyring(`k1:${Buffer.alloc(32, 0x5b).toString('base64')}`),
      activeKeyId: 'k1',
      blindIndexKey: Buffer.alloc(32, 0x42),
    });
    const where = { table: 'users', column: 'phone_ciphertext', rowId: 'u1' };
    expect(() => stranger.decrypt(cipher.encrypt('x', where), where)).toThrow();
  });
});
