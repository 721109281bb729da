import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../src/common/crypto/field-cipher';
import { totpSecretField } from '../../src/common/crypto/stored-fields';
import { ROLES_REQUIRING_TOTP, type AccountKind, type StaffRole } from '../../src/modules/auth/principal';
import { base32Encode } from '../../src/modules/auth/totp/base32';
import { generateTotpSecret, totpAt } from '../../src/modules/auth/totp/totp';
import { createUser, OrgUnitRow } from './factories/users.factory';

export interface Actor {
  userId: string;
  username: string;
  password: string;
  kind: AccountKind;
  roles: StaffRole[];
  unit: OrgUnitRow | null;
  partnerId: string | null;
  /** Bound TOTP secret (roles that need a second factor); null otherwise. */
  totpSecret: Buffer | null;
  token: string;
}

export interface ActorSpec {
  kind?: AccountKind;
  roles?: StaffRole[];
  unit: OrgUnitRow | null;
  partnerId?: string | null;
  /** Bind TOTP as after enrolment (default: when a role requires it). */
  withTotp?: boolean;
  username?: string;
}

/**
 * Creates an account and logs it in through the real login (password, then TOTP when bound). `now` is
 * the time TOTP codes are computed for: pass the app's FakeClock when the test moves it.
 */
export async function createActor(
  app: NestFastifyApplication,
  spec: ActorSpec,
  now: () => Date = () => new Date(),
): Promise<Actor> {
  const dataSource = app.get(DataSource);
  const kind = spec.kind ?? 'staff';
  const roles = spec.roles ?? [];
  const { user, password } = await createUser(dataSource, {
    kind,
    roles,
    orgUnit: spec.unit,
    partnerId: spec.partnerId ?? null,
    username: spec.username,
  });
  const needsTotp = spec.withTotp ?? roles.some((r) => ROLES_REQUIRING_TOTP.includes(r));
  let totpSecret: Buffer | null = null;
  if (needsTotp) {
    totpSecret = generateTotpSecret();
    await dataSource.query(
      `UPDATE users SET totp_secret_ciphertext = $2, totp_enabled_at = now() WHERE id = $1`,
      [user.id, app.get(FieldCipher).encrypt(base32Encode(totpSecret), totpSecretField(user.id))],
    );
  }
  const actor: Actor = {
    userId: user.id,
    username: user.username,
    password,
    kind,
    roles,
    unit: spec.unit,
    partnerId: spec.partnerId ?? null,
    totpSecret,
    token: '',
  };
  actor.token = await loginActor(app, actor, now);
  return actor;
}

/** A fresh session for an existing actor; returns its access token. */
export async function loginActor(
  app: NestFastifyApplication,
  actor: Pick<Actor, 'username' | 'password' | 'totpSecret'>,
  now: () => Date = () => new Date(),
) {
  const http = () => request(app.getHttpServer());
  const first = await http()
    .post('/api/v1/auth/login')
    .send({ username: actor.username, password: actor.password });
  if (first.status !== 200) throw new Error(`login ${actor.username}: ${first.status} ${first.text}`);
  if (!first.body.mfaRequired) return first.body.accessToken as string;
  if (!actor.totpSecret) throw new Error(`login ${actor.username}: TOTP required but no secret`);
  // A code is accepted once per 30 s step: use the next step's code when this one was just spent.
  for (const offset of [0, 30_000]) {
    const second = await http()
      .post('/api/v1/auth/login/totp')
      .send({
        mfaToken: first.body.mfaToken,
        code: totpAt(actor.totpSecret, new Date(now().getTime() + offset)),
      });
    if (second.status === 200) return second.body.accessToken as string;
  }
  throw new Error(`login ${actor.username}: TOTP step refused`);
}
