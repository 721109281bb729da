/**
 * The adapter's own logic (task handling, index reconciliation, result mapping) against a stubbed
 * client object. No HTTP and nothing pretending to be a server: the real client is exercised by
 * the contract suite (test/medium/search) when MEILI_URL is set.
 */
import type { EnqueuedTask, Settings, Task } from 'meilisearch';
import { SearchIndexNotEnsuredError, SearchTaskFailedError } from '../search-errors';
import { F, IndexDefinition } from '../search-engine';
import { meiliSettings } from './meili-settings';
import { MeiliClient, MeiliIndex, MeilisearchEngine } from './meilisearch.engine';

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title'],
  filterableFields: { status: 'string' },
};

function enqueued(taskUid: number): Promise<EnqueuedTask> {
  return Promise.resolve({
    taskUid,
    indexUid: 'bangfu_offers',
    status: 'enqueued',
    type: 'settingsUpdate',
    enqueuedAt: '',
  });
}

function task(uid: number, status: Task['status'], error: Task['error'] = null): Task {
  return {
    uid,
    indexUid: 'bangfu_offers',
    status,
    type: 'documentAdditionOrUpdate',
    enqueuedAt: '',
    batchUid: null,
    canceledBy: null,
    error,
    duration: null,
    startedAt: null,
    finishedAt: null,
  };
}

function stub(options: { indexExists?: boolean; settings?: Settings; tasks?: Record<number, Task> } = {}) {
  let nextUid = 1;
  const tasks = options.tasks ?? {};
  const index = {
    getSettings: jest.fn(async () => options.settings ?? meiliSettings(offers)),
    updateSettings: jest.fn(() => enqueued(nextUid++)),
    addDocuments: jest.fn(() => enqueued(nextUid++)),
    deleteDocuments: jest.fn(() => enqueued(nextUid++)),
    deleteAllDocuments: jest.fn(() => enqueued(nextUid++)),
    search: jest.fn(async () => ({
      hits: [
        { id: 'a', _rankingScore: 0.93 },
        { id: 'b', _rankingScore: 0.41 },
      ],
      estimatedTotalHits: 2,
      processingTimeMs: 1,
      query: '',
      limit: 20,
      offset: 0,
    })),
  };
  const client = {
    index: jest.fn(() => index as unknown as MeiliIndex),
    getRawIndex: jest.fn(async (uid: string) => {
      if (options.indexExists === false)
        throw Object.assign(new Error(`Index \`${uid}\` not found.`), { cause: { code: 'index_not_found' } });
      return { uid, primaryKey: 'id' };
    }),
    createIndex: jest.fn(() => enqueued(nextUid++)),
    health: jest.fn(async () => ({ status: 'available' })),
    tasks: { waitForTask: jest.fn(async (uid: number) => tasks[uid] ?? task(uid, 'succeeded')) },
  };
  const engine = new MeilisearchEngine(client as MeiliClient, {
    indexPrefix: 'bangfu_',
    taskTimeoutMs: 1000,
    requestTimeoutMs: 100,
    batchSize: 2,
  });
  return { engine, client, index };
}

