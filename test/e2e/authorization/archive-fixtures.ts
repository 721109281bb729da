import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ENDED_ARCHIVE_STATUSES } from '../../../src/modules/archives/archive.enums';
import type { ArchiveKind, ArchiveStatus } from '../../../src/modules/archives/archive.enums';
import { createHash } from 'node:crypto';
import { OBJECT_STORAGE, ObjectStorage, newStorageKey } from '../../../src/infra/storage/object-storage';
import { createArchive, nextIdNumber, testCipher } from '../../helpers/factories/archives.factory';
import type { Cell, Fixture, PreparedRequest } from './fixtures';

const ds = (cell: Cell) => cell.world.t.app.get(DataSource);
const tag = () => randomBytes(3).toString('hex');

/** Today in China, as the workflow reads notice dates. */
function chinaDate(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The archive a cell acts on: for unit cases, one of the case's grassroots unit (owned by another worker,
 * so only the unit decides); for record cases, the worker actor's own archive or another worker's.
 */
async function archiveFor(
  cell: Cell,
  state: { status: ArchiveStatus; kind?: ArchiveKind; extra?: Record<string, unknown> },
): Promise<{ id: string; version: number; orgUnitId: string }> {
  const { world, caseName, actor } = cell;
  const workerUnit = world.units['xihu-gr-1']!;
  const owner =
    caseName === 'own_record'
      ? actor!.userId
      : caseName === 'other_record'
        ? world.otherWorker.userId
        : world.otherWorker.userId;
  const unit = caseName === 'own_record' || caseName === 'other_record' ? workerUnit : cell.unit!;
  const { archive } = await createArchive(
    ds(cell),
    {
      orgUnitId: unit.id,
      ownerUserId: owner,
      status: state.status,
      kind: state.kind ?? 'formal',
      ...(state.status === 'active' ? { archiveNo: `330106-2026-${tag()}`, activatedAt: new Date() } : {}),
      ...(state.status === 'publicizing'
        ? { noticeStartsOn: chinaDate(-1), noticeEndsOn: chinaDate(6) }
        : {}),
      ...state.extra,
    },
    testCipher(),
  );
  return { id: archive.id, version: archive.version, orgUnitId: unit.id };
}

const command = (
  name: string,
  status: ArchiveStatus,
  body: (v: number) => object,
  kind?: ArchiveKind,
): Fixture => ({
  grassrootsOnly: true,
  prepare: async (cell) => {
    const a = await archiveFor(cell, { status, kind });
    return { path: `/api/v1/archives/${a.id}/${name}`, body: body(a.version) };
  },
});

const readOf = (suffix: string, status: ArchiveStatus = 'submitted'): Fixture => ({
  grassrootsOnly: true,
  prepare: async (cell) => ({ path: `/api/v1/archives/${(await archiveFor(cell, { status })).id}${suffix}` }),
});

function newArchiveBody(orgUnitId?: string): object {
  const idNumber = nextIdNumber('330106', 'female', '1969-04-18');
  return {
    kind: 'formal',
    category: 'dibao',
    regionCode: '330106',
    ...(orgUnitId ? { orgUnitId } : {}),
    head: { name: '陈桂兰', idNumber, employmentStatus: 'laid_off', monthlyIncomeFen: 60000 },
    causes: ['illness'],
    primaryCause: 'illness',
  };
}

const VISIT = {
  date: chinaDate(-1),
  visitors: ['王强', '刘洋'],
  findings: '入户核实，家庭情况属实，住房简陋。',
};

/** A transfer waiting at the case's unit (the receiving side), coming from a unit outside every actor's scope. */
async function transferInto(cell: Cell): Promise<{ id: string; version: number }> {
  const origin = cell.world.units['haishu-gr-1']!;
  const target =
    cell.caseName === 'own_record' || cell.caseName === 'other_record'
      ? cell.world.units['xihu-gr-1']!
      : cell.unit!;
  const { archive } = await createArchive(
    ds(cell),
    {
      orgUnitId: origin.id,
      status: 'transferring',
      statusBeforeTransfer: 'active',
      transferToUnitId: target.id,
      archiveNo: `330203-2026-${tag()}`,
      activatedAt: new Date(),
    },
    testCipher(),
  );
  return { id: archive.id, version: archive.version };
}

