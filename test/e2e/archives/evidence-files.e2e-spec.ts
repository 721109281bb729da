import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request, { Response } from 'supertest';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createOrgUnit, createUser, OrgUnitRow } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { auditRows, loginOk } from '../auth/auth-test-kit';

const API = '/api/v1';
const MAX_BYTES = 128 * 1024;

const pdf = (size = 20_000) =>
  Buffer.concat([Buffer.from('%PDF-1.7\n%收入证明\n'), Buffer.alloc(size, 0x20)]).subarray(0, size);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Collects a binary response body (supertest would otherwise try to parse it). */
function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  // In a parser superagent hands over the raw response stream, typed as its Response.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
  stream.on('error', (err: Error) => callback(err, Buffer.alloc(0)));
}

/**
 * Evidence files through the whole application: real logins, AuthGuard and PERMISSIONS, multipart
 * parsing with the configured size limit, the local-disk storage, PostgreSQL and the audit log.
 */
describe('/api/v1/archives/:id/evidence (whole app)', () => {
  let t: TestApp;
  let root: string;
  let unit: OrgUnitRow;
  let workerToken: string;
  let workerId: string;
  let caseworkerToken: string;
  let archivistToken: string;
  let archiveId: string;

  const http = () => request(t.app.getHttpServer());
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  async function storedFiles(): Promise<number> {
    let count = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (entry.name === '.tmp') continue;
        if (entry.isDirectory()) await walk(join(dir, entry.name));
        else count++;
      }
    };
    await walk(root);
    return count;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bangfu-evidence-e2e-'));
    t = await createTestApp({ overrides: { storage: { localDir: root, maxFileBytes: MAX_BYTES } } });
    unit = await createOrgUnit(t.db.dataSource, { name: '杭州某某机械有限公司工会', regionCode: '330106' });
    const worker = await createUser(t.db.dataSource, { kind: 'worker', roles: [], orgUnit: unit });
    const caseworker = await createUser(t.db.dataSource, { roles: ['caseworker'], orgUnit: unit });
    const archivist = await createUser(t.db.dataSource, { roles: ['archivist'], orgUnit: unit });
    workerId = worker.user.id;
    workerToken = (await loginOk(t.app, worker.user.username, worker.password)).accessToken;
    caseworkerToken = (await loginOk(t.app, caseworker.user.username, caseworker.password)).accessToken;
    archivistToken = (await loginOk(t.app, archivist.user.username, archivist.password)).accessToken;
    archiveId = (
      await createArchive(t.db.dataSource, { orgUnitId: unit.id, ownerUserId: workerId, status: 'draft' })
    ).archive.id;
  });

  afterAll(async () => {
    await t?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a worker uploads, a caseworker lists and downloads the same bytes, the worker deletes; all audited', async () => {
    const data = pdf(90_000);
    const uploaded = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(workerToken))
      .field('kind', 'income_proof')
      .attach('file', data, { filename: '2026年收入证明.pdf', contentType: 'application/pdf' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({
      id: expect.any(String),
      archiveId,
      kind: 'income_proof',
      fileName: '2026年收入证明.pdf',
      mimeType: 'application/pdf',
      sizeBytes: data.length,
      sha256: sha256(data),
      uploadedBy: workerId,
      uploadedAt: expect.any(String),
    });
    const evidenceId = uploaded.body.id as string;

    const listed = await http().get(`${API}/archives/${archiveId}/evidence`).set(auth(caseworkerToken));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([uploaded.body]);

    const download = await http()
      .get(`${API}/archives/${archiveId}/evidence/${evidenceId}`)
      .set(auth(caseworkerToken))
      .buffer(true)
      .parse(binary);
    expect(download.status).toBe(200);
    expect((download.body as Buffer).equals(data)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(data.length));
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="2026_____.pdf"; filename*=UTF-8''2026%E5%B9%B4%E6%94%B6%E5%85%A5%E8%AF%81%E6%98%8E.pdf`,
    );
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.headers['x-content-type-options']).toBe('nosniff');

    const deleted = await http()
      .delete(`${API}/archives/${archiveId}/evidence/${evidenceId}`)
      .set(auth(workerToken));
    expect(deleted.status).toBe(204);
    const after = await http().get(`${API}/archives/${archiveId}/evidence`).set(auth(workerToken));
    expect(after.body.items).toEqual([]);
    const gone = await http()
      .get(`${API}/archives/${archiveId}/evidence/${evidenceId}`)
      .set(auth(workerToken));
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('EVIDENCE_NOT_FOUND');

    const actions = (await auditRows(t.db.dataSource, 'archive-evidence.'))
      .filter((r) => r.target_id === evidenceId)
      .map((r) => `${r.action} ${r.actor_id === workerId ? 'worker' : 'caseworker'}`);
    expect(actions).toEqual([
      'archive-evidence.upload worker',
      'archive-evidence.read caseworker',
      'archive-evidence.delete worker',
    ]);
  });

  it('refuses a file over storage.maxFileBytes with 413 and keeps nothing', async () => {
    const before = await storedFiles();
    const res = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(workerToken))
      .field('kind', 'medical_record')
      .attach('file', pdf(MAX_BYTES + 1), { filename: '病历.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'EVIDENCE_FILE_TOO_LARGE', details: { maxBytes: MAX_BYTES } });
    expect(await storedFiles()).toBe(before);
  });

  it('judges the type by the bytes: an HTML page named .pdf gets 415', async () => {
    const res = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(workerToken))
      .field('kind', 'other')
      .attach('file', Buffer.from('<!doctype html><script>alert(1)</script>'), {
        filename: '证明.pdf',
        contentType: 'application/pdf',
      });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('EVIDENCE_TYPE_NOT_ALLOWED');
  });

  it('needs kind before the file, and a valid kind', async () => {
    // superagent always writes fields before files, so the late field is sent by hand.
    const boundary = '----bangfu-test-boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n` +
          'Content-Type: application/pdf\r\n\r\n',
      ),
      pdf(),
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n--${boundary}--\r\n`,
      ),
    ]);
    const late = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(workerToken))
      .set('content-type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'kind' }] } });

    const bad = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(workerToken))
      .field('kind', 'selfie')
      .attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 415 to a JSON body and 400 to a form without a file', async () => {
    const json = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(workerToken))
      .send({ kind: 'other', file: 'JVBERi0xLjcK' });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('EVIDENCE_NOT_MULTIPART');

    const noFile = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(workerToken))
      .field('kind', 'other');
    expect(noFile.status).toBe(400);
    expect(noFile.body.code).toBe('EVIDENCE_FILE_MISSING');
  });

  it('keeps out the anonymous, roles without an evidence grant, and other workers', async () => {
    const anonymous = await http().get(`${API}/archives/${archiveId}/evidence`);
    expect(anonymous.status).toBe(401);

    const archivist = await http()
      .post(`${API}/archives/${archiveId}/evidence`)
      .set(auth(archivistToken))
      .field('kind', 'other')
      .attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(archivist.status).toBe(403);
    expect(archivist.body.code).toBe('ACCESS_DENIED');

    const other = await createUser(t.db.dataSource, { kind: 'worker', roles: [], orgUnit: unit });
    const otherToken = (await loginOk(t.app, other.user.username, other.password)).accessToken;
    const stranger = await http().get(`${API}/archives/${archiveId}/evidence`).set(auth(otherToken));
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('NOT_OWNER');
  });

  describe('malformed multipart bodies (400 with a code, never a parser 500)', () => {
    const PART_HEAD = (name: string, extra = '') =>
      `Content-Disposition: form-data; name="${name}"${extra}\r\n`;
    const bodies: [string, string, string][] = [
      ['no boundary in the content type', 'multipart/form-data', '--X\r\n'],
      ['only an opening boundary', 'multipart/form-data; boundary=X', '--X\r\n'],
      [
        'a file cut off before its closing boundary',
        'multipart/form-data; boundary=X',
        `--X\r\n${PART_HEAD('kind')}\r\nother\r\n--X\r\n${PART_HEAD('file', '; filename="a.pdf"')}` +
          `Content-Type: application/pdf\r\n\r\n%PDF-1.7\n${' '.repeat(5000)}`,
      ],
      [
        'a field cut off before its closing boundary',
        'multipart/form-data; boundary=X',
        `--X\r\n${PART_HEAD('kind')}\r\nother`,
      ],
    ];

    it.each(bodies)('%s → 400 EVIDENCE_MULTIPART_MALFORMED, nothing stored', async (_case, type, body) => {
      const before = await storedFiles();
      const rows = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM archive_evidence`);
      const res = await http()
        .post(`${API}/archives/${archiveId}/evidence`)
        .set(auth(workerToken))
        .set('content-type', type)
        .send(Buffer.from(body));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'EVIDENCE_MULTIPART_MALFORMED',
        message: '上传内容不是完整有效的 multipart/form-data，请重新选择文件上传',
      });
      expect(await storedFiles()).toBe(before);
      expect(await t.db.dataSource.query(`SELECT count(*)::int AS n FROM archive_evidence`)).toEqual(rows);
    });

    it.each([
      ['an empty body', ''],
      ['a part without headers', '--X\r\nfoo\r\n\r\nbar\r\n--X--\r\n'],
    ])('%s holds no file part → 400 EVIDENCE_FILE_MISSING', async (_case, body) => {
      const res = await http()
        .post(`${API}/archives/${archiveId}/evidence`)
        .set(auth(workerToken))
        .set('content-type', 'multipart/form-data; boundary=X')
        .send(Buffer.from(body));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('EVIDENCE_FILE_MISSING');
    });

    it('more parts than an upload has → 413 EVIDENCE_MULTIPART_TOO_MANY_PARTS', async () => {
      let req = http().post(`${API}/archives/${archiveId}/evidence`).set(auth(workerToken));
      for (let i = 0; i < 8; i++) req = req.field(`f${i}`, 'x');
      const res = await req.attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('EVIDENCE_MULTIPART_TOO_MANY_PARTS');
    });

    it('checks access to the archive before reading the body', async () => {
      const other = await createUser(t.db.dataSource, { kind: 'worker', roles: [], orgUnit: unit });
      const otherToken = (await loginOk(t.app, other.user.username, other.password)).accessToken;
      const malformed = await http()
        .post(`${API}/archives/${archiveId}/evidence`)
        .set(auth(otherToken))
        .set('content-type', 'multipart/form-data; boundary=X')
        .send(Buffer.from('--X\r\n'));
      expect(malformed.status).toBe(403);
      expect(malformed.body.code).toBe('NOT_OWNER');
      const json = await http()
        .post(`${API}/archives/${archiveId}/evidence`)
        .set(auth(otherToken))
        .send({ kind: 'other' });
      expect(json.status).toBe(403);
      const missing = await http()
        .post(`${API}/archives/00000000-0000-4000-8000-000000000000/evidence`)
        .set(auth(caseworkerToken))
        .set('content-type', 'multipart/form-data')
        .send(Buffer.from('--X\r\n'));
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('ARCHIVE_NOT_FOUND');
    });
  });
});
