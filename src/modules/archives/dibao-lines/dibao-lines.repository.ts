import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DibaoLineEntity } from './dibao-line.entity';
import { pickLineInForce } from './dibao-region.rule';

@Injectable()
export class DibaoLinesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('READ COMMITTED', work);
  }

  /**
   * The line in force on `date` among `regions` (most specific first): each region's newest line not
   * after the date, then the rule picks the most specific region's.
   */
  async lineInForce(
    regions: readonly string[],
    date: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DibaoLineEntity | null> {
    const latest = await manager
      .getRepository(DibaoLineEntity)
      .createQueryBuilder('l')
      .distinctOn(['l.region_code'])
      .where('l.region_code IN (:...regions)', { regions })
      .andWhere('l.effective_from <= :date', { date })
      .orderBy('l.region_code', 'ASC')
      .addOrderBy('l.effective_from', 'DESC')
      .getMany();
    return pickLineInForce(regions, latest, date);
  }

  async list(
    regionPrefix: string | undefined,
    window: { skip: number; take: number },
  ): Promise<{ rows: DibaoLineEntity[]; total: number }> {
    const qb = this.dataSource.getRepository(DibaoLineEntity).createQueryBuilder('l');
    if (regionPrefix) qb.where('l.region_code LIKE :prefix', { prefix: `${regionPrefix}%` });
    const [rows, total] = await qb
      .orderBy('l.region_code', 'ASC')
      .addOrderBy('l.effective_from', 'DESC')
      .skip(window.skip)
      .take(window.take)
      .getManyAndCount();
    return { rows, total };
  }

  /** Inserts unless the (region, date) pair exists; returns null then. */
  async insertIfAbsent(
    manager: EntityManager,
    values: Pick<
      DibaoLineEntity,
      'regionCode' | 'effectiveFrom' | 'monthlyAmountFen' | 'source' | 'createdBy'
    >,
  ): Promise<DibaoLineEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(DibaoLineEntity)
      .values(values)
      .orIgnore()
      .returning('*')
      .execute();
    const row = (result.raw as Record<string, unknown>[])[0];
    if (!row) return null;
    return manager.getRepository(DibaoLineEntity).findOneByOrFail({ id: row.id as string });
  }
}
