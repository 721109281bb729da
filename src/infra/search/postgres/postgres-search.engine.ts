/**
 * The PostgreSQL full-text adapter: the search engine when MEILI_URL is unset, and the fallback
 * while Meilisearch is unhealthy. One table, `search_documents` (migration SearchDocuments…), holds
 * every index: (index_name, id) → weighted tsvector + jsonb filter values + their facet keys (pg-filter.ts). This class is that
 * table's only reader and writer (raw SQL, no entity).
 *
 * Text: jieba segmentation in Node (chinese-tokenizer.ts), then `to_tsvector('simple', …)` per
 * weight group: searchableFields[0] → A, [1] → B, [2] → C, the rest → D.
 *
 * Query semantics: a document matches a multi-word query when it contains every word. When fewer
 * than PARTIAL_MATCH_THRESHOLD documents do (within the filters), documents containing only some
 * of the words follow them, so a rare combination or a long free-text query (a need's
 * description) still finds candidates, while a common query ('电工 培训') stays precise and cheap:
 * the every-word set is small and intersected inside the GIN index, whereas ranking every document
 * with any word (e.g. every 培训) costs 3–5x more on 100k offers (bench/search.bench.ts).
 * Meilisearch's default (`matchingStrategy: last`) always appends partial matches; this fallback
 * only does when full matches are scarce.
 *
 * Score in [0, 1]: r = ts_rank_cd(weights, tsv, anyWords, 32), i.e. rank / (rank + 1) in [0, 1);
 * score = 0.5 + 0.5·r when every word matched, 0.5·r otherwise — an absolute scale (comparable
 * across queries and pages, unlike dividing by the page's best) that keeps all-word matches above
 * partial ones. Without a text query the score is 1 and results come in id order.
 *
 * Sort (pg-sort.ts): sortable values are stored in `filters` too (one-element arrays, like filterable
 * values); with `sort` the hits come in that order, ties by id, and a text query selects the
 * documents with every word only (no partial-match tail), as Meilisearch does with
 * `matchingStrategy: all`.
 */
import { DataSource, EntityManager } from 'typeorm';
import { errorMessage, SearchIndexNotEnsuredError } from '../search-errors';
import {
  EngineHealth,
  IndexDefinition,
  Scalar,
  SearchDocument,
  SearchEngine,
  SearchQuery,
  SearchResult,
} from '../search-engine';
import {
  assertValidDefinition,
  cappedTotal,
  chunk,
  dedupeDocuments,
  filterValues,
  normalizePaging,
  normalizeSort,
  queryText,
  sortValue,
  textValue,
} from '../search-validation';
import { documentText, queryTerms, tsqueryText, warmUpSegmenter } from './chinese-tokenizer';
import { facetKey, toSqlFilter } from './pg-filter';
import { idOrder, toSqlOrder } from './pg-sort';

export const PG_BATCH_SIZE = 1000;
/** ts_rank_cd weights, in PostgreSQL's order {D, C, B, A}. */
const RANK_WEIGHTS = `'{0.1, 0.2, 0.4, 1.0}'::float4[]`;
const WEIGHT_GROUPS = 4;

const UPSERT_SQL = `
INSERT INTO search_documents (index_name, id, tsv, filters, facets, updated_at)
SELECT $1, doc.id,
       setweight(to_tsvector('simple', doc.text_a), 'A') || setweight(to_tsvector('simple', doc.text_b), 'B') ||
       setweight(to_tsvector('simple', doc.text_c), 'C') || setweight(to_tsvector('simple', doc.text_d), 'D'),
       doc.filters, ARRAY(SELECT jsonb_array_elements_text(doc.facets)), now()
FROM unnest($2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
     AS doc(id, filters, text_a, text_b, text_c, text_d, facets)
ON CONFLICT (index_name, id) DO UPDATE
   SET tsv = EXCLUDED.tsv, filters = EXCLUDED.filters, facets = EXCLUDED.facets, updated_at = EXCLUDED.updated_at`;

/**
 * Below this many documents containing every query word, documents containing only some of the
 * words are listed after them. A property of the query and filters, never of the page, so totals
 * agree across pages.
 */
export const PARTIAL_MATCH_THRESHOLD = 10;

interface PageQuery {
  where: string[];
  params: unknown[];
  score: string;
  order: string;
}

