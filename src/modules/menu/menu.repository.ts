import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { MenuItemEntity } from './menu-item.entity';

/** The writable fields of an item (everything but id, code, bookkeeping). */
export type MenuItemFields = Pick<
  MenuItemEntity,
  | 'category'
  | 'name'
  | 'description'
  | 'unit'
  | 'maxPerNeed'
  | 'requiresActiveArchive'
  | 'acceptsTemporaryArchive'
  | 'beneficiary'
  | 'stages'
  | 'slaDays'
  | 'validityDays'
  | 'documents'
  | 'tags'
  | 'active'
  | 'sortOrder'
>;

/** One config/menu.yml entry as written at start, with the hash of its content. */
export type SeededMenuItem = MenuItemFields & { code: string; configHash: string };

/** What a start-time write of config/menu.yml did, item by item. */
export interface MenuSyncResult {
  inserted: string[];
  updated: string[];
  /** Entries changed in the file whose item an administrator edited since: kept as edited. */
  keptEdited: string[];
}

/** Each column of the upsert: its name, the SQL type its parameter is cast to, and its value. */
const SEED_COLUMNS: readonly { column: string; cast: string; value: (item: SeededMenuItem) => unknown }[] = [
  { column: 'code', cast: 'varchar', value: (i) => i.code },
  { column: 'category', cast: 'varchar', value: (i) => i.category },
  { column: 'name', cast: 'varchar', value: (i) => i.name },
  { column: 'description', cast: 'varchar', value: (i) => i.description },
  { column: 'unit', cast: 'varchar', value: (i) => i.unit },
  { column: 'max_per_need', cast: 'int', value: (i) => i.maxPerNeed },
  { column: 'requires_active_archive', cast: 'boolean', value: (i) => i.requiresActiveArchive },
  { column: 'accepts_temporary_archive', cast: 'boolean', value: (i) => i.acceptsTemporaryArchive },
  { column: 'beneficiary', cast: 'varchar', value: (i) => i.beneficiary },
  { column: 'stages', cast: 'varchar[]', value: (i) => i.stages },
  { column: 'sla_days', cast: 'int', value: (i) => i.slaDays },
  { column: 'validity_days', cast: 'int', value: (i) => i.validityDays },
  { column: 'documents', cast: 'jsonb', value: (i) => JSON.stringify(i.documents) },
  { column: 'tags', cast: 'jsonb', value: (i) => JSON.stringify(i.tags) },
  { column: 'active', cast: 'boolean', value: (i) => i.active },
  { column: 'sort_order', cast: 'int', value: (i) => i.sortOrder },
  { column: 'config_hash', cast: 'varchar', value: (i) => i.configHash },
];

/** The only code that touches the menu_items table. */
@Injectable()
export class MenuRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Every item (the inactive too when `activeOnly` is false), by category order then sort order. */
  list(activeOnly: boolean): Promise<MenuItemEntity[]> {
    const qb = this.dataSource
      .getRepository(MenuItemEntity)
      .createQueryBuilder('m')
      .orderBy('m.sort_order', 'ASC')
      .addOrderBy('m.code', 'ASC');
    if (activeOnly) qb.where('m.active');
    return qb.getMany();
  }

  findByCode(code: string, manager: EntityManager = this.dataSource.manager): Promise<MenuItemEntity | null> {
    return manager.getRepository(MenuItemEntity).findOne({ where: { code } });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<MenuItemEntity | null> {
    return manager.getRepository(MenuItemEntity).findOne({ where: { id } });
  }

  /** The item, locked for update; null if there is none. */
  findByCodeForUpdate(manager: EntityManager, code: string): Promise<MenuItemEntity | null> {
    return manager
      .getRepository(MenuItemEntity)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.code = :code', { code })
      .getOne();
  }

  /** Inserts a new item; false if its code is taken. */
  async insert(
    manager: EntityManager,
    values: MenuItemFields & { code: string; editedBy: string },
  ): Promise<MenuItemEntity | null> {
    try {
      return await manager
        .getRepository(MenuItemEntity)
        .save(manager.create(MenuItemEntity, { ...values, configHash: null }));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_menu_items_code')) return null;
      throw error;
    }
  }

  /** Writes an administrator's change of a locked item, bumping its version. */
  async update(manager: EntityManager, item: MenuItemEntity): Promise<MenuItemEntity> {
    return manager.getRepository(MenuItemEntity).save(item);
  }

  /**
   * Writes the shipped items in one statement (safe when several instances start at once): new codes are
   * inserted; an item whose file entry changed is updated unless an administrator edited it since.
   */
  async upsertSeeded(manager: EntityManager, items: readonly SeededMenuItem[]): Promise<MenuSyncResult> {
    if (items.length === 0) return { inserted: [], updated: [], keptEdited: [] };
    const params: unknown[] = [];
    const rows = items.map((item) => {
      const placeholders = SEED_COLUMNS.map(({ cast, value }) => {
        params.push(value(item));
        return `$${params.length}::${cast}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    const updates = SEED_COLUMNS.filter(({ column }) => column !== 'code')
      .map(({ column }) => `"${column}" = EXCLUDED."${column}"`)
      .join(', ');
    const written: { code: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO menu_items (${SEED_COLUMNS.map(({ column }) => `"${column}"`).join(', ')})
       VALUES ${rows.join(', ')}
       ON CONFLICT (code) DO UPDATE SET ${updates}, version = menu_items.version + 1, updated_at = now()
         WHERE menu_items.edited_by IS NULL AND menu_items.config_hash IS DISTINCT FROM EXCLUDED.config_hash
       RETURNING code, (xmax = 0) AS inserted`,
      params,
    );
    const writtenCodes = new Set(written.map((w) => w.code));
    const changedElsewhere: { code: string }[] = await manager.query(
      `SELECT code FROM menu_items
        WHERE code = ANY($1::varchar[]) AND edited_by IS NOT NULL
          AND config_hash IS DISTINCT FROM (SELECT h FROM unnest($1::varchar[], $2::varchar[]) AS s(c, h) WHERE s.c = menu_items.code)`,
      [items.map((i) => i.code), items.map((i) => i.configHash)],
    );
    return {
      inserted: written.filter((w) => w.inserted).map((w) => w.code),
      updated: written.filter((w) => !w.inserted).map((w) => w.code),
      keptEdited: changedElsewhere.map((r) => r.code).filter((code) => !writtenCodes.has(code)),
    };
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' && driver.constraint === constraint;
}