describe('MeilisearchEngine', () => {
  it('throws with the task error when a document task fails', async () => {
    const failed = task(1, 'failed', {
      code: 'invalid_document_id',
      message: 'Document identifier `a b` is invalid.',
      type: 'invalid_request',
      link: 'https://docs.meilisearch.com/errors#invalid_document_id',
    });
    const { engine } = stub({ tasks: { 1: failed } });
    await engine.ensureIndex(offers); // no task: settings already equal

    const upsert = engine.upsert('offers', [{ id: 'x', title: '电工培训' }]);
    await expect(upsert).rejects.toThrow(SearchTaskFailedError);
    await expect(upsert).rejects.toThrow(/invalid_document_id: Document identifier `a b` is invalid/);
  });

  it('stops at the first failed batch', async () => {
    const { engine, index } = stub({
      tasks: { 1: task(1, 'failed', { code: 'x', message: 'boom', type: 't', link: '' }) },
    });
    await engine.ensureIndex(offers);
    const docs = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, title: id }));
    await expect(engine.upsert('offers', docs)).rejects.toThrow(/boom/);
    expect(index.addDocuments).toHaveBeenCalledTimes(1);
  });

  it('throws when a task ends canceled', async () => {
    const { engine } = stub({ tasks: { 1: task(1, 'canceled') } });
    await engine.ensureIndex(offers);
    await expect(engine.clear('offers')).rejects.toThrow(/canceled/);
  });

  it('waits for every batch, sending documents projected to the declared fields', async () => {
    const { engine, index, client } = stub();
    await engine.ensureIndex(offers);
    await engine.upsert('offers', [
      { id: 'a', title: 'A', status: 'published', phone: '13800000000' },
      { id: 'b', title: 'B' },
      { id: 'a', title: 'A2' },
    ]);
    expect(index.addDocuments).toHaveBeenCalledTimes(1);
    expect(index.addDocuments).toHaveBeenCalledWith(
      [
        { id: 'b', title: 'B' },
        { id: 'a', title: 'A2' },
      ],
      { primaryKey: 'id' },
    );
    expect(client.tasks.waitForTask).toHaveBeenCalledWith(1, { timeout: 1000 });
  });

  it('creates a missing index with primary key id, then applies the settings', async () => {
    const { engine, client, index } = stub({ indexExists: false, settings: { searchableAttributes: ['*'] } });
    await engine.ensureIndex(offers);
    expect(client.createIndex).toHaveBeenCalledWith('bangfu_offers', { primaryKey: 'id' });
    expect(index.updateSettings).toHaveBeenCalledWith(
      expect.objectContaining({ searchableAttributes: ['title'], displayedAttributes: ['id'] }),
    );
  });

  it('tolerates an index created meanwhile by another process', async () => {
    const exists = task(1, 'failed', {
      code: 'index_already_exists',
      message: 'exists',
      type: 't',
      link: '',
    });
    const { engine } = stub({ indexExists: false, tasks: { 1: exists } });
    await expect(engine.ensureIndex(offers)).resolves.toBeUndefined();
  });

  it('does not touch settings that are already right', async () => {
    const { engine, index } = stub();
    await engine.ensureIndex(offers);
    await engine.ensureIndex(offers);
    expect(index.updateSettings).not.toHaveBeenCalled();
  });

  it('maps hits to ids and ranking scores, and asks only for ids', async () => {
    const { engine, index } = stub();
    await engine.ensureIndex(offers);
    const result = await engine.search('offers', {
      q: '电工',
      filter: F.eq('status', 'published'),
      limit: 5,
    });
    expect(result).toEqual({
      hits: [
        { id: 'a', score: 0.93 },
        { id: 'b', score: 0.41 },
      ],
      total: 2,
      engine: 'meilisearch',
    });
    expect(index.search).toHaveBeenCalledWith('电工', {
      filter: 'status = "published"',
      limit: 5,
      offset: 0,
      showRankingScore: true,
      attributesToRetrieve: ['id'],
      locales: ['cmn'],
    });
  });

  it('scores 1 without a text query', async () => {
    const { engine } = stub();
    await engine.ensureIndex(offers);
    const result = await engine.search('offers', {});
    expect(result.hits.map((h) => h.score)).toEqual([1, 1]);
  });

  it('does not ask the engine when the filter cannot match', async () => {
    const { engine, index } = stub();
    await engine.ensureIndex(offers);
    expect(await engine.search('offers', { filter: F.in('status', []) })).toEqual({
      hits: [],
      total: 0,
      engine: 'meilisearch',
    });
    expect(index.search).not.toHaveBeenCalled();
  });

  it('refuses an index that was never ensured', async () => {
    const { engine } = stub();
    await expect(engine.search('offers', {})).rejects.toThrow(SearchIndexNotEnsuredError);
  });

  it('reports health from the health endpoint, with a timeout', async () => {
    const { engine, client } = stub();
    expect(await engine.health()).toEqual({ ok: true });
    client.health.mockImplementationOnce(() => new Promise(() => undefined));
    expect(await engine.health()).toEqual({ ok: false, detail: 'health check timed out after 100ms' });
    client.health.mockRejectedValueOnce(new Error('Request to http://meili:7700/health has failed'));
    expect(await engine.health()).toEqual({
      ok: false,
      detail: 'Request to http://meili:7700/health has failed',
    });
  });
});
