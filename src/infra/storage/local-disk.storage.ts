import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidStorageKey,
  ObjectStorage,
  PutOptions,
  StorageError,
  StoredObject,
} from './object-storage';

/** Files hold personal data (ID cards, medical records): only the service account may read them. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const TEMP_DIR = '.tmp';

/**
 * ObjectStorage on a local folder (`storage.localDir`). Keys map to paths below the root and are
 * validated twice — by pattern (no dots, no leading slash, no backslash) and by resolving the path and
 * checking it is still inside the root — so no key can reach outside it.
 *
 * Writes go to `<root>/.tmp/<uuid>` (same filesystem), are flushed to disk, then hard-linked to the final
 * path: the link is atomic and, unlike rename, refuses to replace an existing file, so a key is written
 * once. Filesystems without hard links fall back to rename after an existence check.
 */
export class LocalDiskStorage implements ObjectStorage {
  readonly root: string;
  private ready?: Promise<void>;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, content: Readable | Buffer, options: PutOptions = {}): Promise<StoredObject> {
    const target = this.pathOf(key);
    // The source may fail (client gone) before the pipeline below is attached: the pipeline still sees
    // it as errored, but without a listener the 'error' event would crash the process.
    if (!Buffer.isBuffer(content)) content.once('error', ignore);
    await this.ensureRoot();
    const temp = join(this.root, TEMP_DIR, randomUUID());
    const meter = new HashingMeter(options.maxBytes);
    try {
      const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
      // `flush`: fsync before close, so a crash after the link below cannot leave an empty file.
      await pipeline(source, meter, createWriteStream(temp, { flags: 'wx', mode: FILE_MODE, flush: true }));
      await mkdir(dirname(target), { recursive: true, mode: DIR_MODE });
      await publish(temp, target);
      await syncDirectory(dirname(target));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size: meter.size, sha256: meter.digest() };
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      const handle = await open(path, 'r');
      return handle.createReadStream();
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw new StorageError('not_found', '文件不存在', { cause: error });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * Removes temporary files a crashed process left behind. `olderThan` must be well past the longest
   * upload, since another process may be writing into the same folder right now.
   */
  async sweepTemporaryFiles(olderThan: Date): Promise<number> {
    await this.ensureRoot();
    const dir = join(this.root, TEMP_DIR);
    let removed = 0;
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      try {
        if ((await stat(path)).mtime < olderThan) {
          await unlink(path);
          removed++;
        }
      } catch (error) {
        if (errnoOf(error) !== 'ENOENT') throw error;
      }
    }
    return removed;
  }

  private pathOf(key: string): string {
    assertValidStorageKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new StorageError('invalid_key', '存储键格式无效');
    return path;
  }

  /**
   * The root and what is below it are the service account's only; folders above it are created with the
   * default mode: `./data` also holds the embedded PostgreSQL's cluster, which (as root) runs as the
   * postgres user and must be able to walk through it.
   */
  private ensureRoot(): Promise<void> {
    this.ready ??= mkdir(dirname(this.root), { recursive: true })
      .then(() => mkdir(join(this.root, TEMP_DIR), { recursive: true, mode: DIR_MODE }))
      .then(
        () => undefined,
        (error: unknown) => {
          this.ready = undefined;
          throw error;
        },
      );
    return this.ready;
  }
}

/** Counts and hashes the bytes on their way to disk, failing as soon as the limit is passed. */
class HashingMeter extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes?: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.maxBytes !== undefined && this.size > this.maxBytes) {
      callback(new StorageError('too_large', `文件超过 ${this.maxBytes} 字节`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

async function publish(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
    await unlink(temp);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') throw new StorageError('exists', '存储键已被使用', { cause: error });
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    // No hard links here (some network or FUSE filesystems): rename is still atomic, only not exclusive.
    if (
      await stat(target).then(
        () => true,
        () => false,
      )
    ) {
      throw new StorageError('exists', '存储键已被使用');
    }
    await rename(temp, target);
  }
}

/** Makes the new directory entry durable, so a crash right after a successful put cannot lose the file. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems refuse fsync on a directory; the file itself is already flushed.
    if (errnoOf(error) !== 'EINVAL' && errnoOf(error) !== 'EISDIR') throw error;
  } finally {
    await handle.close();
  }
}

function ignore(): void {}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
