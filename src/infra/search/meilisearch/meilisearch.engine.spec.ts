/**
 * The adapter's own logic (task handling, index reconciliation, result mapping) against a stubbed
 * client object. No HTTP and nothing pretending to be a server: the real client is exercised by
 * the contract suite (test/medium/search) when MEILI_URL is set.
 */
import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from 'meilisearch';
import type { EnqueuedTask, Settings, Task } from 'meilisearch';
import {
  InvalidSearchDocumentError,
  InvalidSearchFilterError,
  InvalidSearchQueryError,
  SearchEngineUnavailableError,
  SearchIndexNotEnsuredError,
  SearchRequestRejectedError,
  SearchTaskFailedError,
  SearchTaskPendingError,
} from '../search-errors';
import { F, IndexDefinition, S } from '../search-engine';
import { meiliSettings } from './meili-settings';
import { classifyMeiliError, MeiliClient, MeiliIndex, MeilisearchEngine } from './meilisearch.engine';

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title'],
  filterableFields: { status: 'string' },
};

const listed: IndexDefinition = {
  ...offers,
  filterableFields: { status: 'string', waitingSince: 'number' },
  sortableFields: ['urgencyRank', 'waitingSince'],
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

function apiError(status: number, code: string): MeilisearchApiError {
  return new MeilisearchApiError(new Response(null, { status }), {
    message: `${code} message`,
    code,
    type: 'invalid_request',
    link: '',
  });
}

function stub(
  options: {
    indexExists?: boolean;
    settings?: Settings;
    tasks?: Record<number, Task>;
    pending?: Task[];
  } = {},
) {
  let nextUid = 1;
  const tasks = options.tasks ?? {};
  const waitForTask = jest.fn(async (uid: number) => tasks[uid] ?? task(uid, 'succeeded'));
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
      totalHits: 2,
      processingTimeMs: 1,
      query: '',
      page: 1,
      hitsPerPage: 20,
      totalPages: 1,
    })),
    getStats: jest.fn(async () => ({ numberOfDocuments: 7 })),
  };
  const client = {
    index: jest.fn(() => index as unknown as MeiliIndex),
    getRawIndex: jest.fn(async (uid: string) => {
      if (options.indexExists === false) throw apiError(404, 'index_not_found');
      return { uid, primaryKey: 'id' };
    }),
    createIndex: jest.fn(() => enqueued(nextUid++)),
    deleteIndex: jest.fn(() => enqueued(nextUid++)),
    swapIndexes: jest.fn(() => enqueued(nextUid++)),
    tasks: {
      waitForTask,
      waitForTasks: jest.fn(async (uids: number[]) => Promise.all(uids.map((uid) => waitForTask(uid)))),
      getTasks: jest.fn(async (_params?: unknown) => ({ results: options.pending ?? [] })),
    },
  };
  const engine = new MeilisearchEngine(client as unknown as MeiliClient, {
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
    expect(client.tasks.waitForTasks).toHaveBeenCalledWith([1], { timeout: 1000 });
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
      totalCapped: false,
      engine: 'meilisearch',
    });
    expect(index.search).toHaveBeenCalledWith('电工', {
      filter: 'status = "published"',
      page: 1,
      hitsPerPage: 5,
      showRankingScore: true,
      attributesToRetrieve: ['id'],
      locales: ['cmn'],
    });
  });

  it('sorts by the keys, then the id; a text query then needs every word', async () => {
    const { engine, index } = stub({ settings: meiliSettings(listed) });
    await engine.ensureIndex(listed);
    await engine.search('offers', {
      q: '电工 培训',
      filter: F.eq('status', 'published'),
      sort: [S.asc('urgencyRank'), S.desc('waitingSince')],
      limit: 10,
      offset: 10,
    });
    expect(index.search).toHaveBeenLastCalledWith('电工 培训', {
      filter: 'status = "published"',
      page: 2,
      hitsPerPage: 10,
      showRankingScore: true,
      attributesToRetrieve: ['id'],
      locales: ['cmn'],
      sort: ['urgencyRank:asc', 'waitingSince:desc', 'id:asc'],
      matchingStrategy: 'all',
    });
    await engine.search('offers', { sort: [S.desc('waitingSince')] });
    expect(index.search).toHaveBeenLastCalledWith(
      null,
      expect.objectContaining({ sort: ['waitingSince:desc', 'id:asc'] }),
    );
  });

  it('sends neither sort nor a matching strategy without sort keys', async () => {
    const { engine, index } = stub({ settings: meiliSettings(listed) });
    await engine.ensureIndex(listed);
    await engine.search('offers', { q: '电工', sort: [] });
    const params = (index.search.mock.calls.at(-1) as unknown[] | undefined)?.[1] as Record<string, unknown>;
    expect(params).not.toHaveProperty('sort');
    expect(params).not.toHaveProperty('matchingStrategy');
  });

  it('refuses a sort on an undeclared field before asking the engine', async () => {
    const { engine, index } = stub({ settings: meiliSettings(listed) });
    await engine.ensureIndex(listed);
    await expect(engine.search('offers', { sort: [S.asc('status')] })).rejects.toThrow(
      InvalidSearchQueryError,
    );
    await expect(engine.search('offers', { sort: [S.asc('id')] })).rejects.toThrow(/不可排序/);
    expect(index.search).not.toHaveBeenCalled();
  });

  it('refuses a document whose sortable value is not one number, sending none of the batch', async () => {
    const { engine, index } = stub({ settings: meiliSettings(listed) });
    await engine.ensureIndex(listed);
    await expect(
      engine.upsert('offers', [
        { id: 'a', title: 'A', urgencyRank: 1 },
        { id: 'b', title: 'B', urgencyRank: '1' },
      ]),
    ).rejects.toThrow(InvalidSearchDocumentError);
    await expect(engine.upsert('offers', [{ id: 'c', waitingSince: [1, 2] }])).rejects.toThrow(/排序字段/);
    expect(index.addDocuments).not.toHaveBeenCalled();
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
      totalCapped: false,
      engine: 'meilisearch',
    });
    expect(index.search).not.toHaveBeenCalled();
  });

  it('refuses an index that was never ensured', async () => {
    const { engine } = stub();
    await expect(engine.search('offers', {})).rejects.toThrow(SearchIndexNotEnsuredError);
  });

  it('reports health from a keyed call (the last task), with a timeout', async () => {
    const { engine, client } = stub();
    expect(await engine.health()).toEqual({ ok: true });
    expect(client.tasks.getTasks).toHaveBeenCalledWith({ limit: 1 });
    client.tasks.getTasks.mockImplementationOnce(() => new Promise(() => undefined));
    expect(await engine.health()).toEqual({ ok: false, detail: 'health check timed out after 100ms' });
    client.tasks.getTasks.mockRejectedValueOnce(apiError(403, 'invalid_api_key'));
    expect(await engine.health()).toEqual({ ok: false, detail: expect.stringMatching(/invalid_api_key/) });
  });

  it('reads an unaligned page from the first page and slices it; aligned pages use page numbers', async () => {
    const { engine, index } = stub();
    await engine.ensureIndex(offers);
    await engine.search('offers', { limit: 10, offset: 20 });
    expect(index.search).toHaveBeenLastCalledWith(
      null,
      expect.objectContaining({ page: 3, hitsPerPage: 10 }),
    );
    const result = await engine.search('offers', { limit: 2, offset: 1 });
    expect(index.search).toHaveBeenLastCalledWith(null, expect.objectContaining({ page: 1, hitsPerPage: 3 }));
    expect(result.hits.map((h) => h.id)).toEqual(['b']);
  });

  it('caps total above MAX_TOTAL and says so', async () => {
    const { engine, index } = stub();
    await engine.ensureIndex(offers);
    index.search.mockResolvedValueOnce({ ...(await index.search()), totalHits: 1001 });
    expect(await engine.search('offers', {})).toMatchObject({ total: 1000, totalCapped: true });
  });

  it('waits on a settings update still pending instead of queueing another one', async () => {
    const pendingSettings = { ...task(41, 'processing'), type: 'settingsUpdate' as const };
    const { engine, client, index } = stub({ pending: [pendingSettings] });
    await engine.ensureIndex(offers);
    expect(client.tasks.getTasks).toHaveBeenCalledWith(
      expect.objectContaining({ types: ['settingsUpdate'], statuses: ['enqueued', 'processing'] }),
    );
    expect(client.tasks.waitForTasks).toHaveBeenCalledWith([41], { timeout: 1000 });
    expect(index.updateSettings).not.toHaveBeenCalled();
  });

  it('a task wait that runs out is "pending", and the next write waits on it instead of resending', async () => {
    const { engine, client, index } = stub();
    await engine.ensureIndex(offers);
    client.tasks.waitForTasks.mockRejectedValueOnce(new MeilisearchTaskTimeOutError(1, 1000));
    await expect(engine.upsert('offers', [{ id: 'a' }])).rejects.toThrow(SearchTaskPendingError);
    expect(index.addDocuments).toHaveBeenCalledTimes(1);

    // Still running at the next try: waited on, not sent again.
    client.tasks.getTasks.mockResolvedValueOnce({ results: [task(1, 'processing')] });
    client.tasks.waitForTasks.mockRejectedValueOnce(new MeilisearchTaskTimeOutError(1, 1000));
    await expect(engine.upsert('offers', [{ id: 'a' }])).rejects.toThrow(SearchTaskPendingError);
    expect(index.addDocuments).toHaveBeenCalledTimes(1);
  });

  it('rebuilds into a fresh copy: batches sent without waiting, awaited together, then swapped', async () => {
    const { engine, client, index } = stub();
    await engine.ensureIndex(offers);
    client.tasks.waitForTasks.mockClear();
    const written = await engine.replaceAll('offers', async function* () {
      yield [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
      yield [{ id: 'd' }];
    });
    expect(written).toBe(4);
    expect(client.index).toHaveBeenCalledWith('bangfu_offers__rebuild');
    expect(index.addDocuments).toHaveBeenCalledTimes(3); // batch size 2: [a, b], [c], [d]
    const batchWaits = client.tasks.waitForTasks.mock.calls.filter(([uids]) => uids.length === 3);
    expect(batchWaits).toHaveLength(1); // one wait for the three document tasks
    expect(client.swapIndexes).toHaveBeenCalledWith([
      { indexes: ['bangfu_offers', 'bangfu_offers__rebuild'], rename: false },
    ]);
    expect(client.deleteIndex).toHaveBeenLastCalledWith('bangfu_offers__rebuild');
  });

  it('a failed rebuild never swaps and deletes the copy', async () => {
    const { engine, client } = stub();
    await engine.ensureIndex(offers);
    await expect(
      engine.replaceAll('offers', async function* () {
        yield [{ id: 'a' }];
        throw new Error('PostgreSQL went away');
      }),
    ).rejects.toThrow('PostgreSQL went away');
    expect(client.swapIndexes).not.toHaveBeenCalled();
    expect(client.deleteIndex).toHaveBeenLastCalledWith('bangfu_offers__rebuild');
  });

  it('counts documents from the index stats, 0 when the index is gone', async () => {
    const { engine, index } = stub();
    await engine.ensureIndex(offers);
    expect(await engine.count('offers')).toBe(7);
    index.getStats.mockRejectedValueOnce(apiError(404, 'index_not_found'));
    expect(await engine.count('offers')).toBe(0);
  });
});