function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}::text`;
}

export interface PostgresSearchEngineOptions {
  batchSize?: number;
}

export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres' as const;
  private readonly definitions = new Map<string, IndexDefinition>();
  private readonly batchSize: number;
  private tableChecked = false;

  constructor(
    private readonly dataSource: DataSource,
    options: PostgresSearchEngineOptions = {},
  ) {
    this.batchSize = options.batchSize ?? PG_BATCH_SIZE;
  }

  /** Nothing to create (the table comes from a migration): checks the table and remembers the definition. */
  async ensureIndex(definition: IndexDefinition): Promise<void> {
    assertValidDefinition(definition);
    if (!this.tableChecked) {
      try {
        await this.dataSource.query('SELECT 1 FROM search_documents LIMIT 0');
      } catch (error) {
        throw new Error(`search_documents 表不可用, 请先执行数据库迁移: ${errorMessage(error)}`, {
          cause: error,
        });
      }
      this.tableChecked = true;
      warmUpSegmenter();
    }
    this.definitions.set(definition.name, definition);
  }

  async upsert(index: string, documents: SearchDocument[]): Promise<void> {
    await this.write(this.dataSource.manager, index, documents);
  }

  private async write(manager: EntityManager, index: string, documents: SearchDocument[]): Promise<number> {
    const definition = this.definition(index);
    const unique = dedupeDocuments(documents);
    for (const batch of chunk(unique, this.batchSize)) {
      const ids: string[] = [];
      const filters: string[] = [];
      const facets: string[] = [];
      const texts: string[][] = Array.from({ length: WEIGHT_GROUPS }, () => []);
      for (const document of batch) {
        ids.push(document.id);
        filters.push(JSON.stringify(filterJson(definition, document)));
        facets.push(JSON.stringify(facetKeys(definition, document)));
        const groups = weightedText(definition, document);
        groups.forEach((text, i) => texts[i].push(text));
      }
      await manager.query(UPSERT_SQL, [index, ids, filters, ...texts, facets]);
    }
    return unique.length;
  }

  async delete(index: string, ids: string[]): Promise<void> {
    this.definition(index);
    for (const batch of chunk([...new Set(ids)], this.batchSize)) {
      await this.dataSource.query(
        'DELETE FROM search_documents WHERE index_name = $1 AND id = ANY($2::text[])',
        [index, batch],
      );
    }
  }

  async clear(index: string): Promise<void> {
    this.definition(index);
    await this.dataSource.query('DELETE FROM search_documents WHERE index_name = $1', [index]);
  }

  /**
   * One transaction: the old rows are deleted and the new ones written inside it, so searches see the
   * old index until the commit and a failure rolls everything back.
   */
  async replaceAll(index: string, batches: () => AsyncIterable<SearchDocument[]>): Promise<number> {
    this.definition(index);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM search_documents WHERE index_name = $1', [index]);
      let written = 0;
      for await (const batch of batches()) written += await this.write(manager, index, batch);
      return written;
    });
  }

  async count(index: string): Promise<number> {
    this.definition(index);
    const [row] = (await this.dataSource.query(
      'SELECT count(*)::int AS n FROM search_documents WHERE index_name = $1',
      [index],
    )) as { n: number }[];
    return row.n;
  }

  async search(index: string, query: SearchQuery): Promise<SearchResult> {
    const definition = this.definition(index);
    const params: unknown[] = [index];
    const filter = toSqlFilter(query.filter, definition, params, {
      facets: 'd.facets',
      filters: 'd.filters',
    });
    const paging = normalizePaging(query);
    const sort = normalizeSort(query.sort, definition);
    const q = queryText(query);
    if (filter.kind === 'none') return { hits: [], total: 0, totalCapped: false, engine: this.name };

    const where = ['d.index_name = $1'];
    if (filter.kind === 'sql') where.push(filter.sql);
    const sorted = sort.length > 0 ? toSqlOrder(sort, 'd.filters', 'd.id') : undefined;
    const terms = q ? queryTerms(q) : [];
    if (terms.length === 0)
      return this.page({ where, params, score: '1::float8', order: sorted ?? idOrder('d.id') }, paging);

    /** Documents with every word (`all`) or with any (`any`); the score is the same expression for both. */
    const textQuery = (match: 'all' | 'any'): PageQuery => {
      const p = [...params];
      const anyWords = `to_tsquery('simple', ${bind(p, tsqueryText(terms, '|'))})`;
      const allWords =
        terms.length > 1 ? `to_tsquery('simple', ${bind(p, tsqueryText(terms, '&'))})` : anyWords;
      const allMatched =
        match === 'all' || terms.length === 1 ? '0.5' : `CASE WHEN d.tsv @@ ${allWords} THEN 0.5 ELSE 0 END`;
      return {
        where: [...where, `d.tsv @@ ${match === 'all' ? allWords : anyWords}`],
        params: p,
        score: `(${allMatched} + 0.5 * ts_rank_cd(${RANK_WEIGHTS}, d.tsv, ${anyWords}, 32))::float8`,
        order: sorted ?? `score DESC, ${idOrder('d.id')}`,
      };
    };

    const full = await this.page(textQuery('all'), paging);
    // With a sort the text only selects: documents with every word, never the partial-match tail.
    if (sorted || terms.length === 1 || full.total >= PARTIAL_MATCH_THRESHOLD) return full;
    // Few documents contain every word: list them first, then those with some of the words.
    return this.page(textQuery('any'), paging);
  }

  /** One page and the total of a query; a page past the end still reports the total. */
  private async page(query: PageQuery, paging: { limit: number; offset: number }): Promise<SearchResult> {
    const from = `FROM search_documents d WHERE ${query.where.join(' AND ')}`;
    const params = [...query.params, paging.limit, paging.offset];
    const rows: { id: string; score: number; total: string }[] = await this.dataSource.query(
      `SELECT d.id, ${query.score} AS score, count(*) OVER () AS total ${from}
       ORDER BY ${query.order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    let total = rows.length > 0 ? Number(rows[0].total) : 0;
    if (rows.length === 0 && paging.offset > 0) {
      const [row] = (await this.dataSource.query(`SELECT count(*) AS total ${from}`, query.params)) as {
        total: string;
      }[];
      total = Number(row.total);
    }
    return {
      hits: rows.map((row) => ({ id: row.id, score: Math.min(1, Math.max(0, Number(row.score))) })),
      ...cappedTotal(total),
      engine: this.name,
    };
  }

  async health(): Promise<EngineHealth> {
    try {
      await this.dataSource.query('SELECT 1');
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: errorMessage(error) };
    }
  }

  async close(): Promise<void> {
    // The DataSource belongs to DatabaseModule, which closes it.
  }

  private definition(index: string): IndexDefinition {
    const definition = this.definitions.get(index);
    if (!definition) throw new SearchIndexNotEnsuredError(index);
    return definition;
  }
}

