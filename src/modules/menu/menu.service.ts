import { createHash } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors';
import { findUnmaskedPersonalData } from '../../common/masking';
import { Page, pageOf } from '../../common/pagination/pagination';
import { AppConfig, type MenuItemConfig } from '../../config';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import {
  CreateMenuItemDto,
  DeactivateMenuItemDto,
  ActivateMenuItemDto,
  ListMenuItemsQueryDto,
  MenuCategoryDto,
  MenuDto,
  MenuItemAdminDto,
  MenuItemDto,
  UpdateMenuItemDto,
} from './dto/menu.dto';
import type { MenuItemEntity } from './menu-item.entity';
import { MENU_CATEGORIES, MENU_CATEGORY_NAMES } from './menu.enums';
import { MenuErrorCode } from './menu.errors';
import { MenuItemFields, MenuRepository, SeededMenuItem } from './menu.repository';
import { menuItemProblems } from './rules/menu-item.rule';

const SYSTEM_ACTOR = { kind: 'system', username: 'system' } as const;

/** The fields an administrator may change, in the order the audit row lists them. */
const EDITABLE_FIELDS = [
  'category',
  'name',
  'description',
  'unit',
  'maxPerNeed',
  'requiresActiveArchive',
  'acceptsTemporaryArchive',
  'beneficiary',
  'stages',
  'slaDays',
  'validityDays',
  'documents',
  'tags',
  'sortOrder',
] as const satisfies readonly (keyof MenuItemFields)[];

/** The public menu with its entity tag (a hash of the body), for conditional GETs. */
export interface TaggedMenu {
  menu: MenuDto;
  etag: string;
}

/**
 * The service menu (服务菜单): written from config/menu.yml at every start, read by anyone, changed by
 * administrators (audited). Items are never deleted, only deactivated.
 */
