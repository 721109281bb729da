import { Injectable } from '@nestjs/common';
import { IndexDefinition, SearchDocument } from './search-engine';
import { assertValidDefinition } from './search-validation';

/**
 * Where an index's documents come from: the outbox relay loads changed ids, the reindex command
 * walks every id. Implementations read PostgreSQL and build documents with public text and filter
 * facts only (no raw personal data).
 */
export interface SearchIndexSource {
  definition: IndexDefinition;
  /** The documents for these ids; ids whose row is gone (or no longer indexable) are simply absent. */
  load(ids: string[]): Promise<SearchDocument[]>;
  /** Every id that belongs in the index, in batches of at most `batchSize`. */
  allIds(batchSize: number): AsyncIterable<string[]>;
}

interface Entry {
  definition: IndexDefinition;
  source?: SearchIndexSource;
}

/**
 * The indexes the application declares. Feature modules register in `onModuleInit` (a source, or a
 * bare definition while there is no source yet); SearchModule reconciles every registered
 * definition with the engine on application bootstrap, after which the registry is closed.
 */
@Injectable()
export class SearchIndexRegistry {
  private readonly entries = new Map<string, Entry>();
  private sealed = false;

  /** Registers an index with the source of its documents. */
  register(source: SearchIndexSource): void {
    const entry = this.add(source.definition);
    if (entry.source && entry.source !== source) {
      throw new Error(`搜索索引 ${source.definition.name} 已注册了数据源 (a source is already registered)`);
    }
    entry.source = source;
  }

  /** Registers an index definition alone (its documents are written by other means). */
  registerDefinition(definition: IndexDefinition): void {
    this.add(definition);
  }

  definitions(): IndexDefinition[] {
    return [...this.entries.values()].map((e) => e.definition);
  }

  definition(name: string): IndexDefinition {
    const entry = this.entries.get(name);
    if (!entry)
      throw new Error(
        `未注册的搜索索引 ${name} (registered: ${[...this.entries.keys()].join(', ') || 'none'})`,
      );
    return entry.definition;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The source of an index; throws when the index has none. */
  source(name: string): SearchIndexSource {
    const source = this.entries.get(name)?.source;
    if (!source) throw new Error(`搜索索引 ${name} 没有注册数据源 (no SearchIndexSource registered)`);
    return source;
  }

  sources(): SearchIndexSource[] {
    return [...this.entries.values()].flatMap((e) => (e.source ? [e.source] : []));
  }

  /** Called by SearchModule once the definitions have been reconciled; later registrations fail. */
  seal(): void {
    this.sealed = true;
  }

  private add(definition: IndexDefinition): Entry {
    if (this.sealed) {
      throw new Error(
        `搜索索引 ${definition.name} 注册过晚: 请在 onModuleInit 中注册 (indexes are reconciled on application bootstrap)`,
      );
    }
    assertValidDefinition(definition);
    const existing = this.entries.get(definition.name);
    if (existing) {
      if (canonical(existing.definition) !== canonical(definition)) {
        throw new Error(`搜索索引 ${definition.name} 重复注册且定义不同 (conflicting definitions)`);
      }
      return existing;
    }
    const entry: Entry = { definition };
    this.entries.set(definition.name, entry);
    return entry;
  }
}

function canonical(definition: IndexDefinition): string {
  return JSON.stringify({
    name: definition.name,
    searchableFields: definition.searchableFields,
    filterableFields: Object.entries(definition.filterableFields).sort(([a], [b]) => a.localeCompare(b)),
    sortableFields: [...(definition.sortableFields ?? [])].sort(),
  });
}
