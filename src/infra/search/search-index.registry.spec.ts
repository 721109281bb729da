import { SearchIndexRegistry, SearchIndexSource } from './search-index.registry';
import { IndexDefinition } from './search-engine';

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title'],
  filterableFields: { status: 'string' },
};

function source(definition: IndexDefinition): SearchIndexSource {
  return {
    definition,
    load: async (ids) => ids.map((id) => ({ id })),
    async *allIds() {
      yield ['a'];
    },
  };
}

describe('SearchIndexRegistry', () => {
  it('keeps sources and their definitions by index name', () => {
    const registry = new SearchIndexRegistry();
    const s = source(offers);
    registry.register(s);
    expect(registry.definitions()).toEqual([offers]);
    expect(registry.source('offers')).toBe(s);
    expect(registry.sources()).toEqual([s]);
  });

  it('accepts a definition first and its source later', () => {
    const registry = new SearchIndexRegistry();
    registry.registerDefinition(offers);
    registry.register(source({ ...offers, filterableFields: { status: 'string' } }));
    expect(registry.definitions()).toHaveLength(1);
    expect(registry.source('offers').definition.name).toBe('offers');
  });

  it('rejects a second, different definition under the same name', () => {
    const registry = new SearchIndexRegistry();
    registry.registerDefinition(offers);
    expect(() => registry.registerDefinition({ ...offers, searchableFields: ['description'] })).toThrow(
      /定义不同/,
    );
  });

  it('rejects two sources for one index', () => {
    const registry = new SearchIndexRegistry();
    registry.register(source(offers));
    expect(() => registry.register(source(offers))).toThrow(/已注册了数据源/);
  });

  it('rejects an invalid definition at registration', () => {
    const registry = new SearchIndexRegistry();
    expect(() => registry.registerDefinition({ ...offers, name: 'Offers-2024' })).toThrow(/索引名/);
    expect(() => registry.registerDefinition({ ...offers, filterableFields: { AND: 'string' } })).toThrow(
      /保留字/,
    );
  });

  it('rejects registrations after the indexes were reconciled', () => {
    const registry = new SearchIndexRegistry();
    registry.seal();
    expect(() => registry.registerDefinition(offers)).toThrow(/onModuleInit/);
  });

  it('names what is missing', () => {
    const registry = new SearchIndexRegistry();
    registry.registerDefinition(offers);
    expect(() => registry.definition('needs')).toThrow(/needs/);
    expect(() => registry.source('offers')).toThrow(/没有注册数据源/);
  });
});
