import { createHash } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { newStorageKey, OBJECT_STORAGE, ObjectStorage, StorageError } from '../../../infra/storage';
import { AuditService } from '../../audit/audit.service';
import { AuthorizationService } from '../../auth/authorization/authorization.service';
import type { Principal } from '../../auth/principal';
import { ArchivesErrorCode } from '../archives.errors';
import type { ArchiveEvidenceEntity } from './archive-evidence.entity';
import { EvidenceResponseDto } from './dto/evidence.dto';
import { EVIDENCE_MIME_TYPES, type EvidenceKind, type EvidenceMimeType } from './evidence.enums';
import { EvidenceErrorCode } from './evidence.errors';
import { EvidenceArchiveFacts, EvidenceRepository } from './evidence.repository';
import { evidenceRefusal, EvidenceOperation } from './rules/evidence-access.rule';
import {
  declaredTypeAgrees,
  detectFileType,
  sanitizeFileName,
  SNIFF_BYTES,
} from './rules/evidence-file.rule';

/** Audit actions of evidence files (`<target-type>.<verb>`). */
export const EvidenceAuditAction = {
  UPLOAD: 'archive-evidence.upload',
  LIST: 'archive-evidence.list',
  /** A download (recordRead). */
  READ: 'archive-evidence.read',
  DELETE: 'archive-evidence.delete',
} as const;

/** Enough for a household's papers several times over; stops a runaway client filling the disk. */
export const MAX_EVIDENCE_PER_ARCHIVE = 50;
const STORAGE_PREFIX = 'archive-evidence';

/** A file as it arrives: the client's name and type (both untrusted) and the unread bytes. */
export interface IncomingEvidenceFile {
  fileName?: string;
  declaredType?: string;
  content: Readable;
}

export interface EvidenceDownload {
  evidence: EvidenceResponseDto;
  /** The bytes, checked against the stored size and SHA-256 before the last chunk is released. */
  content: Readable;
}

/** The permission each operation is refused under, for the `access.denied` audit row. */
const ACTION_OF: Record<EvidenceOperation, string> = {
  list: 'archives.list-evidence',
  download: 'archives.read-evidence',
  upload: 'archives.upload-evidence',
  delete: 'archives.delete-evidence',
};

/**
 * Evidence files of an archive: upload (type by magic bytes, size limit, SHA-256, one live copy per
 * archive), list, audited download with an integrity check, soft delete. Who may: the owner worker on its
 * own archive (writes only in draft/returned), staff in scope (PERMISSIONS decides the roles). Every
 * refusal of ownership or scope is audited as `access.denied`.
 */
@Injectable()
export class EvidenceService {
  private readonly logger = new Logger(EvidenceService.name);

