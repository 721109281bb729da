import { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import { newStorageKey, OBJECT_STORAGE, ObjectStorage, StorageError } from '../../../infra/storage';
import type { EvidenceMimeType } from '../../archives/evidence/evidence.enums';
import { EvidenceErrorCode } from '../../archives/evidence/evidence.errors';
import {
  checkedContent,
  IntegrityCheck,
  type IncomingEvidenceFile,
} from '../../archives/evidence/evidence.service';
import { sanitizeFileName } from '../../archives/evidence/rules/evidence-file.rule';
import { AuditService } from '../../audit/audit.service';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import { AuthorizationService } from '../../auth/authorization/authorization.service';
import type { Principal } from '../../auth/principal';
import { NeedsService } from '../../needs/needs.service';
import { OfferReadsService } from '../../offers/offer-reads.service';
import { MatchEvidenceDto } from '../dto/match-evidence.dto';
import { MatchReadsService } from '../match-reads.service';
import type { MatchState } from '../matches.enums';
import { MatchesErrorCode } from '../matches.errors';
import { MatchesRepository } from '../matches.repository';
import { findMatchTransition, matchActorMay } from '../rules/match-transitions.rule';
import type { MatchEvidenceEntity } from './match-evidence.entity';
import { MatchEvidenceRepository } from './match-evidence.repository';

export const MatchEvidenceAuditAction = {
  UPLOAD: 'match-evidence.upload',
  LIST: 'match-evidence.list',
} as const;

/** Enough receipts and photos for one delivery; stops a runaway client filling the disk. */
export const MAX_EVIDENCE_PER_MATCH = 20;
/** From acceptance until the worker confirms receipt: with the delivery, or just after it. */
export const EVIDENCE_STATES: readonly MatchState[] = ['accepted', 'in_progress', 'delivered'];
const STORAGE_PREFIX = 'match-evidence';
const DELIVER = findMatchTransition('accepted', 'deliver')!;

/**
 * Delivery evidence of a match (issue 13 §1 "deliver with … optional evidence files through the storage
 * port"), shaped as archive evidence: the file is checked by its first bytes (PDF, JPEG, PNG only), the
 * size limit is `storage.maxFileBytes`, the SHA-256 is kept and checked again on every download.
 * Attached by whoever may deliver the match (its partner, or staff in scope for a union programme) from
 * acceptance until confirmation; listed and downloaded by whoever may read the match. Uploads, lists and
 * downloads are audited; refusals of ownership or scope are audited as `access.denied`.
 */
@Injectable()
export class MatchEvidenceService {
  private readonly logger = new Logger(MatchEvidenceService.name);

  constructor(
    private readonly repository: MatchEvidenceRepository,
    private readonly matches: MatchesRepository,
    private readonly reads: MatchReadsService,
    private readonly needs: NeedsService,
    private readonly offers: OfferReadsService,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The access and state checks of an upload, for the controller to run before it reads the body. */
  async assertMayUpload(principal: Principal, matchId: string): Promise<void> {
    await this.deliverer(principal, matchId);
  }

  async upload(principal: Principal, matchId: string, file: IncomingEvidenceFile): Promise<MatchEvidenceDto> {
    await this.deliverer(principal, matchId);
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
      if (error instanceof StorageError && error.code === 'too_large')
        throw new DomainError(EvidenceErrorCode.EVIDENCE_FILE_TOO_LARGE, { maxBytes });
      throw error;
    }
    const mimeType = detected.type!;
    try {
      const row = await this.repository.transaction(async (manager) => {
        // Under the match's lock: the state may have moved on while the bytes were stored.
        const state = await this.repository.lockedState(manager, matchId);
        if (!state || !EVIDENCE_STATES.includes(state))
          throw new DomainError(MatchesErrorCode.MATCH_EVIDENCE_NOT_ALLOWED_IN_STATE, { state });
        const same = await this.repository.findBySha256(manager, matchId, stored.sha256);
        if (same) throw new DomainError(MatchesErrorCode.MATCH_EVIDENCE_DUPLICATE, { evidenceId: same.id });
        if ((await this.repository.count(manager, matchId)) >= MAX_EVIDENCE_PER_MATCH)
          throw new DomainError(MatchesErrorCode.MATCH_EVIDENCE_LIMIT_REACHED, {
            max: MAX_EVIDENCE_PER_MATCH,
          });
        const inserted = await this.repository.insert(manager, {
          matchId,
          fileName: sanitizeFileName(file.fileName, mimeType),
          mimeType,
          sizeBytes: stored.size,
          sha256: stored.sha256,
          storageKey: key,
          uploadedBy: principal.userId,
          uploadedByKind: principal.kind === 'partner' ? 'partner' : 'staff',
          uploadedAt: now,
        });
        await this.audit.record(
          {
            action: MatchEvidenceAuditAction.UPLOAD,
            outcome: 'success',
            actor: principal,
            target: { type: 'match-evidence', id: inserted.id },
            details: { matchId, state, mimeType, sizeBytes: stored.size, sha256: stored.sha256 },
          },
          manager,
        );
        return inserted;
      });
      return toDto(row);
    } catch (error) {
      // Nothing references the file: remove it so a refused upload leaves nothing behind.
      await this.storage
        .delete(key)
        .catch((cleanup: unknown) => this.logger.error({ err: cleanup, key }, '删除未登记的上传文件失败'));
      throw error;
    }
  }

  async list(principal: Principal, matchId: string): Promise<MatchEvidenceDto[]> {
    await this.reads.readable(principal, 'matches.list-evidence', matchId);
    const rows = await this.repository.list(matchId);
    await this.audit.record({
      action: MatchEvidenceAuditAction.LIST,
      outcome: 'success',
      actor: principal,
      target: { type: 'match', id: matchId },
      details: { count: rows.length },
    });
    return rows.map(toDto);
  }

  /** The file, recorded as a read once it is known to be there; its bytes checked against the row. */
  async download(
    principal: Principal,
    matchId: string,
    evidenceId: string,
  ): Promise<{ evidence: MatchEvidenceDto; content: Readable }> {
    await this.reads.readable(principal, 'matches.read-evidence', matchId);
    const evidence = await this.repository.find(matchId, evidenceId);
    if (!evidence) throw new DomainError(MatchesErrorCode.MATCH_EVIDENCE_NOT_FOUND);
    let raw: Readable;
    try {
      raw = await this.storage.get(evidence.storageKey);
    } catch (error) {
      if (error instanceof StorageError && error.code === 'not_found') {
        this.logger.error({ evidenceId }, '交付凭证文件在存储中缺失');
        throw new DomainError(EvidenceErrorCode.EVIDENCE_CONTENT_UNAVAILABLE);
      }
      throw error;
    }
    try {
      await this.audit.recordRead(principal, 'match-evidence', evidence.id, { matchId });
    } catch (error) {
      raw.destroy();
      throw error;
    }
    const verifier = new IntegrityCheck(evidence.sizeBytes, evidence.sha256, () =>
      this.logger.error({ evidenceId }, '交付凭证与登记的 SHA-256 或大小不符，已中止下载'),
    );
    raw.on('error', (error) => verifier.destroy(error));
    return { evidence: toDto(evidence), content: raw.pipe(verifier) };
  }

  /**
   * Whoever may deliver the match (the state machine's deliver actors: its partner, or staff in scope for
   * a union programme), in a state that takes evidence; 403s audited as denied.
   */
  private deliverer(principal: Principal, matchId: string): Promise<void> {
    return this.audit.auditDenials(
      principal,
      'matches.upload-evidence',
      { type: 'match', id: matchId },
      async () => {
        const match = await this.matches.find(matchId);
        if (!match) throw new DomainError(MatchesErrorCode.MATCH_NOT_FOUND);
        const [need] = await this.needs.matchRows([match.needId]);
        const [offer] = await this.offers.rows([match.offerId]);
        const may = matchActorMay(DELIVER, {
          kind: principal.kind,
          roles: principal.roles,
          isOwner: principal.kind === 'worker' && need!.archiveOwnerUserId === principal.userId,
          isOfferPartner: principal.kind === 'partner' && principal.partnerId === match.partnerId,
          inScope: principal.kind === 'staff' && this.authorization.isInScope(principal, need!.unitPath),
          isProposer: match.proposedBy === principal.userId,
          unionProgramme: offer!.partnerKind === 'union',
          needsApprover: false,
        });
        if (!may.ok) {
          if (may.reason === 'not_union_programme')
            throw new DomainError(MatchesErrorCode.MATCH_NOT_UNION_PROGRAMME);
          if (may.reason === 'scope')
            throw new DomainError(
              principal.kind === 'staff'
                ? AuthorizationErrorCode.OUT_OF_SCOPE
                : AuthorizationErrorCode.NOT_OWNER,
            );
          throw new DomainError(AuthorizationErrorCode.ACCESS_DENIED, { action: 'matches.upload-evidence' });
        }
        if (!EVIDENCE_STATES.includes(match.state))
          throw new DomainError(MatchesErrorCode.MATCH_EVIDENCE_NOT_ALLOWED_IN_STATE, { state: match.state });
      },
    );
  }
}

function toDto(row: MatchEvidenceEntity): MatchEvidenceDto {
  return {
    id: row.id,
    matchId: row.matchId,
    fileName: row.fileName,
    mimeType: row.mimeType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedByKind: row.uploadedByKind,
    uploadedAt: row.uploadedAt.toISOString(),
  };
}
