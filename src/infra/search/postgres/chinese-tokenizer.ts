/**
 * Chinese word segmentation for the PostgreSQL full-text adapter (jieba, via @node-rs/jieba).
 *
 * Documents and queries go through the same pipeline: NFKC (full-width → half-width), lower case,
 * jieba search mode (`cutForSearch`: a long word and its dictionary sub-words, e.g. 培训班 → 培训,
 * 培训班), then every token is reduced to runs of letters and digits. The result is plain words
 * joined by spaces, which PostgreSQL's `simple` configuration turns into one lexeme each; no
 * punctuation, quote or backslash ever reaches SQL or tsquery syntax.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/** Function words dropped from queries (kept when a query has nothing else). */
const QUERY_STOPWORDS = new Set([
  '的',
  '了',
  '和',
  '与',
  '及',
  '或',
  '在',
  '是',
  '等',
  '之',
  '为',
  '对',
  '把',
  '被',
  '有',
  '也',
  '就',
  '都',
  '而',
  '并',
  '及其',
  '以及',
]);

/** More terms than this add nothing but cost. */
export const MAX_QUERY_TERMS = 32;

const WORD_RUN = /[\p{L}\p{N}]+/gu;

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Loads the dictionary now (about a tenth of a second) rather than on the first document or query. */
export function warmUpSegmenter(): void {
  segmenter();
}

/** Segments text into normalised words (letters and digits only), in order, duplicates kept. */
export function segment(text: string): string[] {
  if (!text) return [];
  const normalized = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  for (const token of segmenter().cutForSearch(normalized, true)) {
    for (const run of token.match(WORD_RUN) ?? []) out.push(run);
  }
  return out;
}

/**
 * `text` up to the end of its `max`-th word (jieba `cut`, the segmentation Meilisearch's tokenizer
 * uses for Chinese; punctuation and spaces are not words), trimmed. Shorter texts are returned as is.
 */
export function limitWords(text: string, max: number): string {
  let words = 0;
  let end = 0;
  for (const token of segmenter().cut(text, false)) {
    end += token.length;
    if (WORD_CHAR.test(token) && ++words === max) return text.slice(0, end).trim();
  }
  return text;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** What is stored for a document field: its words joined by spaces, ready for to_tsvector('simple', …). */
export function documentText(text: string): string {
  return segment(text).join(' ');
}

/** The distinct words of a query, function words removed unless nothing else is left. */
export function queryTerms(text: string): string[] {
  const words = [...new Set(segment(text))];
  const meaningful = words.filter((w) => !QUERY_STOPWORDS.has(w));
  return (meaningful.length > 0 ? meaningful : words).slice(0, MAX_QUERY_TERMS);
}

/**
 * tsquery source text for `to_tsquery('simple', $n)`: `'电工' | '培训'` (any word) or
 * `'电工' & '培训'` (every word). Terms only contain letters and digits (see segment), so quoting
 * them is enough; the text is still sent as a bound parameter, never spliced into SQL.
 */
export function tsqueryText(terms: string[], operator: '|' | '&'): string {
  return terms.map((t) => `'${t.replace(/['\\]/g, '')}'`).join(` ${operator} `);
}
