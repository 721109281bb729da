import { FallbackSearchEngine } from './fallback.engine';
import {
  InvalidSearchFilterError,
  SearchEngineUnavailableError,
  SearchPrimaryUnavailableError,
  SearchRequestRejectedError,
  SearchTaskFailedError,
  SearchTaskPendingError,
} from './search-errors';
import {
  EngineHealth,
  IndexDefinition,
  SearchDocument,
  SearchEngine,
  SearchEngineName,
  SearchQuery,
  SearchResult,
} from './search-engine';

/** An in-memory engine whose availability the test switches on and off. */
class MemoryEngine implements SearchEngine {
  readonly docs = new Map<string, Map<string, SearchDocument>>();
  readonly ensured: string[] = [];
  up = true;
  /** When set, the next write fails with this error (engine stays up). */
  failNextWrite?: Error;
  searches = 0;
  closed = false;

  constructor(readonly name: SearchEngineName) {}

  async ensureIndex(definition: IndexDefinition): Promise<void> {
    this.check();
    this.ensured.push(definition.name);
    if (!this.docs.has(definition.name)) this.docs.set(definition.name, new Map());
  }

  async upsert(index: string, documents: SearchDocument[]): Promise<void> {
    this.write();
    for (const d of documents) this.index(index).set(d.id, d);
  }

  async delete(index: string, ids: string[]): Promise<void> {
    this.write();
    for (const id of ids) this.index(index).delete(id);
  }

  async clear(index: string): Promise<void> {
    this.write();
    this.index(index).clear();
  }

  async replaceAll(index: string, batches: () => AsyncIterable<SearchDocument[]>): Promise<number> {
    this.write();
    const copy = new Map<string, SearchDocument>();
    for await (const batch of batches()) for (const d of batch) copy.set(d.id, d);
    this.docs.set(index, copy);
    return copy.size;
  }

  async count(index: string): Promise<number> {
    this.check();
    return this.index(index).size;
  }

  /** When set, searches fail with this error (engine stays up). */
  searchError?: Error;

  async search(index: string, query: SearchQuery): Promise<SearchResult> {
    this.check();
    this.searches++;
    if (this.searchError) throw this.searchError;
    if (query.filter && query.filter.op === 'eq' && query.filter.field === 'forbidden') {
      throw new InvalidSearchFilterError('forbidden is not filterable');
    }
    const hits = [...this.index(index).keys()].sort().map((id) => ({ id, score: 1 }));
    return { hits, total: hits.length, totalCapped: false, engine: this.name };
  }

  async health(): Promise<EngineHealth> {
    return this.up ? { ok: true } : { ok: false, detail: `${this.name} unreachable` };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  ids(index: string): string[] {
    return [...this.index(index).keys()].sort();
  }

  private index(name: string): Map<string, SearchDocument> {
    const index = this.docs.get(name);
    if (!index) throw new Error(`no index ${name}`);
    return index;
  }

  private check(): void {
    if (!this.up) throw new SearchEngineUnavailableError(`connect ECONNREFUSED (${this.name})`);
  }

  private write(): void {
    this.check();
    const error = this.failNextWrite;
    this.failNextWrite = undefined;
    if (error) throw error;
  }
}

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title'],
  filterableFields: { status: 'string' },
};
const INTERVAL = 1000;

