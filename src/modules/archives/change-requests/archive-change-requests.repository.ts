import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ArchiveChangeRequestEntity, type ProposedChange } from './archive-change-request.entity';

/** Change requests' persistence. */
@Injectable()
export class ArchiveChangeRequestsRepository {
  constructor(
    @InjectRepository(ArchiveChangeRequestEntity)
    private readonly changeRequests: Repository<ArchiveChangeRequestEntity>,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.changeRequests.manager.transaction(work);
  }

  pendingOf(manager: EntityManager, archiveId: string): Promise<ArchiveChangeRequestEntity | null> {
    return manager
      .getRepository(ArchiveChangeRequestEntity)
      .findOne({ where: { archiveId, status: 'pending' } });
  }

  async insert(
    manager: EntityManager,
    row: {
      archiveId: string;
      baseVersion: number;
      changes: ProposedChange;
      reason: string;
      requestedBy: string;
      requestedAt: Date;
    },
  ): Promise<ArchiveChangeRequestEntity> {
    const repo = manager.getRepository(ArchiveChangeRequestEntity);
    const result = await repo.insert({
      ...row,
      status: 'pending',
    } as QueryDeepPartialEntity<ArchiveChangeRequestEntity>);
    return repo.findOneOrFail({ where: { id: (result.identifiers[0] as { id: string }).id } });
  }

  lock(manager: EntityManager, archiveId: string, id: string): Promise<ArchiveChangeRequestEntity | null> {
    return manager
      .getRepository(ArchiveChangeRequestEntity)
      .findOne({ where: { id, archiveId }, lock: { mode: 'pessimistic_write' } });
  }

  async decide(
    manager: EntityManager,
    id: string,
    decision: Pick<ArchiveChangeRequestEntity, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote'>,
  ): Promise<ArchiveChangeRequestEntity> {
    const repo = manager.getRepository(ArchiveChangeRequestEntity);
    await repo.update({ id }, decision);
    return repo.findOneOrFail({ where: { id } });
  }

  listOf(archiveId: string): Promise<ArchiveChangeRequestEntity[]> {
    return this.changeRequests.find({ where: { archiveId }, order: { requestedAt: 'DESC' } });
  }
}