async function objectionOn(cell: Cell, archiveId: string): Promise<string> {
  const res = await request(cell.world.t.app.getHttpServer())
    .post(`/api/v1/archives/${archiveId}/objections`)
    .send({ reason: '该户家中经营小超市，收入情况与申报不符，请核实。' });
  if (res.status !== 201) throw new Error(`lodging an objection: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** A minimal valid PDF (the upload check reads the magic bytes). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** An evidence file already on an archive, written the way the service stores one. */
async function evidenceOn(cell: Cell, archiveId: string): Promise<string> {
  const storage = cell.world.t.app.get<ObjectStorage>(OBJECT_STORAGE);
  const key = newStorageKey('evidence', new Date());
  await storage.put(key, PDF, { maxBytes: PDF.length, contentType: 'application/pdf' });
  const [row] = await ds(cell).query(
    `INSERT INTO archive_evidence (archive_id, kind, file_name, mime_type, size_bytes, sha256, storage_key, uploaded_by, uploaded_at)
     VALUES ($1, 'income_proof', '收入证明.pdf', 'application/pdf', $2, $3, $4, $5, now()) RETURNING id`,
    [
      archiveId,
      PDF.length,
      createHash('sha256').update(PDF).digest('hex'),
      key,
      cell.world.otherWorker.userId,
    ],
  );
  return row.id as string;
}

/** Cells that added a 低保 line so far: each gets its own future effective date. */
let dibaoLineCells = 0;
const nextDibaoDate = () => {
  dibaoLineCells += 1;
  return new Date(Date.now() + (2 + (dibaoLineCells % 350)) * 86_400_000).toISOString().slice(0, 10);
};

/** A line not yet in force for the cell's unit's region, to correct or withdraw. */
async function futureDibaoLine(cell: Parameters<Fixture['prepare']>[0]): Promise<string> {
  const [row] = await ds(cell).query('SELECT region_code FROM org_units WHERE id = $1', [cell.unit!.id]);
  const [line] = await ds(cell).query(
    `INSERT INTO dibao_lines (region_code, effective_from, monthly_amount_fen) VALUES ($1, $2, 128000) RETURNING id`,
    [row.region_code, nextDibaoDate()],
  );
  return line.id as string;
}

export const ARCHIVE_FIXTURES: Record<string, Fixture> = {
  'POST /api/v1/archives/{id}/evidence': {
    grassrootsOnly: true,
    prepare: async (cell) => ({
      path: `/api/v1/archives/${(await archiveFor(cell, { status: 'draft' })).id}/evidence`,
      multipart: {
        fields: { kind: 'income_proof' },
        file: { field: 'file', data: PDF, filename: '收入证明.pdf', contentType: 'application/pdf' },
      },
    }),
  },
  'GET /api/v1/archives/{id}/evidence': readOf('/evidence', 'draft'),
  'GET /api/v1/archives/{id}/evidence/{evidenceId}': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await archiveFor(cell, { status: 'draft' });
      return { path: `/api/v1/archives/${a.id}/evidence/${await evidenceOn(cell, a.id)}` };
    },
  },
  'DELETE /api/v1/archives/{id}/evidence/{evidenceId}': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await archiveFor(cell, { status: 'draft' });
      return { path: `/api/v1/archives/${a.id}/evidence/${await evidenceOn(cell, a.id)}` };
    },
  },
  'GET /api/v1/archives': { prepare: async () => ({ path: '/api/v1/archives' }) },
  'POST /api/v1/archives': {
    grassrootsOnly: true,
    prepare: async (cell): Promise<PreparedRequest> => {
      if (cell.caseName === 'own_record') {
        // A worker holds one archive that has not ended: hand the ones other cells gave this worker to
        // staff (no owner), so the application is judged on the role, whatever order the cells run in.
        await ds(cell).query(
          `UPDATE archives SET owner_user_id = NULL WHERE owner_user_id = $1 AND NOT (status = ANY($2))`,
          [cell.actor!.userId, ENDED_ARCHIVE_STATUSES],
        );
      }
      return {
        path: '/api/v1/archives',
        // A worker applies for itself (its unit is implied); staff enter it for a grassroots unit.
        body: newArchiveBody(cell.caseName === 'own_record' ? undefined : cell.unit?.id),
      };
    },
  },
  'GET /api/v1/archives/{id}': readOf(''),
  'PATCH /api/v1/archives/{id}': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await archiveFor(cell, { status: 'draft' });
      return {
        path: `/api/v1/archives/${a.id}`,
        body: { version: a.version, skills: '会电焊，持初级焊工证' },
      };
    },
  },
  'POST /api/v1/archives/{id}/reveal': {
    grassrootsOnly: true,
    prepare: async (cell) => ({
      path: `/api/v1/archives/${(await archiveFor(cell, { status: 'submitted' })).id}/reveal`,
      body: { field: 'headPhone', reason: '电话回访核实家庭情况' },
    }),
  },
  'POST /api/v1/archives/{id}/consents': {
    grassrootsOnly: true,
    prepare: async (cell) => ({
      path: `/api/v1/archives/${(await archiveFor(cell, { status: 'draft' })).id}/consents`,
      body: {
        subject: 'head',
        purpose: 'assistance_matching',
        kind: 'general',
        textVersion: '2026.1',
        grantedAt: new Date().toISOString(),
      },
    }),
  },
  'GET /api/v1/archives/{id}/history': readOf('/history'),
  // The household's aid ledger is read as the archive is (AidLedgerService.forArchive).
  'GET /api/v1/archives/{id}/aid': readOf('/aid'),
  'GET /api/v1/archives/{id}/objections': readOf('/objections', 'publicizing'),
  'POST /api/v1/archives/{id}/submit': command('submit', 'draft', (version) => ({ version })),
  'POST /api/v1/archives/{id}/review': command('review', 'submitted', (version) => ({
    version,
    decision: 'approve',
  })),
  'POST /api/v1/archives/{id}/verify': command('verify', 'verifying', (version) => ({
    version,
    decision: 'pass',
    visit: VISIT,
  })),
  'POST /api/v1/archives/{id}/approve': command('approve', 'approving', (version) => ({
    version,
    decision: 'approve',
  })),
  'POST /api/v1/archives/{id}/exit': command('exit', 'active', (version) => ({
    version,
    reason: '子女已就业，家庭收入明显提高',
  })),
  'POST /api/v1/archives/{id}/aid-exclusions': command('aid-exclusions', 'active', () => ({
    year: Number(chinaDate().slice(0, 4)),
    reason: '本人表示今年暂不需要帮扶',
  })),
  'POST /api/v1/archives/{id}/cancel': command('cancel', 'active', (version) => ({
    version,
    reason: 'left_unit',
  })),
  'POST /api/v1/archives/{id}/change-requests': command('change-requests', 'active', (version) => ({
    version,
    reason: '户主工资调整，收入略有增加',
    headMonthlyIncomeFen: 90000,
  })),
  'GET /api/v1/archives/{id}/change-requests': readOf('/change-requests', 'active'),
  'POST /api/v1/archives/{id}/change-requests/{requestId}/decide': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await archiveFor(cell, { status: 'active' });
      // Asked by another caseworker (a request row as the service writes it).
      const [row] = await ds(cell).query(
        `INSERT INTO archive_change_requests (archive_id, base_version, changes, reason, requested_by, requested_at)
         VALUES ($1, $2, '{"headMonthlyIncomeFen": 90000}', '户主工资调整，收入略有增加', $3, now()) RETURNING id`,
        [a.id, a.version, cell.world.otherWorker.userId],
      );
      return {
        path: `/api/v1/archives/${a.id}/change-requests/${row.id as string}/decide`,
        body: { version: a.version, decision: 'approve' },
      };
    },
  },
  'POST /api/v1/archives/{id}/reopen': command('reopen', 'exited', (version) => ({
    version,
    reason: '家庭成员再次患大病，收入锐减',
  })),
  // The fixture's active archive was activated just now: the check is today's.
  'POST /api/v1/archives/{id}/reverify': command('reverify', 'active', (version) => ({
    version,
    method: 'home_visit',
    check: { date: chinaDate(), checkers: ['王强', '刘洋'], findings: '入户复核，家庭情况与档案一致。' },
  })),
  'POST /api/v1/archives/{id}/convert': command('convert', 'active', (version) => ({ version }), 'temporary'),
  'POST /api/v1/archives/{id}/transfer': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await archiveFor(cell, { status: 'active' });
      // To another grassroots union of 西湖区 (the receiving side accepts later).
      const to =
        cell.world.units[a.orgUnitId === cell.world.units['xihu-gr-2']!.id ? 'xihu-gr-3' : 'xihu-gr-2']!;
      return { path: `/api/v1/archives/${a.id}/transfer`, body: { version: a.version, toUnitId: to.id } };
    },
  },
  'POST /api/v1/archives/{id}/accept-transfer': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await transferInto(cell);
      return { path: `/api/v1/archives/${a.id}/accept-transfer`, body: { version: a.version } };
    },
  },
  'POST /api/v1/archives/{id}/reject-transfer': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await transferInto(cell);
      return {
        path: `/api/v1/archives/${a.id}/reject-transfer`,
        body: { version: a.version, note: '该职工未在本单位就业' },
      };
    },
  },
  'POST /api/v1/archives/{id}/objections': {
    grassrootsOnly: true,
    prepare: async (cell) => ({
      path: `/api/v1/archives/${(await archiveFor(cell, { status: 'publicizing' })).id}/objections`,
      body: { reason: '该户家中有营运车辆一辆，请核实。' },
    }),
  },
  'POST /api/v1/archives/{id}/objections/{objectionId}/resolve': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const a = await archiveFor(cell, { status: 'publicizing' });
      const objectionId = await objectionOn(cell, a.id);
      return {
        path: `/api/v1/archives/${a.id}/objections/${objectionId}/resolve`,
        body: { decision: 'dismiss', note: '经核实，车辆为亲属所有，异议不成立。' },
      };
    },
  },
  'GET /api/v1/public-notices': { prepare: async () => ({ path: '/api/v1/public-notices' }) },
  'GET /api/v1/dibao-lines': { prepare: async () => ({ path: '/api/v1/dibao-lines' }) },
  'GET /api/v1/dibao-lines/lookup': {
    // Its own line: in random order this cell may run before any archive fixture has added one.
    prepare: async (cell) => {
      await ds(cell).query(
        `INSERT INTO dibao_lines (region_code, effective_from, monthly_amount_fen, source)
         VALUES ('330106', '2020-01-01', 124000, '测试数据') ON CONFLICT DO NOTHING`,
      );
      return { path: `/api/v1/dibao-lines/lookup?regionCode=330106&date=${chinaDate()}` };
    },
  },
  'POST /api/v1/dibao-lines': {
    prepare: async (cell) => {
      const [row] = await ds(cell).query('SELECT region_code FROM org_units WHERE id = $1', [cell.unit!.id]);
      // A distinct date per cell (a region has one line per effective date), within the one-year bound.
      return {
        path: '/api/v1/dibao-lines',
        body: { regionCode: row.region_code, effectiveFrom: nextDibaoDate(), monthlyAmountFen: 128000 },
      };
    },
  },
  'PATCH /api/v1/dibao-lines/{id}': {
    prepare: async (cell) => ({
      path: `/api/v1/dibao-lines/${await futureDibaoLine(cell)}`,
      body: { monthlyAmountFen: 129000, reason: '民政部门更正了标准金额' },
    }),
  },
  'POST /api/v1/dibao-lines/{id}/withdraw': {
    prepare: async (cell) => ({
      path: `/api/v1/dibao-lines/${await futureDibaoLine(cell)}/withdraw`,
      body: { reason: '该标准文件已被撤销' },
    }),
  },
};
