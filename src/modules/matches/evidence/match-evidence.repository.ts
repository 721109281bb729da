import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { MatchState } from '../matches.enums';
import { MatchEvidenceEntity } from './match-evidence.entity';

export type NewMatchEvidence = Omit<MatchEvidenceEntity, 'id' | 'match'>;

/** The only code that touches the match_evidence table. */
@Injectable()
export class MatchEvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('READ COMMITTED', work);
  }

  /**
   * The match's state, its row locked until the transaction ends: uploads to one match run one at a time
   * (the count limit holds) and a state change cannot slip between the check and the write.
   */
  async lockedState(manager: EntityManager, matchId: string): Promise<MatchState | null> {
    const [row] = await manager.query(`SELECT state FROM matches WHERE id = $1 FOR UPDATE`, [matchId]);
    return (row?.state as MatchState | undefined) ?? null;
  }

  async findBySha256(
    manager: EntityManager,
    matchId: string,
    sha256: string,
  ): Promise<MatchEvidenceEntity | null> {
    return manager.getRepository(MatchEvidenceEntity).findOneBy({ matchId, sha256 });
  }

  count(manager: EntityManager, matchId: string): Promise<number> {
    return manager.getRepository(MatchEvidenceEntity).countBy({ matchId });
  }

  async insert(manager: EntityManager, values: NewMatchEvidence): Promise<MatchEvidenceEntity> {
    const repository = manager.getRepository(MatchEvidenceEntity);
    return repository.save(repository.create(values));
  }

  /** The match's evidence, oldest first. */
  list(matchId: string): Promise<MatchEvidenceEntity[]> {
    return this.dataSource
      .getRepository(MatchEvidenceEntity)
      .find({ where: { matchId }, order: { uploadedAt: 'ASC', id: 'ASC' } });
  }

  find(matchId: string, id: string): Promise<MatchEvidenceEntity | null> {
    return this.dataSource.getRepository(MatchEvidenceEntity).findOneBy({ matchId, id });
  }
}