  constructor(
    private readonly repository: EvidenceRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The access and state checks of an upload, for the controller to run before it reads the body. */
  async assertMayUpload(principal: Principal, archiveId: string): Promise<void> {
    await this.accessible(principal, archiveId, 'upload');
  }

  async upload(
    principal: Principal,
    archiveId: string,
    kind: EvidenceKind,
    file: IncomingEvidenceFile,
  ): Promise<EvidenceResponseDto> {
    // Checked before a byte is stored, and again under the archive lock below (the state may change).
    await this.accessible(principal, archiveId, 'upload');

    const now = this.clock.now();
    const key = newStorageKey(STORAGE_PREFIX, now);
    const detected: { type?: EvidenceMimeType } = {};
    const maxBytes = this.config.storage.maxFileBytes;
    let stored: { size: number; sha256: string };
    try {
      stored = await this.storage.put(
        key,
        Readable.from(checkedContent(file.content, file.declaredType, detected)),
        { maxBytes },
      );
    } catch (error) {
      if (error instanceof StorageError && error.code === 'too_large') {
        throw new DomainError(EvidenceErrorCode.EVIDENCE_FILE_TOO_LARGE, { maxBytes });
      }
      throw error;
    }
    const mimeType = detected.type!;

    try {
      const evidence = await this.repository.transaction(async (manager) => {
        await this.accessible(principal, archiveId, 'upload', { manager, lock: true });
        const same = await this.repository.findLiveBySha256(manager, archiveId, stored.sha256);
        if (same) throw new DomainError(EvidenceErrorCode.EVIDENCE_DUPLICATE, { evidenceId: same.id });
        if ((await this.repository.countLive(manager, archiveId)) >= MAX_EVIDENCE_PER_ARCHIVE) {
          throw new DomainError(EvidenceErrorCode.EVIDENCE_LIMIT_REACHED, { max: MAX_EVIDENCE_PER_ARCHIVE });
        }
        const row = await this.repository.insert(manager, {
          archiveId,
          kind,
          fileName: sanitizeFileName(file.fileName, mimeType),
          mimeType,
          sizeBytes: stored.size,
          sha256: stored.sha256,
          storageKey: key,
          uploadedBy: principal.userId,
          uploadedAt: now,
        });
        await this.audit.record(
          {
            action: EvidenceAuditAction.UPLOAD,
            outcome: 'success',
            actor: principal,
            target: { type: 'archive-evidence', id: row.id },
            details: { archiveId, kind, mimeType, sizeBytes: stored.size, sha256: stored.sha256 },
          },
          manager,
        );
        return row;
      });
      return toDto(evidence);
    } catch (error) {
      // Nothing references the file: remove it so a refused upload leaves no personal data behind.
      await this.storage
        .delete(key)
        .catch((cleanup: unknown) => this.logger.error({ err: cleanup, key }, '删除未登记的上传文件失败'));
      throw error;
    }
  }

  async list(principal: Principal, archiveId: string): Promise<EvidenceResponseDto[]> {
    await this.accessible(principal, archiveId, 'list');
    const rows = await this.repository.listLive(archiveId);
    await this.audit.record({
      action: EvidenceAuditAction.LIST,
      outcome: 'success',
      actor: principal,
      target: { type: 'archive', id: archiveId },
      details: { count: rows.length },
    });
    return rows.map(toDto);
  }

  /** The file, recorded as a read of personal data once it is known to be there. */
  async download(principal: Principal, archiveId: string, evidenceId: string): Promise<EvidenceDownload> {
    await this.accessible(principal, archiveId, 'download');
    const evidence = await this.repository.findLive(archiveId, evidenceId);
    if (!evidence) throw new DomainError(EvidenceErrorCode.EVIDENCE_NOT_FOUND);
    let raw: Readable;
    try {
      raw = await this.storage.get(evidence.storageKey);
    } catch (error) {
      if (error instanceof StorageError && error.code === 'not_found') {
        this.logger.error({ evidenceId }, '材料文件在存储中缺失');
        throw new DomainError(EvidenceErrorCode.EVIDENCE_CONTENT_UNAVAILABLE);
      }
      throw error;
    }
    try {
      await this.audit.recordRead(principal, 'archive-evidence', evidence.id, {
        archiveId,
        kind: evidence.kind,
      });
    } catch (error) {
      raw.destroy();
      throw error;
    }
    const verifier = new IntegrityCheck(evidence.sizeBytes, evidence.sha256, () =>
      this.logger.error({ evidenceId }, '材料文件与登记的 SHA-256 或大小不符，已中止下载'),
    );
    raw.on('error', (error) => verifier.destroy(error));
    return { evidence: toDto(evidence), content: raw.pipe(verifier) };
  }

  /** Soft delete: hidden from lists and downloads; row and file stay for the record. */
  async remove(principal: Principal, archiveId: string, evidenceId: string): Promise<void> {
    await this.repository.transaction(async (manager) => {
      const archive = await this.accessible(principal, archiveId, 'delete', { manager, lock: true }, false);
      const evidence = await this.repository.findLive(archiveId, evidenceId, manager);
      if (!evidence) throw new DomainError(EvidenceErrorCode.EVIDENCE_NOT_FOUND);
      await this.deniedIsAudited(principal, 'delete', archiveId, async () =>
        this.assertState(principal, archive, 'delete', evidence.uploadedBy === principal.userId),
      );
      const now = this.clock.now();
      if (!(await this.repository.softDelete(manager, evidence.id, principal.userId, now))) {
        throw new DomainError(EvidenceErrorCode.EVIDENCE_NOT_FOUND);
      }
      await this.audit.record(
        {
          action: EvidenceAuditAction.DELETE,
          outcome: 'success',
          actor: principal,
          target: { type: 'archive-evidence', id: evidence.id },
          details: { archiveId, kind: evidence.kind, sha256: evidence.sha256 },
        },
        manager,
      );
    });
  }

  /**
   * The archive if the caller may perform `operation` on its evidence: the worker owns it or the staff
   * member has it in scope (both refusals audited), and — unless `checkState` is false because the caller
   * needs more facts first — the archive's state allows it.
   */
  private async accessible(
    principal: Principal,
    archiveId: string,
    operation: EvidenceOperation,
    options: { manager?: EntityManager; lock?: boolean } = {},
    checkState = true,
  ): Promise<EvidenceArchiveFacts> {
    return this.deniedIsAudited(principal, operation, archiveId, async () => {
      const archive = await this.repository.archiveFacts(archiveId, options);
      if (!archive) throw new DomainError(ArchivesErrorCode.ARCHIVE_NOT_FOUND);
      if (principal.kind === 'worker') this.authorization.assertWorkerOwns(principal, archive.ownerUserId);
      else this.authorization.assertInScope(principal, archive.orgPath);
      if (checkState) this.assertState(principal, archive, operation);
      return archive;
    });
  }

  private assertState(
    principal: Principal,
    archive: EvidenceArchiveFacts,
    operation: EvidenceOperation,
    actorUploadedIt?: boolean,
  ): void {
    const refusal = evidenceRefusal({
      actorKind: principal.kind === 'worker' ? 'worker' : 'staff',
      status: archive.status,
      operation,
      actorUploadedIt,
    });
    if (refusal === 'status') {
      throw new DomainError(EvidenceErrorCode.EVIDENCE_NOT_ALLOWED_IN_STATUS, { status: archive.status });
    }
    if (refusal === 'not_uploader') throw new DomainError(EvidenceErrorCode.EVIDENCE_NOT_UPLOADER);
  }

  /** Audits a 403 (ownership, scope, uploader) as `access.denied`; the error goes on unchanged. */
  private deniedIsAudited<T>(
    principal: Principal,
    operation: EvidenceOperation,
    archiveId: string,
    work: () => Promise<T>,
  ): Promise<T> {
    return this.audit.auditDenials(principal, ACTION_OF[operation], { type: 'archive', id: archiveId }, work);
  }
}

function toDto(row: ArchiveEvidenceEntity): EvidenceResponseDto {
  return {
    id: row.id,
    archiveId: row.archiveId,
    kind: row.kind,
    fileName: row.fileName,
    mimeType: row.mimeType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
  };
}

/**
 * The upload's bytes, refused from the first few if they are not a PDF, JPEG or PNG (whatever the name
 * or declared type say) or if the declared type names a different format. Refusing inside the stream
 * stops the storage write at once; the partial temporary file is removed by the storage.
 */
export async function* checkedContent(
  source: AsyncIterable<Buffer>,
  declaredType: string | undefined,
  detected: { type?: EvidenceMimeType },
): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  for await (const chunk of source) {
    if (detected.type) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length < SNIFF_BYTES) continue;
    detected.type = classify(head, declaredType);
    yield head;
  }
  if (!detected.type) {
    if (head.length === 0) throw new DomainError(EvidenceErrorCode.EVIDENCE_FILE_EMPTY);
    detected.type = classify(head, declaredType);
    yield head;
  }
}

