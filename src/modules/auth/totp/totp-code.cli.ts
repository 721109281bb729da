/**
 * `npm run totp -- <base32 secret>`: prints the current 6-digit code, standing in for an authenticator
 * app when trying the demo accounts from a terminal (development only: it never touches the database).
 */
import { base32Decode } from './base32';
import { totpAt } from './totp';

const secret = process.argv[2];
if (!secret) {
  console.error('用法: npm run totp -- <base32 secret>');
  process.exit(2);
}
try {
  console.log(totpAt(base32Decode(secret), new Date()));
} catch (error) {
  console.error(`无效的密钥: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
