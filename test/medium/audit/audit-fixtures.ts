import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../../src/common/clock/clock';
import { AuditRepository } from '../../../src/modules/audit/audit.repository';
import { AuditService } from '../../../src/modules/audit/audit.service';
import { AuthorizationAuditRecorder } from '../../../src/modules/audit/authorization-audit.recorder';
import type { Principal } from '../../../src/modules/auth/principal';

export interface AuditHarness {
  audit: AuditService;
  repository: AuditRepository;
  recorder: AuthorizationAuditRecorder;
  clock: FakeClock;
}

/** The audit module's providers on `dataSource`, with a clock the test moves. */
export async function auditHarness(dataSource: DataSource, clock = new FakeClock()): Promise<AuditHarness> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      AuditService,
      AuditRepository,
      AuthorizationAuditRecorder,
      { provide: DataSource, useValue: dataSource },
      { provide: Clock, useValue: clock },
    ],
  }).compile();
  return {
    audit: moduleRef.get(AuditService),
    repository: moduleRef.get(AuditRepository),
    recorder: moduleRef.get(AuthorizationAuditRecorder),
    clock,
  };
}

export function staffPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    userId: randomUUID(),
    username: `staff-${randomUUID().slice(0, 8)}`,
    kind: 'staff',
    roles: ['caseworker'],
    orgUnitId: randomUUID(),
    orgPath: null,
    partnerId: null,
    sessionId: randomUUID(),
    restriction: null,
    ...overrides,
  };
}

/** Every column of audit_logs, in snake_case, as PostgreSQL returns it. */
export interface RawAuditRow {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_username: string | null;
  actor_kind: string | null;
  actor_roles: string[];
  actor_org_unit_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  client_ip: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export async function allRows(dataSource: DataSource): Promise<RawAuditRow[]> {
  return dataSource.query('SELECT a.*, a.id::text AS id FROM audit_logs a ORDER BY a.id');
}

export async function countRows(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query('SELECT count(*)::int AS n FROM audit_logs');
  return (row as { n: number }).n;
}

/**
 * For completeness tests ("each sensitive call leaves exactly one row"): remember where the chain is,
 * then read only the rows appended since.
 */
export async function auditCursor(dataSource: DataSource): Promise<{ rowsSince(): Promise<RawAuditRow[]> }> {
  const [head] = await dataSource.query('SELECT coalesce(max(id), 0)::text AS id FROM audit_logs');
  const after = (head as { id: string }).id;
  return {
    rowsSince: () =>
      dataSource.query(
        'SELECT a.*, a.id::text AS id FROM audit_logs a WHERE a.id > $1::bigint ORDER BY a.id',
        [after],
      ),
  };
}
