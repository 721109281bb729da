import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { findUnmaskedPersonalData } from '../../common/masking';
import { regionPrefixes } from '../../common/regions/region-prefixes';
import type { IndexDefinition, SearchDocument } from '../../infra/search/search-engine';
import { SearchIndexRegistry, SearchIndexSource } from '../../infra/search/search-index.registry';
import { MENU_CATEGORY_NAMES } from '../menu/menu.enums';
import type { AgeBand } from './needs.enums';
import { NeedRow, NeedsRepository } from './needs.repository';
import { NEEDS_INDEX } from './needs.service';

export const NEEDS_INDEX_DEFINITION: IndexDefinition = {
  name: NEEDS_INDEX,
  searchableFields: ['itemName', 'categoryName', 'tags'],
  filterableFields: {
    item: 'string',
    category: 'string',
    tags: 'string',
    urgency: 'string',
    state: 'string',
    units: 'string',
    regions: 'string',
    mode: 'string',
    ageBand: 'string',
    archiveCategory: 'string',
    causes: 'string',
    waitingSince: 'number',
  },
  sortableFields: ['waitingSince', 'urgencyRank'],
};

const URGENCY_RANK = { emergency: 0, urgent: 1, normal: 2 } as const;

/**
 * A need's search document, from its row: the menu item (code, name, category), the picked tags (from the
 * item's own list), urgency, state, the archive's unit and every unit above it (ids from the path), the
 * region prefixes (province, city, county), the preferred mode, the beneficiary's age band, the archive's
 * category and causes, and when it started waiting. Nothing else of the row: no name, ID number, phone,
 * birth date, archive number or the worker's description — the document is built field by field.
 */
export function needSearchDocument(row: NeedRow, now: Date): SearchDocument {
  const birthDate = row.beneficiaryKey === 'head' ? row.headBirthDate : row.memberBirthDate;
  return {
    id: row.id,
    item: row.itemCode,
    itemName: row.itemName,
    category: row.itemCategory,
    categoryName: MENU_CATEGORY_NAMES[row.itemCategory],
    // Picked from the item's list (checked on create); anything that looks like personal data is dropped anyway.
    tags: row.tags.filter((tag) => findUnmaskedPersonalData(tag).length === 0).map(normalizeCode),
    urgency: row.urgency,
    urgencyRank: URGENCY_RANK[row.urgency],
    state: row.state,
    units: row.unitPath.split('/').filter(Boolean),
    regions: regionPrefixes(row.regionCode),
    mode: row.preferredMode,
    ageBand: birthDate ? ageBand(birthDate, now) : 'unknown',
    archiveCategory: row.archiveCategory,
    causes: [...row.archiveCauses],
    waitingSince: row.createdAt.getTime(),
  };
}

/** The age band on `now`'s date of someone born on `birthDate` (YYYY-MM-DD). */
export function ageBand(birthDate: string, now: Date): AgeBand {
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age -= 1;
  if (age < 6) return 'under_6';
  if (age < 18) return '6_17';
  if (age < 35) return '18_34';
  if (age < 60) return '35_59';
  return '60_plus';
}

/** Filter values are compared as Meilisearch does: lower case, NFKD. */
function normalizeCode(value: string): string {
  return value.normalize('NFKD').toLowerCase().trim();
}

/** The `needs` index: documents from PostgreSQL for the outbox relay and `npm run reindex -- needs`. */
@Injectable()
export class NeedsSearchSource implements SearchIndexSource, OnModuleInit {
  readonly definition = NEEDS_INDEX_DEFINITION;

  constructor(
    private readonly registry: SearchIndexRegistry,
    private readonly repository: NeedsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async load(ids: string[]): Promise<SearchDocument[]> {
    const now = this.clock.now();
    return (await this.repository.rows(ids)).map((row) => needSearchDocument(row, now));
  }

  allIds(batchSize: number): AsyncIterable<string[]> {
    return this.repository.allIds(batchSize);
  }
}
