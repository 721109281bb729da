import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import type { ArchiveStatus } from '../archive.enums';
import { ArchiveEvidenceEntity } from './archive-evidence.entity';

/** What evidence access needs to know about an archive: its state, its owner and its unit's path. */
export interface EvidenceArchiveFacts {
  id: string;
  status: ArchiveStatus;
  ownerUserId: string | null;
  orgPath: string;
}

export type NewEvidence = Omit<ArchiveEvidenceEntity, 'id' | 'archive' | 'deletedAt' | 'deletedBy'>;

/** The only code of the evidence side that touches TypeORM. */
@Injectable()
export class EvidenceRepository {
  constructor(
    @InjectRepository(ArchiveEvidenceEntity) private readonly evidence: Repository<ArchiveEvidenceEntity>,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.evidence.manager.transaction('READ COMMITTED', work);
  }

  /**
   * The archive's facts, or null. With `lock`, the archive row is locked FOR UPDATE until the transaction
   * ends: uploads and deletions on one archive then run one at a time (the count limit holds) and a
   * workflow transition cannot slip between the state check and the write.
   */
  async archiveFacts(
    id: string,
    options: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<EvidenceArchiveFacts | null> {
    const manager = options.manager ?? this.evidence.manager;
    const rows: Array<{ id: string; status: ArchiveStatus; owner_user_id: string | null; path: string }> =
      await manager.query(
        `SELECT a.id, a.status, a.owner_user_id, u.path
           FROM archives a JOIN org_units u ON u.id = a.org_unit_id
          WHERE a.id = $1
          ${options.lock ? 'FOR UPDATE OF a' : ''}`,
        [id],
      );
    const row = rows[0];
    return row ? { id: row.id, status: row.status, ownerUserId: row.owner_user_id, orgPath: row.path } : null;
  }

  /** Live (not deleted) evidence of an archive, oldest first. */
  listLive(archiveId: string): Promise<ArchiveEvidenceEntity[]> {
    return this.evidence.find({
      where: { archiveId, deletedAt: IsNull() },
      order: { uploadedAt: 'ASC', id: 'ASC' },
    });
  }

  findLive(
    archiveId: string,
    id: string,
    manager: EntityManager = this.evidence.manager,
  ): Promise<ArchiveEvidenceEntity | null> {
    return manager
      .getRepository(ArchiveEvidenceEntity)
      .findOne({ where: { id, archiveId, deletedAt: IsNull() } });
  }

  countLive(manager: EntityManager, archiveId: string): Promise<number> {
    return manager.getRepository(ArchiveEvidenceEntity).count({ where: { archiveId, deletedAt: IsNull() } });
  }

  findLiveBySha256(
    manager: EntityManager,
    archiveId: string,
    sha256: string,
  ): Promise<ArchiveEvidenceEntity | null> {
    return manager
      .getRepository(ArchiveEvidenceEntity)
      .findOne({ where: { archiveId, sha256, deletedAt: IsNull() } });
  }

  async insert(manager: EntityManager, values: NewEvidence): Promise<ArchiveEvidenceEntity> {
    return manager.getRepository(ArchiveEvidenceEntity).save(manager.create(ArchiveEvidenceEntity, values));
  }

  /** Marks the row deleted; false if it was already (a concurrent delete won). */
  async softDelete(manager: EntityManager, id: string, by: string, at: Date): Promise<boolean> {
    const result = await manager
      .getRepository(ArchiveEvidenceEntity)
      .update({ id, deletedAt: IsNull() }, { deletedAt: at, deletedBy: by });
    return (result.affected ?? 0) > 0;
  }
}
