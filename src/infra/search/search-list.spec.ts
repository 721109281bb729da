import { DomainError } from '../../common/errors';
import { F, SearchEngine, SearchQuery, SearchResult, S } from './search-engine';
import { searchList, SearchListErrorCode, SearchListRequest } from './search-list';
import { MAX_TOTAL, MAX_WINDOW } from './search-validation';

interface Row {
  id: string;
  label: string;
}

/** An engine that answers one fixed result and remembers the query. */
function engineAnswering(result: Partial<SearchResult>) {
  const queries: SearchQuery[] = [];
  const engine = {
    search: jest.fn(async (_index: string, query: SearchQuery) => {
      queries.push(query);
      return { hits: [], total: 0, totalCapped: false, engine: 'postgres', ...result } as SearchResult;
    }),
  } as unknown as SearchEngine;
  return { engine, queries };
}

const hits = (...ids: string[]) => ids.map((id) => ({ id, score: 1 }));
const row = (id: string): Row => ({ id, label: `row ${id}` });

function request(overrides: Partial<SearchListRequest<Row>> = {}): SearchListRequest<Row> {
  return {
    index: 'needs',
    q: '焊工',
    filter: F.eq('state', 'open'),
    scope: F.eq('units', 'u1'),
    sort: [S.asc('urgencyRank'), S.asc('waitingSince')],
    offset: 20,
    limit: 10,
    reload: jest.fn(async (ids: string[]) => ids.map(row)),
    ...overrides,
  };
}

describe('searchList (search, then re-read from PostgreSQL)', () => {
  it('pushes text, filters AND scope, sort and the window into the engine', async () => {
    const { engine, queries } = engineAnswering({ hits: hits('a'), total: 21 });
    await searchList(engine, request());
    expect(engine.search).toHaveBeenCalledWith('needs', expect.anything());
    expect(queries).toEqual([
      {
        q: '焊工',
        filter: F.and(F.eq('units', 'u1'), F.eq('state', 'open')),
        sort: [S.asc('urgencyRank'), S.asc('waitingSince')],
        offset: 20,
        limit: 10,
      },
    ]);
  });

  it('filters by the scope alone when the list has no filter', async () => {
    const { engine, queries } = engineAnswering({});
    await searchList(engine, request({ filter: undefined }));
    expect(queries[0]!.filter).toEqual(F.eq('units', 'u1'));
  });

  it("keeps the engine's order whatever order PostgreSQL returns the rows in", async () => {
    const { engine } = engineAnswering({ hits: hits('c', 'a', 'b'), total: 3 });
    const reload = jest.fn(async () => [row('a'), row('b'), row('c')]);
    const page = await searchList(engine, request({ offset: 0, reload }));
    expect(reload).toHaveBeenCalledWith(['c', 'a', 'b']);
    expect(page.rows.map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(page).toMatchObject({ total: 3, totalCapped: false, dropped: [], engine: 'postgres' });
  });

  it('drops ids PostgreSQL does not confirm (stale or out of scope) and counts them out of the total', async () => {
    const { engine } = engineAnswering({ hits: hits('a', 'gone', 'b', 'elsewhere'), total: 30 });
    const reload = jest.fn(async () => [row('b'), row('a')]);
    const page = await searchList(engine, request({ reload }));
    expect(page.rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect(page.dropped).toEqual(['gone', 'elsewhere']);
    expect(page.total).toBe(28);
  });

  it('never reports fewer in total than the rows up to this page', async () => {
    const { engine } = engineAnswering({ hits: hits('a', 'gone'), total: 2 });
    const page = await searchList(engine, request({ offset: 0, reload: async () => [row('a')] }));
    expect(page.total).toBe(1);
    const later = await searchList(engine, request({ offset: 20, reload: async () => [row('a')] }));
    expect(later.total).toBe(21);
  });

  it('ignores rows the re-read returns that the engine did not list', async () => {
    const { engine } = engineAnswering({ hits: hits('a'), total: 1 });
    const page = await searchList(engine, request({ offset: 0, reload: async () => [row('a'), row('x')] }));
    expect(page.rows.map((r) => r.id)).toEqual(['a']);
  });

  it('does not re-read when the engine found nothing', async () => {
    const { engine } = engineAnswering({ hits: [], total: 0 });
    const reload = jest.fn(async () => []);
    const page = await searchList(engine, request({ reload }));
    expect(reload).not.toHaveBeenCalled();
    expect(page).toMatchObject({ rows: [], total: 0, dropped: [] });
    const pastTheEnd = engineAnswering({ hits: [], total: 5 });
    expect(await searchList(pastTheEnd.engine, request())).toMatchObject({ rows: [], total: 5 });
  });

  it('passes a capped total on', async () => {
    const { engine } = engineAnswering({ hits: hits('a'), total: MAX_TOTAL, totalCapped: true });
    expect(await searchList(engine, request())).toMatchObject({ total: MAX_TOTAL, totalCapped: true });
  });

  it(`refuses a window beyond ${MAX_WINDOW} with a 422 code, before asking the engine`, async () => {
    const { engine } = engineAnswering({});
    const error = await searchList(engine, request({ offset: MAX_WINDOW - 9, limit: 10 })).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: SearchListErrorCode.SEARCH_LIST_WINDOW_EXCEEDED,
      details: { maxWindow: MAX_WINDOW },
    });
    expect(engine.search).not.toHaveBeenCalled();
    await expect(searchList(engine, request({ offset: MAX_WINDOW - 10, limit: 10 }))).resolves.toBeDefined();
  });

  it('lets engine errors through (the fallback engine has already answered from PostgreSQL if it could)', async () => {
    const engine = {
      search: jest.fn().mockRejectedValue(new Error('database down')),
    } as unknown as SearchEngine;
    await expect(searchList(engine, request())).rejects.toThrow('database down');
  });
});
