import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config';
import { fieldCipherOptionsFrom } from '../../config/crypto-config.check';
import { FieldCipher } from './field-cipher';
import { MaskedFieldCache } from './masked-field-cache';

/**
 * The one FieldCipher of the process, built from `crypto` in AppConfig (already checked by loadConfig,
 * so a bad keyring never gets this far). Inject the `FieldCipher` class wherever personal data is
 * encrypted, decrypted or blind-indexed; MaskedFieldCache where a stored value is only shown masked.
 */
@Global()
@Module({
  providers: [
    {
      provide: FieldCipher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new FieldCipher(fieldCipherOptionsFrom(config.crypto)),
    },
    {
      provide: MaskedFieldCache,
      inject: [FieldCipher],
      useFactory: (cipher: FieldCipher) => new MaskedFieldCache(cipher),
    },
  ],
  exports: [FieldCipher, MaskedFieldCache],
})
export class CryptoModule {}
