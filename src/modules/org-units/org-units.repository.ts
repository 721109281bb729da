import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository, SelectQueryBuilder } from 'typeorm';
import { pageWindow, PaginationQueryDto } from '../../common/pagination/pagination';
import { OrgLevel, OrgUnitEntity } from './org-unit.entity';

export interface SubtreeFilter {
  level?: OrgLevel;
  parentId?: string;
  /** Name contains (case-insensitive). */
  q?: string;
}

export interface NewOrgUnit {
  parentId: string | null;
  name: string;
  level: OrgLevel;
  regionCode: string;
  /** 产业工会 (default false). */
  industry?: boolean;
}

/** Which backstop constraint a failed insert hit. */
export type OrgUnitConflict = 'name_taken' | 'root_exists';

const CONFLICT_BY_CONSTRAINT: Record<string, OrgUnitConflict> = {
  uq_org_units_parent_name: 'name_taken',
  uq_org_units_single_root: 'root_exists',
};

/** Top-down order of the levels, for listing a subtree the way a union reads it. */
const LEVEL_ORDER_SQL = `array_position(ARRAY['national','province','city','district','grassroots','branch']::varchar[], unit.level)`;

/** The only code that touches the org_units table. */
@Injectable()
export class OrgUnitsRepository {
  constructor(@InjectRepository(OrgUnitEntity) private readonly units: Repository<OrgUnitEntity>) {}

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.units.manager.transaction(work);
  }

  async findById(id: string, manager: EntityManager = this.units.manager): Promise<OrgUnitEntity | null> {
    return manager.getRepository(OrgUnitEntity).findOne({ where: { id } });
  }

  async findByIds(
    ids: readonly string[],
    manager: EntityManager = this.units.manager,
  ): Promise<OrgUnitEntity[]> {
    if (ids.length === 0) return [];
    return manager
      .getRepository(OrgUnitEntity)
      .createQueryBuilder('unit')
      .where('unit.id = ANY(:ids::uuid[])', { ids: [...new Set(ids)] })
      .getMany();
  }

  async findRoot(manager: EntityManager = this.units.manager): Promise<OrgUnitEntity | null> {
    return manager
      .getRepository(OrgUnitEntity)
      .createQueryBuilder('unit')
      .where('unit.parent_id IS NULL')
      .getOne();
  }

  async findChildByName(
    parentId: string | null,
    name: string,
    manager: EntityManager = this.units.manager,
  ): Promise<OrgUnitEntity | null> {
    const query = manager
      .getRepository(OrgUnitEntity)
      .createQueryBuilder('unit')
      .where('unit.name = :name', { name });
    if (parentId === null) query.andWhere('unit.parent_id IS NULL');
    else query.andWhere('unit.parent_id = :parentId', { parentId });
    return query.getOne();
  }

  /** One page of the units whose path starts with `rootPath` (the subtree, root included), top down. */
  async listSubtree(
    rootPath: string,
    filter: SubtreeFilter,
    page: PaginationQueryDto,
  ): Promise<{ items: OrgUnitEntity[]; total: number }> {
    const [items, total] = await this.subtreePageQuery(rootPath, filter, page).getManyAndCount();
    return { items, total };
  }

  /** The page query listSubtree runs (exposed so that its plan can be checked against the index). */
  subtreePageQuery(
    rootPath: string,
    filter: SubtreeFilter,
    page: PaginationQueryDto,
  ): SelectQueryBuilder<OrgUnitEntity> {
    const { skip, take } = pageWindow(page);
    return this.subtreeQuery(rootPath, filter)
      .orderBy(LEVEL_ORDER_SQL, 'ASC')
      .addOrderBy('unit.region_code', 'ASC')
      .addOrderBy('unit.name', 'ASC')
      .addOrderBy('unit.id', 'ASC')
      .skip(skip)
      .take(take);
  }

  /**
   * The subtree query: a prefix LIKE on `path`, which the text_pattern_ops index `idx_org_units_path`
   * answers as a range scan. The prefix is escaped although paths hold only uuids and slashes.
   */
  subtreeQuery(rootPath: string, filter: SubtreeFilter = {}): SelectQueryBuilder<OrgUnitEntity> {
    const query = this.units
      .createQueryBuilder('unit')
      .where(`unit.path LIKE :prefix`, { prefix: `${escapeLike(rootPath)}%` });
    if (filter.level) query.andWhere('unit.level = :level', { level: filter.level });
    if (filter.parentId) query.andWhere('unit.parent_id = :parentId', { parentId: filter.parentId });
    if (filter.q) query.andWhere(`unit.name ILIKE :q`, { q: `%${escapeLike(filter.q)}%` });
    return query;
  }

  /**
   * Inserts a unit with its materialized path in one statement: the id is drawn first so that the path
   * (the parent's path, or `/` for the root, then the id) is complete when the row appears. Returns the
   * unit, or the backstop constraint that refused it.
   */
  async insert(manager: EntityManager, unit: NewOrgUnit): Promise<OrgUnitEntity | OrgUnitConflict> {
    try {
      const rows: Array<{ id: string }> = await manager.query(
        `WITH fresh AS (SELECT gen_random_uuid() AS id),
              parent AS (SELECT path FROM org_units WHERE id = $1::uuid)
         INSERT INTO org_units (id, parent_id, name, level, region_code, industry, path)
         SELECT fresh.id, $1::uuid, $2, $3, $4, $5,
                CASE WHEN $1::uuid IS NULL THEN '/' ELSE (SELECT path FROM parent) END || fresh.id::text || '/'
           FROM fresh
         RETURNING id`,
        [unit.parentId, unit.name, unit.level, unit.regionCode, unit.industry ?? false],
      );
      const created = await this.findById(rows[0].id, manager);
      if (!created) throw new Error('inserted org unit not readable in its own transaction');
      return created;
    } catch (error) {
      const conflict = conflictOf(error);
      if (conflict) return conflict;
      throw error;
    }
  }
}

function conflictOf(error: unknown): OrgUnitConflict | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string; constraint?: string };
  if (driverError.code !== '23505' || !driverError.constraint) return null;
  return CONFLICT_BY_CONSTRAINT[driverError.constraint] ?? null;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
