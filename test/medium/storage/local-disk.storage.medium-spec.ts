import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { LocalDiskStorage } from '../../../src/infra/storage/local-disk.storage';
import { newStorageKey, StorageError } from '../../../src/infra/storage/object-storage';

/** The local-disk adapter on a real filesystem: a fresh folder per test. */
describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;

  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  const key = () => newStorageKey('archive-evidence', new Date());
  const readAll = async (stream: Readable) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const tempFiles = () => readdir(join(root, '.tmp'));
  const storageError = (code: string) =>
    expect.objectContaining({ name: 'StorageError', code }) as unknown as StorageError;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bangfu-storage-'));
    storage = new LocalDiskStorage(join(root, 'files'));
    root = storage.root;
  });

  afterEach(async () => {
    await rm(join(root, '..'), { recursive: true, force: true });
  });

  it('stores a buffer and reads the same bytes back, with size and SHA-256', async () => {
    const data = Buffer.from('%PDF-1.7 收入证明');
    const k = key();
    const stored = await storage.put(k, data);
    expect(stored).toEqual({ size: data.length, sha256: sha256(data) });
    expect(await storage.exists(k)).toBe(true);
    expect(await readAll(await storage.get(k))).toEqual(data);
  });

  it('stores a stream of many chunks and hashes all of it', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(4096, i));
    const stored = await storage.put(key(), Readable.from(chunks));
    const whole = Buffer.concat(chunks);
    expect(stored).toEqual({ size: whole.length, sha256: sha256(whole) });
  });

  it('keeps files readable by the service account only', async () => {
    const k = key();
    await storage.put(k, Buffer.from('x'));
    expect((await stat(join(root, k))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, k, '..'))).mode & 0o777).toBe(0o700);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
  });

  it('creates the folders above its root with the default mode (the embedded PostgreSQL walks through ./data)', async () => {
    const nested = new LocalDiskStorage(join(root, '..', 'data', 'files'));
    await nested.put(key(), Buffer.from('x'));
    const umask = process.umask();
    expect((await stat(join(nested.root, '..'))).mode & 0o777).toBe(0o777 & ~umask);
    expect((await stat(nested.root)).mode & 0o777).toBe(0o700);
  });

  it('writes a key once: a second put is refused and the first content stays', async () => {
    const k = key();
    await storage.put(k, Buffer.from('first'));
    await expect(storage.put(k, Buffer.from('second'))).rejects.toEqual(storageError('exists'));
    expect((await readAll(await storage.get(k))).toString()).toBe('first');
    expect(await tempFiles()).toEqual([]);
  });

  it('refuses content over maxBytes and leaves nothing behind', async () => {
    const k = key();
    await expect(storage.put(k, Buffer.alloc(1025), { maxBytes: 1024 })).rejects.toEqual(
      storageError('too_large'),
    );
    expect(await storage.exists(k)).toBe(false);
    expect(await tempFiles()).toEqual([]);
  });

  it('accepts content of exactly maxBytes', async () => {
    const stored = await storage.put(key(), Buffer.alloc(1024, 7), { maxBytes: 1024 });
    expect(stored.size).toBe(1024);
  });

  it('leaves nothing behind when the source stream fails half-way', async () => {
    const k = key();
    const source = new PassThrough();
    const put = storage.put(k, source);
    source.write(Buffer.alloc(1000));
    source.destroy(new Error('客户端断开'));
    await expect(put).rejects.toThrow('客户端断开');
    expect(await storage.exists(k)).toBe(false);
    expect(await tempFiles()).toEqual([]);
  });

  it('shows nothing under the key until the whole content is written', async () => {
    const k = key();
    const source = new PassThrough();
    const put = storage.put(k, source);
    source.write(Buffer.alloc(2048, 1));
    await new Promise((r) => setTimeout(r, 20));
    expect(await storage.exists(k)).toBe(false);
    await expect(storage.get(k)).rejects.toEqual(storageError('not_found'));
    source.end(Buffer.alloc(2048, 2));
    await put;
    expect((await readAll(await storage.get(k))).length).toBe(4096);
  });

  it('reports a missing key as not_found and deletes idempotently', async () => {
    const k = key();
    await expect(storage.get(k)).rejects.toEqual(storageError('not_found'));
    await storage.delete(k);
    await storage.put(k, Buffer.from('x'));
    await storage.delete(k);
    expect(await storage.exists(k)).toBe(false);
    await storage.delete(k);
  });

  it.each(['../outside', 'a/../../outside', '/etc/passwd', 'a\\..\\..\\outside', 'a/b.pdf', 'single'])(
    'refuses key %j on every operation, so nothing outside the root is touched',
    async (badKey) => {
      const outside = join(root, '..', 'outside');
      await writeFile(outside, 'keep me');
      await expect(storage.put(badKey, Buffer.from('x'))).rejects.toEqual(storageError('invalid_key'));
      await expect(storage.get(badKey)).rejects.toEqual(storageError('invalid_key'));
      await expect(storage.exists(badKey)).rejects.toEqual(storageError('invalid_key'));
      await expect(storage.delete(badKey)).rejects.toEqual(storageError('invalid_key'));
      expect(await readFile(outside, 'utf8')).toBe('keep me');
    },
  );

  it('sweeps temporary files older than the cut-off and keeps recent ones', async () => {
    await storage.put(key(), Buffer.from('x'));
    const old = join(root, '.tmp', 'old-upload');
    const recent = join(root, '.tmp', 'recent-upload');
    await writeFile(old, 'a');
    await writeFile(recent, 'b');
    const longAgo = new Date(Date.now() - 48 * 3600 * 1000);
    await utimes(old, longAgo, longAgo);
    expect(await storage.sweepTemporaryFiles(new Date(Date.now() - 24 * 3600 * 1000))).toBe(1);
    expect(await tempFiles()).toEqual(['recent-upload']);
  });
});
