import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DibaoLineEntity } from './dibao-line.entity';
import { pickLineInForce } from './dibao-region.rule';

@Injectable()
export class DibaoLinesRepository {
  constructor(@InjectRepository(DibaoLineEntity) private readonly lines: Repository<DibaoLineEntity>) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.lines.manager.transaction('READ COMMITTED', work);
  }

  /**
   * The line in force on `date` among `regions` (most specific first): each region's newest line not
   * after the date, then the rule picks the most specific region's.
   */
  async lineInForce(
    regions: readonly string[],
    date: string,
    manager: EntityManager = this.lines.manager,
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
    const qb = this.lines.createQueryBuilder('l');
    if (regionPrefix) qb.where('l.region_code LIKE :prefix', { prefix: `${regionPrefix}%` });
    const [rows, total] = await qb
      .orderBy('l.region_code', 'ASC')
      .addOrderBy('l.effective_from', 'DESC')
      .skip(window.skip)
      .take(window.take)
      .getManyAndCount();
    return { rows, total };
  }

  async lockById(manager: EntityManager, id: string): Promise<DibaoLineEntity | null> {
    return manager
      .getRepository(DibaoLineEntity)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.id = :id', { id })
      .getOne();
  }

  /** Changes a line; false when another line already holds the (region, date) pair. */
  async update(
    manager: EntityManager,
    id: string,
    values: Pick<DibaoLineEntity, 'effectiveFrom' | 'monthlyAmountFen' | 'source'>,
  ): Promise<boolean> {
    const clash = await manager
      .getRepository(DibaoLineEntity)
      .createQueryBuilder('l')
      .where('l.region_code = (SELECT region_code FROM dibao_lines WHERE id = :id)', { id })
      .andWhere('l.effective_from = :date', { date: values.effectiveFrom })
      .andWhere('l.id <> :id', { id })
      .getCount();
    if (clash > 0) return false;
    await manager.getRepository(DibaoLineEntity).update({ id }, values);
    return true;
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(DibaoLineEntity).delete({ id });
  }

  /**
   * Archives not ended whose application date is on or after `from` and whose region lies in `regionCode`
   * (a district itself, a city's or province's districts): the candidates a backdated line may affect.
   */
  async archivesAppliedSince(
    manager: EntityManager,
    regionCode: string,
    from: string,
    limit: number,
  ): Promise<
    { id: string; archiveNo: string | null; status: string; appliedOn: string; regionCode: string }[]
  > {
    const prefix = regionCode.endsWith('0000')
      ? regionCode.slice(0, 2)
      : regionCode.endsWith('00')
        ? regionCode.slice(0, 4)
        : regionCode;
    const rows: {
      id: string;
      archive_no: string | null;
      status: string;
      applied_on: string;
      region_code: string;
    }[] = await manager.query(
      `SELECT id, archive_no, status, to_char(applied_on, 'YYYY-MM-DD') AS applied_on, region_code
         FROM archives
        WHERE region_code LIKE $1 AND applied_on >= $2
          AND status NOT IN ('draft', 'rejected', 'exited', 'cancelled')
        ORDER BY applied_on, id LIMIT $3`,
      [`${prefix}%`, from, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      archiveNo: r.archive_no,
      status: r.status,
      appliedOn: r.applied_on,
      regionCode: r.region_code,
    }));
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
