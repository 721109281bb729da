import { forceArchiveStatus } from '../../helpers/archive-status';
import { Test, TestingModule } from '@nestjs/testing';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Clock, FakeClock } from '../../../src/common/clock/clock';
import { ClockModule } from '../../../src/common/clock/clock.module';
import { DomainError } from '../../../src/common/errors';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import { ConfigModule } from '../../../src/config';
import type { ArchiveStatus } from '../../../src/modules/archives/archive.enums';
import { ArchiveEvidenceEntity } from '../../../src/modules/archives/evidence/archive-evidence.entity';
import { EvidenceModule } from '../../../src/modules/archives/evidence/evidence.module';
import {
  EvidenceService,
  IncomingEvidenceFile,
  MAX_EVIDENCE_PER_ARCHIVE,
} from '../../../src/modules/archives/evidence/evidence.service';
import { AuditModule } from '../../../src/modules/audit/audit.module';
import type { Principal, StaffRole } from '../../../src/modules/auth/principal';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';
import { auditRows, OrgTree, seedOrgTree, TestGlobalsModule, UnitRow } from '../users/users-fixtures';

const MAX_BYTES = 256 * 1024;

/** Files that start as their format says (what the magic-byte check looks at) with some body after. */
const pdf = (body = '收入证明 2026') => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(body)]);
const png = (seed = 1) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, seed)]);
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.alloc(500, 9)]);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function file(content: Buffer | Readable, fileName = '收入证明.pdf', declaredType = 'application/pdf') {
  return {
    fileName,
    declaredType,
    content: Buffer.isBuffer(content) ? Readable.from([content]) : content,
  } satisfies IncomingEvidenceFile;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function principal(
  kind: 'staff' | 'worker',
  unit: UnitRow,
  roles: StaffRole[] = [],
  userId = randomUUID(),
): Principal {
  return {
    userId,
    username: `${kind}.${userId.slice(0, 8)}`,
    kind,
    roles,
    orgUnitId: unit.id,
    orgPath: kind === 'staff' ? unit.path : null,
    partnerId: null,
    sessionId: randomUUID(),
    restriction: null,
  };
}

/** The DomainError code a promise rejects with. */
async function codeOf(promise: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a DomainError, got success');
}

describe('EvidenceService (real PostgreSQL, local-disk storage)', () => {
  let db: TestDatabase;
  let moduleRef: TestingModule;
  let evidence: EvidenceService;
  let clock: FakeClock;
  let tree: OrgTree;
  let root: string;
  let worker: Principal;
  let caseworker: Principal;

  const newArchive = (status: ArchiveStatus = 'draft', unit: UnitRow = tree.grassrootsA) =>
    createArchive(db.dataSource, {
      orgUnitId: unit.id,
      ownerUserId: worker.userId,
      status,
      regionCode: '320102',
    }).then((c) => c.archive.id);

  /** Every stored object (temporary folder excluded). */
  async function storedFiles(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (entry.name === '.tmp') continue;
        if (entry.isDirectory()) await walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        else out.push(`${prefix}${entry.name}`);
      }
    };
    await walk(root, '');
    return out.sort();
  }

  const rowOf = (id: string) => db.dataSource.getRepository(ArchiveEvidenceEntity).findOneByOrFail({ id });

  beforeAll(async () => {
    db = await createTestDatabase();
    root = await mkdtemp(join(tmpdir(), 'bangfu-evidence-'));
    clock = new FakeClock('2026-11-23T10:00:00+08:00');
    const config = testConfig({ storage: { localDir: root, maxFileBytes: MAX_BYTES } });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        TestGlobalsModule.forRoot(db.dataSource),
        ClockModule,
        AuditModule,
        EvidenceModule,
      ],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
    evidence = moduleRef.get(EvidenceService);
    tree = await seedOrgTree(db.dataSource);
    worker = principal('worker', tree.grassrootsA);
    caseworker = principal('staff', tree.grassrootsA, ['caseworker']);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  describe('upload', () => {
    it('stores the owner worker’s PDF on a draft, with detected type, size, SHA-256 and an audit row', async () => {
      const archiveId = await newArchive();
      const data = pdf();
      const dto = await evidence.upload(worker, archiveId, 'income_proof', file(data, '../../收入证明'));

      expect(dto).toEqual({
        id: expect.any(String),
        archiveId,
        kind: 'income_proof',
        fileName: '收入证明.pdf',
        mimeType: 'application/pdf',
        sizeBytes: data.length,
        sha256: sha256(data),
        uploadedBy: worker.userId,
        uploadedAt: clock.now().toISOString(),
      });
      const row = await rowOf(dto.id);
      expect(row.storageKey).toMatch(/^archive-evidence\/2026\/11\/[0-9a-f-]{36}$/);
      expect(row.storageKey).not.toContain('收入证明');
      expect(await storedFiles()).toContain(row.storageKey);
      const [audit] = await auditRows(db.dataSource, { action: 'archive-evidence.upload', targetId: dto.id });
      expect(audit).toMatchObject({
        outcome: 'success',
        actor_id: worker.userId,
        details: { archiveId, kind: 'income_proof', mimeType: 'application/pdf', sizeBytes: data.length },
      });
    });

    it('lets a caseworker in scope add a PNG to an archive under verification', async () => {
      const archiveId = await newArchive('verifying');
      const dto = await evidence.upload(
        caseworker,
        archiveId,
        'medical_record',
        file(png(), 'IMG_0001.PNG', 'image/png'),
      );
      expect(dto).toMatchObject({ mimeType: 'image/png', fileName: 'IMG_0001.png' });
    });

    it('stores the display name with full ID and mobile numbers masked', async () => {
      const archiveId = await newArchive();
      const dto = await evidence.upload(
        worker,
        archiveId,
        'income_proof',
        file(pdf(), '王建国330106196708081234收入证明13812342210.pdf'),
      );
      expect(dto.fileName).toBe('王建国330***********1234收入证明138****2210.pdf');
      expect((await rowOf(dto.id)).fileName).toBe(dto.fileName);
      expect(findUnmaskedPersonalData(JSON.stringify(await evidence.list(worker, archiveId)))).toEqual([]);
    });

    it('lets a reviewer of the district above (scope includes the unit) add a JPEG sent as image/jpg', async () => {
      const archiveId = await newArchive('verifying');
      const reviewer = principal('staff', tree.districtA, ['reviewer']);
      const dto = await evidence.upload(reviewer, archiveId, 'other', file(jpeg(), '入户照片', 'image/jpg'));
      expect(dto).toMatchObject({ mimeType: 'image/jpeg', fileName: '入户照片.jpg' });
    });

    it.each([
      [
        'HTML named .pdf',
        Buffer.from('<html><script>alert(1)</script></html>'),
        'a.pdf',
        'application/pdf',
        'EVIDENCE_TYPE_NOT_ALLOWED',
      ],
      ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00'), 'a.gif', 'image/gif', 'EVIDENCE_TYPE_NOT_ALLOWED'],
      [
        'a ZIP (docx)',
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0]),
        'a.docx',
        'application/octet-stream',
        'EVIDENCE_TYPE_NOT_ALLOWED',
      ],
      ['a PNG declared as PDF', png(), 'a.pdf', 'application/pdf', 'EVIDENCE_TYPE_MISMATCH'],
      ['a PDF declared as HTML', pdf(), 'a.html', 'text/html', 'EVIDENCE_TYPE_MISMATCH'],
      ['an empty file', Buffer.alloc(0), 'a.pdf', 'application/pdf', 'EVIDENCE_FILE_EMPTY'],
      [
        'a file one byte over the limit',
        Buffer.concat([pdf(), Buffer.alloc(MAX_BYTES)]).subarray(0, MAX_BYTES + 1),
        'a.pdf',
        'application/pdf',
        'EVIDENCE_FILE_TOO_LARGE',
      ],
    ])('refuses %s and keeps nothing', async (_label, data, name, type, code) => {
      const archiveId = await newArchive();
      const before = await storedFiles();
      expect((await codeOf(evidence.upload(worker, archiveId, 'other', file(data, name, type)))).code).toBe(
        code,
      );
      expect(await storedFiles()).toEqual(before);
      expect(await readdir(join(root, '.tmp'))).toEqual([]);
      expect(await evidence.list(worker, archiveId)).toEqual([]);
    });

    it('accepts a file of exactly the size limit', async () => {
      const archiveId = await newArchive();
      const data = Buffer.concat([pdf(), Buffer.alloc(MAX_BYTES)]).subarray(0, MAX_BYTES);
      expect((await evidence.upload(worker, archiveId, 'other', file(data))).sizeBytes).toBe(MAX_BYTES);
    });

    it('refuses the same bytes twice on one archive, naming the existing file, and removes the second copy', async () => {
      const archiveId = await newArchive();
      const first = await evidence.upload(
        worker,
        archiveId,
        'id_card',
        file(png(7), '正面.png', 'image/png'),
      );
      const before = await storedFiles();
      const again = await codeOf(
        evidence.upload(worker, archiveId, 'id_card', file(png(7), '正面(1).png', 'image/png')),
      );
      expect(again).toEqual({ code: 'EVIDENCE_DUPLICATE', details: { evidenceId: first.id } });
      expect(await storedFiles()).toEqual(before);
    });

    it('lets only one of two simultaneous uploads of the same bytes through', async () => {
      const archiveId = await newArchive();
      const results = await Promise.allSettled([
        evidence.upload(worker, archiveId, 'other', file(pdf('并发'))),
        evidence.upload(worker, archiveId, 'other', file(pdf('并发'))),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as DomainError).code).toBe('EVIDENCE_DUPLICATE');
      expect(await evidence.list(worker, archiveId)).toHaveLength(1);
    });

    it(`stops at ${MAX_EVIDENCE_PER_ARCHIVE} live files per archive`, async () => {
      const archiveId = await newArchive();
      for (let i = 0; i < MAX_EVIDENCE_PER_ARCHIVE; i++) {
        await db.dataSource.getRepository(ArchiveEvidenceEntity).insert({
          archiveId,
          kind: 'other',
          fileName: `旧材料${i}.pdf`,
          mimeType: 'application/pdf',
          sizeBytes: 10,
          sha256: sha256(Buffer.from(String(i))),
          storageKey: `archive-evidence/2026/01/${randomUUID()}`,
          uploadedBy: caseworker.userId,
          uploadedAt: new Date(),
        });
      }
      const refused = await codeOf(evidence.upload(caseworker, archiveId, 'other', file(pdf('第51份'))));
      expect(refused).toEqual({ code: 'EVIDENCE_LIMIT_REACHED', details: { max: MAX_EVIDENCE_PER_ARCHIVE } });
    });

    it('keeps nothing when the client goes away in the middle of the file', async () => {
      const archiveId = await newArchive();
      const before = await storedFiles();
      const source = new PassThrough();
      const upload = evidence.upload(worker, archiveId, 'other', file(source));
      source.write(pdf());
      setTimeout(() => source.destroy(new Error('连接中断')), 10);
      await expect(upload).rejects.toThrow('连接中断');
      expect(await storedFiles()).toEqual(before);
    });
  });

  describe('who may upload', () => {
    it.each(['submitted', 'verifying', 'active', 'rejected'] as const)(
      'refuses the owner worker once the archive is %s',
      async (status) => {
        const archiveId = await newArchive(status);
        expect(await codeOf(evidence.upload(worker, archiveId, 'other', file(pdf())))).toEqual({
          code: 'EVIDENCE_NOT_ALLOWED_IN_STATUS',
          details: { status },
        });
      },
    );

    it('lets the owner worker upload again once the archive is returned', async () => {
      const archiveId = await newArchive('returned');
      await expect(evidence.upload(worker, archiveId, 'other', file(pdf('补充')))).resolves.toBeDefined();
    });

    it.each(['rejected', 'exited', 'cancelled'] as const)('refuses staff on a %s archive', async (status) => {
      const archiveId = await newArchive(status);
      expect((await codeOf(evidence.upload(caseworker, archiveId, 'other', file(pdf())))).code).toBe(
        'EVIDENCE_NOT_ALLOWED_IN_STATUS',
      );
    });

    it('refuses another worker and audits the refusal', async () => {
      const archiveId = await newArchive();
      const stranger = principal('worker', tree.grassrootsA);
      expect((await codeOf(evidence.upload(stranger, archiveId, 'other', file(pdf())))).code).toBe(
        'NOT_OWNER',
      );
      const denied = await auditRows(db.dataSource, { action: 'access.denied' });
      expect(denied.at(-1)).toMatchObject({
        actor_id: stranger.userId,
        target_id: archiveId,
        details: { action: 'archives.upload-evidence', code: 'NOT_OWNER' },
      });
    });

    it('refuses staff of another branch of the tree and audits the refusal', async () => {
      const archiveId = await newArchive();
      const outsider = principal('staff', tree.cityB, ['caseworker']);
      expect((await codeOf(evidence.upload(outsider, archiveId, 'other', file(pdf())))).code).toBe(
        'OUT_OF_SCOPE',
      );
      const denied = await auditRows(db.dataSource, { action: 'access.denied' });
      expect(denied.at(-1)).toMatchObject({ actor_id: outsider.userId, details: { code: 'OUT_OF_SCOPE' } });
    });

    it('answers ARCHIVE_NOT_FOUND for an unknown archive', async () => {
      expect((await codeOf(evidence.upload(caseworker, randomUUID(), 'other', file(pdf())))).code).toBe(
        'ARCHIVE_NOT_FOUND',
      );
    });
  });

  describe('list and download', () => {
    it('lists live files oldest first, records the listing, and hides them from other workers', async () => {
      const archiveId = await newArchive();
      const a = await evidence.upload(worker, archiveId, 'id_card', file(png(1), '正面.png', 'image/png'));
      clock.advance(60_000);
      const b = await evidence.upload(worker, archiveId, 'id_card', file(png(2), '反面.png', 'image/png'));
      const listed = await evidence.list(caseworker, archiveId);
      expect(listed.map((e) => e.id)).toEqual([a.id, b.id]);
      expect(Object.keys(listed[0]).sort()).toEqual(
        [
          'archiveId',
          'fileName',
          'id',
          'kind',
          'mimeType',
          'sha256',
          'sizeBytes',
          'uploadedAt',
          'uploadedBy',
        ].sort(),
      );
      const [audit] = await auditRows(db.dataSource, {
        action: 'archive-evidence.list',
        targetId: archiveId,
      }).then((rows) => rows.filter((r) => r.actor_id === caseworker.userId));
      expect(audit.details).toEqual({ count: 2 });
      expect((await codeOf(evidence.list(principal('worker', tree.grassrootsA), archiveId))).code).toBe(
        'NOT_OWNER',
      );
    });

    it('downloads the exact bytes and records the read', async () => {
      const archiveId = await newArchive('active');
      const data = Buffer.concat([pdf(), Buffer.alloc(40_000, 3)]);
      const up = await evidence.upload(caseworker, archiveId, 'medical_record', file(data, '诊断证明.pdf'));
      const approver = principal('staff', tree.cityA, ['approver']);
      const { evidence: meta, content } = await evidence.download(approver, archiveId, up.id);
      expect(meta).toEqual(up);
      expect((await readAll(content)).equals(data)).toBe(true);
      const reads = await auditRows(db.dataSource, { action: 'archive-evidence.read', targetId: up.id });
      expect(reads).toEqual([
        expect.objectContaining({
          actor_id: approver.userId,
          details: { archiveId, kind: 'medical_record' },
        }),
      ]);
    });

    it('lets a worker read its own files whatever the state', async () => {
      const archiveId = await newArchive();
      const up = await evidence.upload(worker, archiveId, 'other', file(pdf('状态')));
      await forceArchiveStatus(db.dataSource, archiveId, 'active');
      const { content } = await evidence.download(worker, archiveId, up.id);
      expect((await readAll(content)).toString()).toContain('状态');
    });

    it('answers EVIDENCE_NOT_FOUND for a file of another archive', async () => {
      const archiveA = await newArchive();
      const archiveB = await newArchive();
      const up = await evidence.upload(worker, archiveA, 'other', file(pdf('甲')));
      expect((await codeOf(evidence.download(worker, archiveB, up.id))).code).toBe('EVIDENCE_NOT_FOUND');
    });

    it('never delivers a file altered on disk in full', async () => {
      const archiveId = await newArchive();
      const data = Buffer.concat([pdf(), Buffer.alloc(200_000, 1)]);
      const up = await evidence.upload(worker, archiveId, 'other', file(data));
      const { storageKey } = await rowOf(up.id);
      const altered = Buffer.from(data);
      altered[100_000] = 2;
      await writeFile(join(root, storageKey), altered);
      const { content } = await evidence.download(worker, archiveId, up.id);
      const received: Buffer[] = [];
      content.on('data', (chunk: Buffer) => received.push(chunk));
      await expect(
        new Promise((resolve, reject) => content.on('end', resolve).on('error', reject)),
      ).rejects.toMatchObject({
        code: 'EVIDENCE_CONTENT_UNAVAILABLE',
      });
      expect(Buffer.concat(received).length).toBeLessThan(data.length);
    });

    it('reports a file missing from storage as EVIDENCE_CONTENT_UNAVAILABLE', async () => {
      const archiveId = await newArchive();
      const up = await evidence.upload(worker, archiveId, 'other', file(pdf('丢失')));
      await rm(join(root, (await rowOf(up.id)).storageKey));
      expect((await codeOf(evidence.download(worker, archiveId, up.id))).code).toBe(
        'EVIDENCE_CONTENT_UNAVAILABLE',
      );
    });
  });

  describe('delete', () => {
    it('hides the file, keeps row and bytes for the record, audits, and lets the same file be added again', async () => {
      const archiveId = await newArchive();
      const up = await evidence.upload(
        worker,
        archiveId,
        'id_card',
        file(jpeg(), '身份证.jpg', 'image/jpeg'),
      );
      clock.advance(5_000);
      await evidence.remove(worker, archiveId, up.id);

      expect(await evidence.list(worker, archiveId)).toEqual([]);
      expect((await codeOf(evidence.download(worker, archiveId, up.id))).code).toBe('EVIDENCE_NOT_FOUND');
      const row = await rowOf(up.id);
      expect(row.deletedAt?.toISOString()).toBe(clock.now().toISOString());
      expect(row.deletedBy).toBe(worker.userId);
      expect(await storedFiles()).toContain(row.storageKey);
      const [audit] = await auditRows(db.dataSource, { action: 'archive-evidence.delete', targetId: up.id });
      expect(audit).toMatchObject({ actor_id: worker.userId, details: { archiveId, kind: 'id_card' } });
      expect((await codeOf(evidence.remove(worker, archiveId, up.id))).code).toBe('EVIDENCE_NOT_FOUND');

      await expect(
        evidence.upload(worker, archiveId, 'id_card', file(jpeg(), '身份证.jpg', 'image/jpeg')),
      ).resolves.toBeDefined();
    });

    it('refuses a worker deleting what a caseworker added, and audits it', async () => {
      const archiveId = await newArchive();
      const up = await evidence.upload(caseworker, archiveId, 'other', file(pdf('经办人上传')));
      expect((await codeOf(evidence.remove(worker, archiveId, up.id))).code).toBe('EVIDENCE_NOT_UPLOADER');
      const denied = await auditRows(db.dataSource, { action: 'access.denied' });
      expect(denied.at(-1)).toMatchObject({
        actor_id: worker.userId,
        details: { action: 'archives.delete-evidence', code: 'EVIDENCE_NOT_UPLOADER' },
      });
      expect(await evidence.list(worker, archiveId)).toHaveLength(1);
    });

    it('refuses the worker after submission but lets the caseworker remove a wrong file', async () => {
      const archiveId = await newArchive();
      const up = await evidence.upload(worker, archiveId, 'other', file(pdf('提交前')));
      await forceArchiveStatus(db.dataSource, archiveId, 'submitted');
      expect((await codeOf(evidence.remove(worker, archiveId, up.id))).code).toBe(
        'EVIDENCE_NOT_ALLOWED_IN_STATUS',
      );
      await evidence.remove(caseworker, archiveId, up.id);
      expect(await evidence.list(caseworker, archiveId)).toEqual([]);
    });
  });
});
