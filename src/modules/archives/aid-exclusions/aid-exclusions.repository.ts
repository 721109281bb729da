import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ArchiveAidExclusionEntity } from './archive-aid-exclusion.entity';

export interface NewAidExclusion {
  archiveId: string;
  year: number;
  reason: string;
  markedBy: string;
}

/** The only code that touches archive_aid_exclusions. */
@Injectable()
export class AidExclusionsRepository {
  constructor(
    @InjectRepository(ArchiveAidExclusionEntity)
    private readonly exclusions: Repository<ArchiveAidExclusionEntity>,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusions.manager.transaction(work);
  }

  exists(manager: EntityManager, archiveId: string, year: number): Promise<boolean> {
    return manager.getRepository(ArchiveAidExclusionEntity).existsBy({ archiveId, year });
  }

  insert(manager: EntityManager, values: NewAidExclusion): Promise<ArchiveAidExclusionEntity> {
    const repository = manager.getRepository(ArchiveAidExclusionEntity);
    return repository.save(repository.create(values));
  }
}