describe('FallbackSearchEngine', () => {
  let primary: MemoryEngine;
  let fallback: MemoryEngine;
  let engine: FallbackSearchEngine;
  const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };

  beforeEach(async () => {
    jest.useFakeTimers();
    primary = new MemoryEngine('meilisearch');
    fallback = new MemoryEngine('postgres');
    engine = new FallbackSearchEngine(primary, fallback, { healthCheckIntervalMs: INTERVAL, logger });
    await engine.ensureIndex(offers);
    await engine.probe(); // both empty: the primary takes the index
  });

  afterEach(async () => {
    await engine.close();
    jest.useRealTimers();
  });

  it('searches the primary while it is healthy', async () => {
    await engine.upsert('offers', [{ id: 'a', title: '电工' }]);
    const result = await engine.search('offers', { q: '电工' });
    expect(result).toEqual({
      hits: [{ id: 'a', score: 1 }],
      total: 1,
      totalCapped: false,
      engine: 'meilisearch',
    });
    expect(fallback.searches).toBe(0);
    expect(engine.status()).toEqual({ primary: 'up', active: 'meilisearch', fallbackActive: false });
  });

  it('writes to both engines', async () => {
    await engine.upsert('offers', [{ id: 'a' }, { id: 'b' }]);
    await engine.delete('offers', ['a']);
    expect(primary.ids('offers')).toEqual(['b']);
    expect(fallback.ids('offers')).toEqual(['b']);
    await engine.clear('offers');
    expect(primary.ids('offers')).toEqual([]);
    expect(fallback.ids('offers')).toEqual([]);
  });

  it('serves from the fallback when a primary search fails, and reports it', async () => {
    await engine.upsert('offers', [{ id: 'a' }]);
    primary.up = false;
    const result = await engine.search('offers', {});
    expect(result.engine).toBe('postgres');
    expect(result.hits).toEqual([{ id: 'a', score: 1 }]);
    expect(engine.status()).toMatchObject({
      primary: 'down',
      active: 'postgres',
      fallbackActive: true,
      detail: 'connect ECONNREFUSED (meilisearch)',
    });
    expect(engine.status().downSince).toEqual(expect.any(String));
  });

  it('does not fail over on a usage error (the fallback would reject it too)', async () => {
    await expect(
      engine.search('offers', { filter: { op: 'eq', field: 'forbidden', value: 1 } }),
    ).rejects.toThrow(InvalidSearchFilterError);
    expect(engine.status().primary).toBe('up');
  });

  it('stays on the fallback until a probe finds the primary healthy, then switches back', async () => {
    primary.up = false;
    await engine.search('offers', {});
    const searchesBefore = primary.searches;

    await jest.advanceTimersByTimeAsync(INTERVAL * 3);
    expect(engine.status().primary).toBe('down');
    expect((await engine.search('offers', {})).engine).toBe('postgres');
    expect(primary.searches).toBe(searchesBefore); // not retried on every search

    primary.up = true;
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(engine.status()).toEqual({ primary: 'up', active: 'meilisearch', fallbackActive: false });
    expect((await engine.search('offers', {})).engine).toBe('meilisearch');
  });

  it('reconciles every index on the primary before switching back', async () => {
    primary.up = false;
    await engine.search('offers', {});
    const other: IndexDefinition = { name: 'needs', searchableFields: ['text'], filterableFields: {} };
    await engine.ensureIndex(other); // primary down: only the fallback now
    expect(primary.ensured).not.toContain('needs');
    expect(fallback.ensured).toContain('needs');

    primary.up = true;
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(primary.ensured).toContain('needs');
    expect(engine.status()).toMatchObject({ primary: 'up', fallbackActive: false });
    expect((await engine.search('needs', {})).engine).toBe('meilisearch');
  });

  it('marks the primary down when its health check fails, and stays healthy on the fallback', async () => {
    primary.up = false;
    const health = await engine.health();
    expect(health.ok).toBe(true);
    expect(health.detail).toContain('meilisearch: down (meilisearch unreachable)');
    expect(health.detail).toContain('searches of offers served by postgres');
    expect(engine.status().fallbackActive).toBe(true);
  });

  it('is unhealthy when the fallback is down', async () => {
    fallback.up = false;
    expect((await engine.health()).ok).toBe(false);
  });

  it('while the primary is down, writes reach the fallback and then throw so the caller retries', async () => {
    primary.up = false;
    await engine.search('offers', {});

    await expect(engine.upsert('offers', [{ id: 'a' }])).rejects.toThrow(SearchPrimaryUnavailableError);
    expect(fallback.ids('offers')).toEqual(['a']);

    primary.up = true;
    await jest.advanceTimersByTimeAsync(INTERVAL);
    await engine.upsert('offers', [{ id: 'a' }]); // the retry
    expect(primary.ids('offers')).toEqual(['a']);
  });

  it('a failing primary write throws after the fallback was written, and marks the primary down', async () => {
    primary.up = false;
    await expect(engine.upsert('offers', [{ id: 'a' }])).rejects.toThrow('ECONNREFUSED');
    expect(fallback.ids('offers')).toEqual(['a']);
    expect(engine.status().primary).toBe('down');
  });

  it('a failed primary task throws but does not mark the primary down (the data is wrong, not the engine)', async () => {
    primary.failNextWrite = new SearchTaskFailedError('Meilisearch 任务 7 失败: invalid_document_id');
    await expect(engine.upsert('offers', [{ id: 'a' }])).rejects.toThrow(/invalid_document_id/);
    expect(engine.status().primary).toBe('up');
  });

  it('a failing fallback write throws even when the primary took it', async () => {
    fallback.failNextWrite = new Error('deadlock detected');
    await expect(engine.upsert('offers', [{ id: 'a' }])).rejects.toThrow('deadlock detected');
    expect(primary.ids('offers')).toEqual(['a']);
  });

  it('a primary that is down at start does not stop the start', async () => {
    const p = new MemoryEngine('meilisearch');
    const f = new MemoryEngine('postgres');
    p.up = false;
    const e = new FallbackSearchEngine(p, f, { healthCheckIntervalMs: INTERVAL, logger });
    await expect(e.ensureIndex(offers)).resolves.toBeUndefined();
    expect(e.status().fallbackActive).toBe(true);
    await e.close();
  });

  it.each([
    ['a task still running', new SearchTaskPendingError('Meilisearch 任务 9 仍在执行')],
    ['a task that failed', new SearchTaskFailedError('Meilisearch 任务 9 失败')],
    ['a 4xx the port does not explain', new SearchRequestRejectedError('payload_too_large')],
  ])('%s on a search is no outage: the fallback answers that search only', async (_case, error) => {
    primary.searchError = error;
    expect((await engine.search('offers', {})).engine).toBe('postgres');
    expect(engine.status().primary).toBe('up');
    primary.searchError = undefined;
    expect((await engine.search('offers', {})).engine).toBe('meilisearch');
  });

  it("an invalid filter reported by the primary is the caller's error, not an outage", async () => {
    primary.searchError = new InvalidSearchFilterError('invalid_search_filter');
    await expect(engine.search('offers', {})).rejects.toThrow(InvalidSearchFilterError);
    expect(fallback.searches).toBe(0);
    expect(engine.status()).toMatchObject({ primary: 'up', fallbackActive: false });
  });

  it('a write whose task is still running throws (the outbox retries later) without marking the primary down', async () => {
    primary.failNextWrite = new SearchTaskPendingError('Meilisearch 任务 3 仍在执行');
    await expect(engine.upsert('offers', [{ id: 'a' }])).rejects.toThrow(SearchTaskPendingError);
    expect(fallback.ids('offers')).toEqual(['a']);
    expect(engine.status().primary).toBe('up');
  });

  describe('taking searches back after an outage', () => {
    it('waits until the outbox backlog from before the recovery is replayed', async () => {
      let backlog = 3;
      const rebuild = jest.fn();
      engine.setRecovery({ backlog: async () => backlog, rebuild });
      primary.up = false;
      await engine.search('offers', {});
      primary.up = true;
      await jest.advanceTimersByTimeAsync(INTERVAL);
      expect(engine.status()).toMatchObject({
        primary: 'up',
        fallbackActive: true,
        fallbackIndexes: ['offers'],
      });
      expect((await engine.search('offers', {})).engine).toBe('postgres');

      backlog = 0;
      await jest.advanceTimersByTimeAsync(INTERVAL);
      expect((await engine.search('offers', {})).engine).toBe('meilisearch');
      expect(rebuild).not.toHaveBeenCalled();
    });

    it('rebuilds a primary that came back with other document counts before switching', async () => {
      await engine.upsert('offers', [{ id: 'a' }, { id: 'b' }]);
      const rebuild = jest.fn(async (index: string, target: SearchEngine) => {
        await target.replaceAll(index, async function* () {
          yield fallback.ids(index).map((id) => ({ id }));
        });
      });
      engine.setRecovery({ backlog: async () => 0, rebuild });
      primary.up = false;
      await engine.search('offers', {});
      primary.docs.set('offers', new Map()); // lost its volume
      primary.up = true;
      await jest.advanceTimersByTimeAsync(INTERVAL);
      expect(rebuild).toHaveBeenCalledWith('offers', primary);
      expect(primary.ids('offers')).toEqual(['a', 'b']);
      expect((await engine.search('offers', {})).engine).toBe('meilisearch');
    });

    it('compares counts at start too: an empty primary is rebuilt before it serves', async () => {
      const p = new MemoryEngine('meilisearch');
      const f = new MemoryEngine('postgres');
      await f.ensureIndex(offers);
      await f.upsert('offers', [{ id: 'x' }]);
      const e = new FallbackSearchEngine(p, f, { healthCheckIntervalMs: INTERVAL, logger });
      const rebuild = jest.fn(async () => {
        await p.upsert('offers', [{ id: 'x' }]);
      });
      e.setRecovery({ backlog: async () => 0, rebuild });
      await e.ensureIndex(offers);
      await e.probe();
      expect(rebuild).toHaveBeenCalledTimes(1);
      expect((await e.search('offers', {})).engine).toBe('meilisearch');
      await e.close();
    });

    it('without a way to rebuild, an index whose counts differ stays on the fallback', async () => {
      await fallback.upsert('offers', [{ id: 'only-in-postgres' }]);
      primary.up = false;
      await engine.search('offers', {});
      primary.up = true;
      await jest.advanceTimersByTimeAsync(INTERVAL * 2);
      expect((await engine.search('offers', {})).engine).toBe('postgres');
      expect(engine.status().detail).toMatch(/文档数不一致/);
    });
  });

  it('a rebuild during an outage rebuilds the fallback, leaves the primary alone and throws', async () => {
    await engine.upsert('offers', [{ id: 'old' }]);
    primary.up = false;
    await engine.search('offers', {});
    await expect(
      engine.replaceAll('offers', async function* () {
        yield [{ id: 'new' }];
      }),
    ).rejects.toThrow(SearchPrimaryUnavailableError);
    expect(fallback.ids('offers')).toEqual(['new']);
    expect(primary.ids('offers')).toEqual(['old']);
  });

  it('close stops probing and closes both engines', async () => {
    primary.up = false;
    await engine.search('offers', {});
    await engine.close();
    expect(jest.getTimerCount()).toBe(0);
    expect(primary.closed && fallback.closed).toBe(true);
  });
});