function classify(head: Buffer, declaredType: string | undefined): EvidenceMimeType {
  const type = detectFileType(head);
  if (!type)
    throw new DomainError(EvidenceErrorCode.EVIDENCE_TYPE_NOT_ALLOWED, { allowed: EVIDENCE_MIME_TYPES });
  if (!declaredTypeAgrees(declaredType, type)) {
    throw new DomainError(EvidenceErrorCode.EVIDENCE_TYPE_MISMATCH, {
      declared: (declaredType ?? '').slice(0, 100),
      detected: type,
    });
  }
  return type;
}

/**
 * Passes the bytes through but holds the latest chunk back until the end, where size and SHA-256 must
 * match the row: a file altered or truncated on disk then never reaches the client complete.
 */
export class IntegrityCheck extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;
  private pending: Buffer | null = null;

  constructor(
    private readonly expectedSize: number,
    private readonly expectedSha256: string,
    private readonly onMismatch: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    const previous = this.pending;
    this.pending = chunk;
    callback(null, previous ?? undefined);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size !== this.expectedSize || this.hash.digest('hex') !== this.expectedSha256) {
      this.onMismatch();
      callback(new DomainError(EvidenceErrorCode.EVIDENCE_CONTENT_UNAVAILABLE));
      return;
    }
    callback(null, this.pending ?? undefined);
  }
}
