import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxPurgeJob } from '../../../src/infra/outbox/outbox-purge.job';
import { OutboxRelayService } from '../../../src/infra/outbox/outbox-relay.service';
import { OutboxRepository } from '../../../src/infra/outbox/outbox.repository';
import { OutboxService } from '../../../src/infra/outbox/outbox.service';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import {
  IndexDefinition,
  SEARCH_ENGINE,
  SearchDocument,
  SearchEngine,
  SearchQuery,
} from '../../../src/infra/search/search-engine';
import { FallbackSearchEngine } from '../../../src/infra/search/fallback.engine';
import { SearchEngineUnavailableError } from '../../../src/infra/search/search-errors';
import { PostgresSearchEngine } from '../../../src/infra/search/postgres/postgres-search.engine';
import { SearchIndexRegistry, SearchIndexSource } from '../../../src/infra/search/search-index.registry';
import { AppConfig } from '../../../src/config';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

const NOTES: IndexDefinition = {
  name: 'test_notes',
  searchableFields: ['title'],
  filterableFields: { status: 'string' },
};

/** A tiny domain table with a search source, standing in for a feature module. */
class NotesSource implements SearchIndexSource {
  readonly definition = NOTES;
  constructor(private readonly dataSource: DataSource) {}

  async load(ids: string[]): Promise<SearchDocument[]> {
    const rows: { id: string; title: string; status: string }[] = await this.dataSource.query(
      'SELECT id::text, title, status FROM test_notes WHERE id = ANY($1::int[])',
      [ids],
    );
    return rows.map((r) => ({ id: r.id, title: r.title, status: r.status }));
  }

  async *allIds(batchSize: number): AsyncIterable<string[]> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id::text FROM test_notes ORDER BY id');
    for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize).map((r) => r.id);
  }
}

@Injectable()
class NotesRegistration implements OnModuleInit {
  constructor(
    private readonly registry: SearchIndexRegistry,
    private readonly dataSource: DataSource,
  ) {}
  onModuleInit(): void {
    this.registry.register(new NotesSource(this.dataSource));
  }
}

@Module({ providers: [NotesRegistration] })
class NotesModule {}

/**
 * Wraps a real engine; while `down`, every write fails as if the engine were unreachable. Records each
 * write that reached the engine (`delivered`) and each one refused (`refused`), by document id.
 */
class FlakyEngine implements SearchEngine {
  readonly name = 'postgres' as const;
  down = false;
  readonly delivered: { op: 'upsert' | 'delete'; id: string }[] = [];
  readonly refused: { op: 'upsert' | 'delete'; id: string }[] = [];
  constructor(private readonly inner: SearchEngine) {}
  private guard(op: 'upsert' | 'delete', ids: string[]): void {
    if (this.down) {
      this.refused.push(...ids.map((id) => ({ op, id })));
      throw new SearchEngineUnavailableError('connect ECONNREFUSED (engine down)');
    }
    this.delivered.push(...ids.map((id) => ({ op, id })));
  }
  ensureIndex(d: IndexDefinition) {
    return this.inner.ensureIndex(d);
  }
  async upsert(index: string, docs: SearchDocument[]) {
    this.guard(
      'upsert',
      docs.map((d) => d.id),
    );
    await this.inner.upsert(index, docs);
  }
  async delete(index: string, ids: string[]) {
    this.guard('delete', ids);
    await this.inner.delete(index, ids);
  }
  clear(index: string) {
    return this.inner.clear(index);
  }
  replaceAll(index: string, batches: () => AsyncIterable<SearchDocument[]>) {
    return this.inner.replaceAll(index, batches);
  }
  count(index: string) {
    return this.inner.count(index);
  }
  search(index: string, q: SearchQuery) {
    return this.inner.search(index, q);
  }
  health() {
    return this.down ? Promise.resolve({ ok: false, detail: 'down' }) : this.inner.health();
  }
  close() {
    return this.inner.close();
  }
}

async function addNote(t: TestApp, outbox: OutboxService, title: string, status = 'open'): Promise<string> {
  return t.db.dataSource.transaction(async (manager) => {
    const [row]: { id: string }[] = await manager.query(
      'INSERT INTO test_notes (title, status) VALUES ($1, $2) RETURNING id::text',
      [title, status],
    );
    await outbox.record(manager, NOTES.name, [row.id]);
    return row.id;
  });
}