@Injectable()
export class MenuService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MenuService.name);

  constructor(
    private readonly repository: MenuRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.syncFromConfig();
    if (result.keptEdited.length > 0)
      this.logger.warn(
        `config/menu.yml 中以下项目有改动，但管理员已修改过这些项目，保留管理员的版本: ${result.keptEdited.join(', ')}`,
      );
  }

  /**
   * Writes config/menu.yml to the table (see MenuRepository.upsertSeeded) and audits what changed, in one
   * transaction.
   */
  async syncFromConfig(items: readonly MenuItemConfig[] = this.config.menu.items) {
    const seeded = items.map(seededItem);
    return this.repository.transaction(async (manager) => {
      const result = await this.repository.upsertSeeded(manager, seeded);
      if (result.inserted.length + result.updated.length > 0)
        await this.audit.record(
          {
            action: 'menu-item.seed',
            outcome: 'success',
            actor: SYSTEM_ACTOR,
            ip: null,
            target: { type: 'menu-item', id: null },
            details: { inserted: result.inserted, updated: result.updated },
          },
          manager,
        );
      return result;
    });
  }

  /** The active items grouped by category (fixed category order, items by sort order), with an ETag. */
  async publicMenu(): Promise<TaggedMenu> {
    const items = await this.repository.list(true);
    const categories: MenuCategoryDto[] = MENU_CATEGORIES.map((category) => ({
      category,
      name: MENU_CATEGORY_NAMES[category],
      items: items.filter((i) => i.category === category).map(publicView),
    })).filter((c) => c.items.length > 0);
    const menu = { categories };
    const etag = `"${createHash('sha256').update(JSON.stringify(menu)).digest('base64url').slice(0, 27)}"`;
    return { menu, etag };
  }

  /** One active item; 404 for an unknown or inactive code. */
  async publicItem(code: string): Promise<MenuItemDto> {
    const item = await this.repository.findByCode(code);
    if (!item || !item.active) throw new DomainError(MenuErrorCode.MENU_ITEM_NOT_FOUND, { code });
    return publicView(item);
  }

  /** An item by code, active or not (for needs and offers, which check `active` themselves). */
  findItem(code: string): Promise<MenuItemEntity | null> {
    return this.repository.findByCode(code);
  }

  /** How many days a need of the item stays open (its validity), read in the caller's transaction. */
  async validityDaysOf(id: string, manager?: EntityManager): Promise<number> {
    const item = await this.repository.findById(id, manager);
    // A need's item is a foreign key and items are never deleted: a missing one is a bug, not a 404.
    if (!item) throw new Error(`menu item ${id} missing`);
    return item.validityDays;
  }

  async list(query: ListMenuItemsQueryDto): Promise<Page<MenuItemAdminDto>> {
    const q = query.q?.toLowerCase();
    const matching = (await this.repository.list(false))
      .filter((i) => !query.category || i.category === query.category)
      .filter((i) => !query.active || String(i.active) === query.active)
      .filter((i) => !q || i.code.includes(q) || i.name.toLowerCase().includes(q))
      .sort(
        (a, b) =>
          MENU_CATEGORIES.indexOf(a.category) - MENU_CATEGORIES.indexOf(b.category) ||
          a.sortOrder - b.sortOrder ||
          a.code.localeCompare(b.code),
      );
    const start = (query.page - 1) * query.pageSize;
    return pageOf(matching.slice(start, start + query.pageSize).map(adminView), matching.length, query);
  }

  async get(code: string): Promise<MenuItemAdminDto> {
    const item = await this.repository.findByCode(code);
    if (!item) throw new DomainError(MenuErrorCode.MENU_ITEM_NOT_FOUND, { code });
    return adminView(item);
  }

  async create(principal: Principal, dto: CreateMenuItemDto): Promise<MenuItemAdminDto> {
    const fields = menuItemFields(dto);
    assertNoPersonalData(textsOf(dto));
    assertConsistent(fields);
    const created = await this.repository.transaction(async (manager) => {
      const item = await this.repository.insert(manager, {
        ...fields,
        code: dto.code,
        editedBy: principal.userId,
      });
      if (!item) throw new DomainError(MenuErrorCode.MENU_ITEM_CODE_TAKEN, { code: dto.code });
      await this.audit.record(
        {
          action: 'menu-item.create',
          outcome: 'success',
          actor: principal,
          target: { type: 'menu-item', id: item.id },
          details: { code: item.code, category: item.category, unit: item.unit },
        },
        manager,
      );
      return item;
    });
    return adminView(created);
  }

  /** Changes the fields sent, at the version read; the item then no longer follows config/menu.yml. */
  async update(principal: Principal, code: string, dto: UpdateMenuItemDto): Promise<MenuItemAdminDto> {
    assertNoPersonalData(textsOf(dto));
    return this.change(principal, code, dto.version, 'menu-item.update', (item) => {
      const changed: string[] = [];
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const field of EDITABLE_FIELDS) {
        const value = dto[field];
        if (value === undefined || JSON.stringify(value) === JSON.stringify(item[field])) continue;
        before[field] = item[field];
        after[field] = value;
        (item as unknown as Record<string, unknown>)[field] = value;
        changed.push(field);
      }
      assertConsistent(item);
      return { changed, before, after };
    });
  }

  /** Hides the item from the menu; needs and offers that use it keep it. */
  async deactivate(
    principal: Principal,
    code: string,
    dto: DeactivateMenuItemDto,
  ): Promise<MenuItemAdminDto> {
    assertNoPersonalData({ reason: dto.reason });
    return this.change(principal, code, dto.version, 'menu-item.deactivate', (item) => {
      if (!item.active) throw new DomainError(MenuErrorCode.MENU_ITEM_ALREADY_IN_STATE, { active: false });
      item.active = false;
      return { reason: dto.reason };
    });
  }

  async activate(principal: Principal, code: string, dto: ActivateMenuItemDto): Promise<MenuItemAdminDto> {
    return this.change(principal, code, dto.version, 'menu-item.activate', (item) => {
      if (item.active) throw new DomainError(MenuErrorCode.MENU_ITEM_ALREADY_IN_STATE, { active: true });
      item.active = true;
      return {};
    });
  }

  /**
   * Locks the item, checks the version, applies `edit` (which returns the audit details), saves it as
   * the administrator's and writes the audit row, in one transaction.
   */
  private async change(
    principal: Principal,
    code: string,
    version: number,
    action: string,
    edit: (item: MenuItemEntity) => Record<string, unknown>,
  ): Promise<MenuItemAdminDto> {
    const saved = await this.repository.transaction(async (manager) => {
      const item = await this.repository.findByCodeForUpdate(manager, code);
      if (!item) throw new DomainError(MenuErrorCode.MENU_ITEM_NOT_FOUND, { code });
      if (item.version !== version)
        throw new DomainError(MenuErrorCode.MENU_ITEM_VERSION_CONFLICT, { currentVersion: item.version });
      const details = edit(item);
      item.editedBy = principal.userId;
      const written = await this.repository.update(manager, item);
      await this.audit.record(
        {
          action,
          outcome: 'success',
          actor: principal,
          target: { type: 'menu-item', id: item.id },
          details: { code, ...details },
        },
        manager,
      );
      return written;
    });
    return adminView(saved);
  }
}

