import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
import { SearchIndexRegistry, SearchIndexSource } from '../../../src/infra/search/search-index.registry';
import { AppConfig } from '../../../src/config';
import { createTestApp, TestApp } from '../../helpers/test-app';
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

/** Wraps the real engine; while `down`, every write fails as if the engine were unreachable. */
class FlakyEngine implements SearchEngine {
  readonly name = 'postgres' as const;
  down = false;
  constructor(private readonly inner: SearchEngine) {}
  private guard(): void {
    if (this.down) throw new Error('connect ECONNREFUSED (engine down)');
  }
  ensureIndex(d: IndexDefinition) {
    return this.inner.ensureIndex(d);
  }
  async upsert(index: string, docs: SearchDocument[]) {
    this.guard();
    await this.inner.upsert(index, docs);
  }
  async delete(index: string, ids: string[]) {
    this.guard();
    await this.inner.delete(index, ids);
  }
  clear(index: string) {
    return this.inner.clear(index);
  }
  search(index: string, q: SearchQuery) {
    return this.inner.search(index, q);
  }
  health() {
    return this.inner.health();
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

  const search = (q: string) => engine.search(NOTES.name, { q });
  const pending = async () =>
    Number((await t.db.dataSource.query('SELECT count(*) FROM outbox WHERE processed_at IS NULL'))[0].count);

  it('writes the outbox row in the domain transaction and relays it to the engine', async () => {
    const id = await addNote(t, outbox, '电工技能培训班');
    expect(await pending()).toBe(1);
    expect((await search('电工')).hits).toEqual([]);

    expect(await relay.relayBatch()).toEqual({ relayed: 1, failed: 0 });
    expect((await search('电工')).hits.map((h) => h.id)).toEqual([id]);
    expect(await pending()).toBe(0);
  });

  it('leaves no outbox row when the domain transaction rolls back', async () => {
    const before = await pending();
    await expect(
      t.db.dataSource.transaction(async (manager) => {
        await manager.query("INSERT INTO test_notes (title, status) VALUES ('家政培训', 'open')");
        await outbox.record(manager, NOTES.name, ['999']);
        throw new Error('domain rule failed');
      }),
    ).rejects.toThrow('domain rule failed');
    expect(await pending()).toBe(before);
  });

  it('refuses to record outside a transaction', async () => {
    await expect(outbox.record(t.db.dataSource.manager, NOTES.name, ['1'])).rejects.toThrow(/事务/);
  });

  it('deletes documents whose row is gone, re-reading PostgreSQL rather than trusting the row', async () => {
    const id = await addNote(t, outbox, '焊工岗位招聘');
    await relay.relayBatch();
    expect((await search('焊工')).hits.map((h) => h.id)).toEqual([id]);

    await t.db.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM test_notes WHERE id = $1', [id]);
      await outbox.record(manager, NOTES.name, [id], 'delete');
    });
    await relay.relayBatch();
    expect((await search('焊工')).hits).toEqual([]);
  });

  it('is driven by the relay job: a nudge makes the change searchable without calling the relay', async () => {
    const id = await addNote(t, outbox, '金秋助学大学新生资助');
    await outbox.nudge();
    await waitFor(async () => (await search('助学')).hits.some((h) => h.id === id));
    expect(await pending()).toBe(0);
  });

  it('keeps rows while the engine is down and delivers them, once, when it returns', async () => {
    const config = testConfig({ outbox: { batchSize: 10 } });
    const flaky = new FlakyEngine(engine);
    const registry = t.app.get(SearchIndexRegistry);
    const manualRelay = new OutboxRelayService(
      t.app.get(OutboxRepository),
      registry,
      flaky,
      { schedule: async () => undefined } as never,
      config as AppConfig,
    );
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
    await t.db.dataSource.query('UPDATE outbox SET available_at = now() WHERE document_id = $1', [id]);
    flaky.down = false;
    expect(await manualRelay.relayBatch()).toEqual({ relayed: 1, failed: 0 });
    expect((await search('心理疏导')).hits.map((h) => h.id)).toEqual([id]);
  });

  it('rebuilds an index from PostgreSQL (npm run reindex)', async () => {
    await engine.clear(NOTES.name);
    expect((await search('电工')).hits).toEqual([]);
    const report = await t.app.get(ReindexService).rebuild(NOTES.name);
    const rows = Number((await t.db.dataSource.query('SELECT count(*) FROM test_notes'))[0].count);
    expect(report.documents).toBe(rows);
    expect((await search('电工')).hits).toHaveLength(1);
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