async function deleteNote(t: TestApp, outbox: OutboxService, id: string): Promise<void> {
  await t.db.dataSource.transaction(async (manager) => {
    await manager.query('DELETE FROM test_notes WHERE id = $1', [id]);
    await outbox.record(manager, NOTES.name, [id], 'delete');
  });
}

describe('transactional outbox', () => {
  let t: TestApp;
  let outbox: OutboxService;
  let relay: OutboxRelayService;
  let engine: SearchEngine;

  beforeAll(async () => {
    t = await createTestApp({
      extraModules: [NotesModule],
      // The relay runs only when the test says so.
      overrides: { outbox: { pollIntervalMs: 3_600_000 } },
      beforeStart: (ds) =>
        ds.query(
          'CREATE TABLE test_notes (id serial PRIMARY KEY, title text NOT NULL, status text NOT NULL)',
        ),
    });
    outbox = t.app.get(OutboxService);
    relay = t.app.get(OutboxRelayService);
    engine = t.app.get<SearchEngine>(SEARCH_ENGINE);
  });
  afterAll(async () => {
    await t?.close();
  });

  // Every test starts from nothing: no notes, no outbox rows, an empty index.
  beforeEach(async () => {
    await t.db.owner.query('TRUNCATE test_notes, outbox');
    await engine.clear(NOTES.name);
  });

  const search = (q: string) => engine.search(NOTES.name, { q });
  const pending = async () =>
    Number((await t.db.dataSource.query('SELECT count(*) FROM outbox WHERE processed_at IS NULL'))[0].count);
  /** A relay over `target` instead of the app's engine (the queue is not used by relayBatch). */
  const relayOver = (target: SearchEngine) =>
    new OutboxRelayService(
      t.app.get(OutboxRepository),
      t.app.get(SearchIndexRegistry),
      target,
      { schedule: async () => undefined } as never,
      testConfig({ outbox: { batchSize: 10 } }) as AppConfig,
    );
  const makeDue = () => t.db.dataSource.query('UPDATE outbox SET available_at = now()');

  it('writes the outbox row in the domain transaction and relays it to the engine', async () => {
    const id = await addNote(t, outbox, '电工技能培训班');
    expect(await pending()).toBe(1);
    expect((await search('电工')).hits).toEqual([]);

    expect(await relay.relayBatch()).toEqual({ relayed: 1, failed: 0 });
    expect((await search('电工')).hits.map((h) => h.id)).toEqual([id]);
    expect(await pending()).toBe(0);
  });

  it('leaves no outbox row when the domain transaction rolls back', async () => {
    await expect(
      t.db.dataSource.transaction(async (manager) => {
        await manager.query("INSERT INTO test_notes (title, status) VALUES ('家政培训', 'open')");
        await outbox.record(manager, NOTES.name, ['999']);
        throw new Error('domain rule failed');
      }),
    ).rejects.toThrow('domain rule failed');
    expect(await pending()).toBe(0);
    expect(Number((await t.db.dataSource.query('SELECT count(*) FROM test_notes'))[0].count)).toBe(0);
  });

  it('refuses to record outside a transaction', async () => {
    await expect(outbox.record(t.db.dataSource.manager, NOTES.name, ['1'])).rejects.toThrow(/事务/);
    expect(await pending()).toBe(0);
  });

  it('deletes documents whose row is gone, re-reading PostgreSQL rather than trusting the row', async () => {
    const id = await addNote(t, outbox, '焊工岗位招聘');
    await relay.relayBatch();
    expect((await search('焊工')).hits.map((h) => h.id)).toEqual([id]);

    await deleteNote(t, outbox, id);
    expect(await relay.relayBatch()).toEqual({ relayed: 1, failed: 0 });
    expect((await search('焊工')).hits).toEqual([]);
  });

  it('is driven by the relay job: a nudge makes the change searchable without calling the relay', async () => {
    const id = await addNote(t, outbox, '金秋助学大学新生资助');
    await outbox.nudge();
    // The job relays and then commits the row as processed: wait for both.
    await waitFor(async () => (await pending()) === 0);
    expect((await search('助学')).hits.map((h) => h.id)).toEqual([id]);
  });

  it('keeps rows while the engine is down and delivers them, once, when it returns', async () => {
    const flaky = new FlakyEngine(engine);
    const manualRelay = relayOver(flaky);
    const id = await addNote(t, outbox, '心理疏导志愿服务');
    flaky.down = true;
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 1 });
    const [row] = await t.db.dataSource.query(
      'SELECT attempts, last_error, processed_at, available_at > now() AS held FROM outbox WHERE document_id = $1',
      [id],
    );
    expect(row).toMatchObject({ attempts: 1, processed_at: null, held: true });
    expect(row.last_error).toMatch(/ECONNREFUSED/);

    // Held back by its backoff: a run right now does not retry it.
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 0 });
    await makeDue();
    flaky.down = false;
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 1, failed: 0 });
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 0 });
    expect((await search('心理疏导')).hits.map((h) => h.id)).toEqual([id]);
    expect(flaky.delivered).toEqual([{ op: 'upsert', id }]);
  });

  it('keeps deletes pending through an outage and delivers each change exactly once afterwards', async () => {
    const flaky = new FlakyEngine(engine);
    const manualRelay = relayOver(flaky);
    const gone = await addNote(t, outbox, '钳工实训');
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 1, failed: 0 });
    flaky.delivered.length = 0;

    // A delete alone, relayed while the engine is down: a refused delete keeps its row pending.
    await deleteNote(t, outbox, gone);
    flaky.down = true;
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 1 });
    expect(flaky.refused).toEqual([{ op: 'delete', id: gone }]);
    expect(await pending()).toBe(1);

    // Then a batch with the delete and an upsert, still down: both writes are tried and refused.
    const kept = await addNote(t, outbox, '育婴师培训');
    await makeDue();
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 2 });
    expect(flaky.refused.slice(1)).toEqual(
      expect.arrayContaining([
        { op: 'upsert', id: kept },
        { op: 'delete', id: gone },
      ]),
    );
    expect(await pending()).toBe(2);
    expect((await search('钳工')).hits.map((h) => h.id)).toEqual([gone]);

    await makeDue();
    flaky.down = false;
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 2, failed: 0 });
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 0 });
    expect(await pending()).toBe(0);
    // Exactly one delivery per change.
    expect([...flaky.delivered].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { op: 'delete', id: gone },
        { op: 'upsert', id: kept },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect((await search('钳工')).hits).toEqual([]);
    expect((await search('育婴师')).hits.map((h) => h.id)).toEqual([kept]);
  });

  describe('with Meilisearch down behind the fallback', () => {
    let primaryDb: TestDatabase;
    let primary: FlakyEngine;
    let fallbackEngine: FallbackSearchEngine;

    beforeAll(async () => {
      // The primary is a second, real engine (PostgreSQL on its own database): only its outage is simulated.
      primaryDb = await createTestDatabase();
      primary = new FlakyEngine(new PostgresSearchEngine(primaryDb.dataSource));
    });
    afterAll(async () => {
      await primaryDb?.drop();
    });
    // A fresh fallback engine per test, told about the outbox as the app's ReindexService tells it.
    beforeEach(async () => {
      primary.down = false;
      await primary.ensureIndex(NOTES);
      await primary.clear(NOTES.name);
      fallbackEngine = new FallbackSearchEngine(primary, engine, { healthCheckIntervalMs: 3_600_000 });
      const repository = t.app.get(OutboxRepository);
      const reindex = t.app.get(ReindexService);
      fallbackEngine.setRecovery({
        backlog: (index, before) => repository.pendingCreatedBefore(index, before),
        rebuild: async (index, target) => {
          await reindex.rebuild(index, target);
        },
      });
      await fallbackEngine.ensureIndex(NOTES);
      await fallbackEngine.probe();
      expect(fallbackEngine.status()).toMatchObject({ primary: 'up', fallbackActive: false });
    });
    afterEach(async () => {
      primary.down = false;
      await fallbackEngine.close();
    });

    it('after an outage, takes searches back only once the backlog from before the recovery is relayed', async () => {
      const manualRelay = relayOver(fallbackEngine);
      primary.down = true;
      const id = await addNote(t, outbox, '电梯安装维修工培训');
      expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 1 });
      expect(fallbackEngine.status()).toMatchObject({ primary: 'down', fallbackActive: true });

      primary.down = false;
      await fallbackEngine.probe();
      // Up again, but the note is still pending: searches stay on the fallback, which has it.
      expect(fallbackEngine.status()).toMatchObject({ primary: 'up', fallbackIndexes: [NOTES.name] });
      expect((await fallbackEngine.search(NOTES.name, { q: '电梯' })).hits.map((h) => h.id)).toEqual([id]);
      expect((await primary.search(NOTES.name, { q: '电梯' })).hits).toEqual([]);

      await makeDue();
      expect(await manualRelay.relayBatch()).toEqual({ relayed: 1, failed: 0 });
      await fallbackEngine.probe();
      expect(fallbackEngine.status()).toMatchObject({ primary: 'up', fallbackActive: false });
      expect((await primary.search(NOTES.name, { q: '电梯' })).hits.map((h) => h.id)).toEqual([id]);
    });

    it('rebuilds a primary that came back empty before it serves searches again', async () => {
      const manualRelay = relayOver(fallbackEngine);
      const ids = [await addNote(t, outbox, '母婴护理培训'), await addNote(t, outbox, '中式烹调师培训')];
      expect(await manualRelay.relayBatch()).toEqual({ relayed: 2, failed: 0 });

      primary.down = true;
      expect((await fallbackEngine.health()).ok).toBe(true);
      expect(fallbackEngine.status().primary).toBe('down');
      await primary.clear(NOTES.name); // its volume was lost while it was down
      primary.down = false;
      await fallbackEngine.probe();

      expect(await primary.count(NOTES.name)).toBe(2);
      expect(fallbackEngine.status()).toMatchObject({ primary: 'up', fallbackActive: false });
      expect((await primary.search(NOTES.name, { q: '培训' })).hits.map((h) => h.id).sort()).toEqual(
        ids.sort(),
      );
    });

    it('applies deletes to the fallback even when the upsert of the same batch fails', async () => {
      const manualRelay = relayOver(fallbackEngine);
      const gone = await addNote(t, outbox, '保洁员招聘');
      expect(await manualRelay.relayBatch()).toEqual({ relayed: 1, failed: 0 });

      primary.down = true;
      await deleteNote(t, outbox, gone);
      await addNote(t, outbox, '养老护理员培训');
      expect(await manualRelay.relayBatch()).toEqual({ relayed: 0, failed: 2 });
      // The fallback (which serves searches now) no longer has the deleted document.
      expect((await engine.search(NOTES.name, { q: '保洁员' })).hits).toEqual([]);
      expect((await fallbackEngine.search(NOTES.name, { q: '保洁员' })).hits).toEqual([]);
      expect(await pending()).toBe(2);
      primary.down = false;
    });
  });

  it('rebuilds an index from PostgreSQL (npm run reindex)', async () => {
    const id = await addNote(t, outbox, '电工上岗证培训');
    await addNote(t, outbox, '家政服务');
    expect((await search('电工')).hits).toEqual([]);
    const report = await t.app.get(ReindexService).rebuild(NOTES.name);
    expect(report.documents).toBe(2);
    expect((await search('电工')).hits.map((h) => h.id)).toEqual([id]);
  });

  describe('daily purge', () => {
    it('deletes processed rows older than the retention, never pending or recent ones', async () => {
      const days = t.config.outbox.retainProcessedDays;
      const rows: { id: string }[] = await t.db.dataSource.query(
        `INSERT INTO outbox (index_name, document_id, operation, processed_at)
         VALUES ('test_notes', 'old-done', 'upsert', now() - ($1::int * interval '1 day') - interval '1 hour'),
                ('test_notes', 'recent-done', 'upsert', now() - ($1::int * interval '1 day') + interval '1 hour'),
                ('test_notes', 'old-pending', 'upsert', NULL)
         RETURNING id::text`,
        [days],
      );
      await t.db.dataSource.query(
        `UPDATE outbox SET created_at = now() - interval '400 days' WHERE id = ANY($1::bigint[])`,
        [rows.map((r) => r.id)],
      );

      expect(await t.app.get(OutboxPurgeJob).purge()).toBe(1);
      const left: { document_id: string }[] = await t.db.dataSource.query(
        'SELECT document_id FROM outbox ORDER BY document_id',
      );
      expect(left.map((r) => r.document_id)).toEqual(['old-pending', 'recent-done']);
      expect(await t.app.get(OutboxPurgeJob).purge()).toBe(0);
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