/** The menu is public and its texts go into audit rows: refuse an ID, phone or bank card number in any. */
function assertNoPersonalData(texts: Record<string, string | readonly string[] | undefined>): void {
  for (const [field, value] of Object.entries(texts)) {
    if (value === undefined) continue;
    const all = typeof value === 'string' ? [value] : value;
    if (all.some((text) => findUnmaskedPersonalData(text).length > 0))
      throw new DomainError(MenuErrorCode.MENU_TEXT_CONTAINS_PERSONAL_DATA, { field });
  }
}

function assertConsistent(item: MenuItemFields): void {
  const problems = menuItemProblems(item);
  if (problems.length > 0) throw new DomainError(MenuErrorCode.MENU_ITEM_INCONSISTENT, { problems });
}

function textsOf(dto: Partial<CreateMenuItemDto>) {
  return { name: dto.name, description: dto.description, documents: dto.documents, tags: dto.tags };
}

/** A config entry as written to the table, with the hash that tells whether the file changed it since. */
export function seededItem(entry: MenuItemConfig): SeededMenuItem {
  const fields = { code: entry.code, ...menuItemFields(entry) };
  return { ...fields, configHash: createHash('sha256').update(JSON.stringify(fields)).digest('hex') };
}

/**
 * An item's stored fields from an administrator's new item or a config/menu.yml entry: lists copied,
 * what may be left out filled in (no stages, documents or tags; active; sort order 0).
 */
function menuItemFields(source: Omit<CreateMenuItemDto, 'code'> & { active?: boolean }): MenuItemFields {
  return {
    category: source.category,
    name: source.name,
    description: source.description,
    unit: source.unit,
    maxPerNeed: source.maxPerNeed,
    requiresActiveArchive: source.requiresActiveArchive,
    acceptsTemporaryArchive: source.acceptsTemporaryArchive,
    beneficiary: source.beneficiary,
    stages: [...(source.stages ?? [])],
    slaDays: source.slaDays,
    validityDays: source.validityDays,
    documents: [...(source.documents ?? [])],
    tags: [...(source.tags ?? [])],
    active: source.active ?? true,
    sortOrder: source.sortOrder ?? 0,
  };
}

function publicView(item: MenuItemEntity): MenuItemDto {
  return {
    code: item.code,
    category: item.category,
    categoryName: MENU_CATEGORY_NAMES[item.category],
    name: item.name,
    description: item.description,
    unit: item.unit,
    maxPerNeed: item.maxPerNeed,
    requiresActiveArchive: item.requiresActiveArchive,
    acceptsTemporaryArchive: item.acceptsTemporaryArchive,
    beneficiary: item.beneficiary,
    stages: item.stages,
    slaDays: item.slaDays,
    validityDays: item.validityDays,
    documents: item.documents,
    tags: item.tags,
  };
}

function adminView(item: MenuItemEntity): MenuItemAdminDto {
  return {
    ...publicView(item),
    id: item.id,
    active: item.active,
    sortOrder: item.sortOrder,
    version: item.version,
    followsConfig: item.configHash !== null && item.editedBy === null,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}
