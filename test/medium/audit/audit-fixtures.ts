import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../../src/common/clock/clock';
import { AppConfig } from '../../../src/config';
import { AuditSealer } from '../../../src/modules/audit/audit-sealer';
import { AuditRepository } from '../../../src/modules/audit/audit.repository';
import { AuditService } from '../../../src/modules/audit/audit.service';
import { AuthorizationAuditRecorder } from '../../../src/modules/audit/authorization-audit.recorder';
import type { Principal } from '../../../src/modules/auth/principal';
import { testConfig } from '../../helpers/test-env';

export interface AuditHarness {
  audit: AuditService;
  repository: AuditRepository;
  sealer: AuditSealer;
  recorder: AuthorizationAuditRecorder;
  clock: FakeClock;
}

/**
 * The audit module's providers on `dataSource`, with a clock the test moves. No sealing job runs: tests
 * seal when they choose (`h.sealer.seal()`, or `verifyChain`, which seals first).
 */
export async function auditHarness(
  dataSource: DataSource,
  clock = new FakeClock(),
  config: AppConfig = testConfig(),
): Promise<AuditHarness> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      AuditService,
      AuditRepository,
      AuditSealer,
      AuthorizationAuditRecorder,
      { provide: DataSource, useValue: dataSource },
      { provide: Clock, useValue: clock },
      { provide: AppConfig, useValue: config },
    ],
  }).compile();
  return {
    audit: moduleRef.get(AuditService),
    repository: moduleRef.get(AuditRepository),
    sealer: moduleRef.get(AuditSealer),
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
  xid: string;
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
}

export async function allRows(dataSource: DataSource): Promise<RawAuditRow[]> {
  return dataSource.query('SELECT a.*, a.id::text AS id, a.xid::text AS xid FROM audit_logs a ORDER BY a.id');
}

/** One link of audit_chain, in snake_case. */
export interface RawChainLink {
  seq: string;
  audit_log_id: string;
  audit_xid: string;
  prev_hash: string;
  hash: string;
  sealed_at: Date;
}

export async function allLinks(dataSource: DataSource): Promise<RawChainLink[]> {
  return dataSource.query(
    `SELECT c.*, c.seq::text AS seq, c.audit_log_id::text AS audit_log_id, c.audit_xid::text AS audit_xid
       FROM audit_chain c ORDER BY c.seq`,
  );
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
        'SELECT a.*, a.id::text AS id, a.xid::text AS xid FROM audit_logs a WHERE a.id > $1::bigint ORDER BY a.id',
        [after],
      ),
  };
}
