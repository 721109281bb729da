import { Injectable, OnModuleInit } from '@nestjs/common';
import { regionPrefixes } from '../../common/regions/region-prefixes';
import type { IndexDefinition, SearchDocument } from '../../infra/search/search-engine';
import { SearchIndexRegistry, SearchIndexSource } from '../../infra/search/search-index.registry';
import { MENU_CATEGORY_NAMES } from '../menu/menu.enums';
import { OfferRow, OffersRepository } from './offers.repository';
import { OFFERS_INDEX } from './offers.service';

export const OFFERS_INDEX_DEFINITION: IndexDefinition = {
  name: OFFERS_INDEX,
  searchableFields: ['title', 'itemNames', 'categoryNames', 'description'],
  filterableFields: {
    items: 'string',
    categories: 'string',
    kind: 'string',
    state: 'string',
    hasRemaining: 'boolean',
    units: 'string',
    scopeUnit: 'string',
    partnerUnits: 'string',
    regions: 'string',
    scopeRegion: 'string',
    hasScopeUnit: 'boolean',
    hasScopeRegion: 'boolean',
    online: 'boolean',
    validFrom: 'number',
    validUntil: 'number',
    eligCategories: 'string',
    eligCauses: 'string',
    eligEmployment: 'string',
    ageMin: 'number',
    ageMax: 'number',
    incomeFactor: 'number',
    requiresActiveArchive: 'boolean',
    partnerActive: 'boolean',
    unionProgramme: 'boolean',
    updatedAt: 'number',
  },
  sortableFields: ['validUntil', 'validFrom', 'updatedAt'],
};

/**
 * An offer's search document, built field by field from its row: the menu items (codes, names,
 * categories), the partner's own title and description (segmented by the engine), kind, state, whether
 * anything remains, the scope (the scope unit and every unit above it; the region prefix), the location's
 * region prefixes, the online flag, the validity window (epoch days, China dates), the eligibility facets,
 * whether the partner is active, and when the offer last changed (the staff list's order). Never the contact (name or phone), the partner's name, nor any
 * personal number: none of them is copied, and digit runs and the contact's name are blanked in the partner's text.
 */
export function offerSearchDocument(row: OfferRow): SearchDocument {
  const categories = [...new Set(row.items.map((i) => i.category))];
  return {
    id: row.id,
    title: partnerText(row.title, row.contactName),
    description: partnerText(row.description ?? '', row.contactName),
    items: row.items.map((i) => i.code),
    itemNames: row.items.map((i) => i.name),
    categories,
    categoryNames: categories.map((c) => MENU_CATEGORY_NAMES[c]),
    kind: row.kind,
    state: row.state,
    hasRemaining: row.remaining > 0,
    units: row.scopeUnitPath ? row.scopeUnitPath.split('/').filter(Boolean) : [],
    scopeUnit: row.scopeOrgUnitId ? [row.scopeOrgUnitId] : [],
    partnerUnits: row.partnerUnitPath.split('/').filter(Boolean),
    regions: regionPrefixes(row.regionCode),
    scopeRegion: row.scopeRegionPrefix ? [row.scopeRegionPrefix] : [],
    // "No scope unit / region" as values the engine can filter on (an empty list matches no `eq`).
    hasScopeUnit: row.scopeOrgUnitId !== null,
    hasScopeRegion: row.scopeRegionPrefix !== null,
    online: row.online,
    validFrom: epochDay(row.validFrom),
    validUntil: epochDay(row.validUntil),
    eligCategories: [...row.eligCategories],
    eligCauses: [...row.eligCauses],
    eligEmployment: [...row.eligEmployment],
    ageMin: row.ageMin ?? 0,
    ageMax: row.ageMax ?? 200,
    incomeFactor: row.incomeFactor === null ? 0 : Number(row.incomeFactor),
    requiresActiveArchive: row.requiresActiveArchive,
    partnerActive: row.partnerStatus === 'approved',
    unionProgramme: row.partnerKind === 'union',
    updatedAt: row.updatedAt.getTime(),
  };
}

/**
 * The partner's text with every run of seven or more digits (spaces, dashes and a final X allowed) blanked:
 * input already refuses personal numbers there, and the index must not rely on that alone.
 */
export function withoutDigitRuns(text: string): string {
  return text.replace(/\d[\d -]{5,}[\dXx]/g, '＊＊＊');
}

/** Partner text for the index: digit runs blanked, and the contact person's name wherever it was typed. */
function partnerText(text: string, contactName: string): string {
  const blanked = withoutDigitRuns(text);
  return contactName ? blanked.split(contactName).join('＊＊') : blanked;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function epochDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** The `offers` index: documents from PostgreSQL for the outbox relay and `npm run reindex -- offers`. */
@Injectable()
export class OffersSearchSource implements SearchIndexSource, OnModuleInit {
  readonly definition = OFFERS_INDEX_DEFINITION;

  constructor(
    private readonly registry: SearchIndexRegistry,
    private readonly repository: OffersRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async load(ids: string[]): Promise<SearchDocument[]> {
    return (await this.repository.rows(ids)).map((row) => offerSearchDocument(row));
  }

  allIds(batchSize: number): AsyncIterable<string[]> {
    return this.repository.allIds(batchSize);
  }
}