/**
 * Filterable and sortable values as stored: every field an array of typed values (a sortable one a
 * one-element array); absent and empty fields left out.
 */
export function filterJson(definition: IndexDefinition, document: SearchDocument): Record<string, Scalar[]> {
  const out: Record<string, Scalar[]> = {};
  for (const [field, type] of Object.entries(definition.filterableFields)) {
    const values = filterValues(document, field, type);
    if (values.length > 0) out[field] = values;
  }
  // Sortable values live beside the filterable ones (a field may be both: the same one number).
  for (const field of definition.sortableFields ?? []) {
    const value = sortValue(document, field);
    if (value !== undefined) out[field] = [value];
  }
  return out;
}

/** Every filterable value's facet key (pg-filter.ts): what equality filters match. */
export function facetKeys(definition: IndexDefinition, document: SearchDocument): string[] {
  return Object.entries(definition.filterableFields).flatMap(([field, type]) =>
    filterValues(document, field, type).map((value) => facetKey(field, value)),
  );
}

/** Segmented text per weight group A, B, C, D (searchable field order; the fourth onward share D). */
export function weightedText(definition: IndexDefinition, document: SearchDocument): string[] {
  const groups: string[][] = Array.from({ length: WEIGHT_GROUPS }, () => []);
  definition.searchableFields.forEach((field, i) => {
    const text = documentText(textValue(document, field));
    if (text) groups[Math.min(i, WEIGHT_GROUPS - 1)].push(text);
  });
  return groups.map((parts) => parts.join(' '));
}
