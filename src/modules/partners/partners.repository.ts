import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PartnerEntity } from './partner.entity';

/** The only code that touches the partners table. */
@Injectable()
export class PartnersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<PartnerEntity | null> {
    return manager.getRepository(PartnerEntity).findOne({ where: { id } });
  }

  /** The unit's own `union` partner (one per unit, created with it). */
  findUnionPartnerOf(
    unitId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PartnerEntity | null> {
    return manager.getRepository(PartnerEntity).findOne({ where: { orgUnitId: unitId, kind: 'union' } });
  }
}