describe('classifyMeiliError', () => {
  it.each([
    [
      'unreachable',
      new MeilisearchRequestError('http://meili:7700', new Error('ECONNREFUSED')),
      SearchEngineUnavailableError,
    ],
    ['request timeout', new MeilisearchRequestTimeOutError(5000, {}), SearchEngineUnavailableError],
    ['5xx', apiError(503, 'internal'), SearchEngineUnavailableError],
    ['key refused', apiError(403, 'invalid_api_key'), SearchEngineUnavailableError],
    ['no key', apiError(401, 'missing_authorization_header'), SearchEngineUnavailableError],
    ['index lost', apiError(404, 'index_not_found'), SearchEngineUnavailableError],
    ['task wait ran out', new MeilisearchTaskTimeOutError(12, 1000), SearchTaskPendingError],
    ['invalid filter', apiError(400, 'invalid_search_filter'), InvalidSearchFilterError],
    ['invalid query parameter', apiError(400, 'invalid_search_hits_per_page'), InvalidSearchQueryError],
    ['other 4xx', apiError(413, 'payload_too_large'), SearchRequestRejectedError],
  ])('%s', (_case, error, expected) => {
    expect(classifyMeiliError(error)).toBeInstanceOf(expected);
  });

  it("keeps the port's own errors and unknown errors as they are", () => {
    const own = new SearchTaskFailedError('x');
    const unknown = new TypeError('bug');
    expect(classifyMeiliError(own)).toBe(own);
    expect(classifyMeiliError(unknown)).toBe(unknown);
  });
});
