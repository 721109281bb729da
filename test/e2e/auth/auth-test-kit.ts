import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';

export interface LoginBody {
  mfaRequired: boolean;
  accessToken: string;
  refreshToken: string;
  restriction: 'password_change' | 'totp_enrolment' | null;
  mfaToken?: string;
}

export function http(app: NestFastifyApplication) {
  return request(app.getHttpServer());
}

export async function login(app: NestFastifyApplication, username: string, password: string) {
  return http(app).post('/api/v1/auth/login').send({ username, password });
}

/** Logs in and returns the token pair, failing the test if the login did not succeed. */
export async function loginOk(
  app: NestFastifyApplication,
  username: string,
  password: string,
): Promise<LoginBody> {
  const res = await login(app, username, password);
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as LoginBody;
}

export function me(app: NestFastifyApplication, accessToken: string) {
  return http(app).get('/api/v1/me').set('authorization', `Bearer ${accessToken}`);
}

export interface AuditRow {
  action: string;
  outcome: string;
  actor_id: string | null;
  actor_username: string | null;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

export async function auditRows(dataSource: DataSource, actionPrefix = 'auth.'): Promise<AuditRow[]> {
  return dataSource.query(
    `SELECT action, outcome, actor_id, actor_username, target_type, target_id, details
     FROM audit_logs WHERE action LIKE $1 ORDER BY id`,
    [`${actionPrefix}%`],
  );
}
