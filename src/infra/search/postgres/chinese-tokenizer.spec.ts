import { documentText, MAX_QUERY_TERMS, queryTerms, segment, tsqueryText } from './chinese-tokenizer';

describe('segment', () => {
  it.each([
    { text: '电工技能培训班（免费）', words: ['电工', '技能', '培训', '培训班', '免费'] },
    { text: '家政服务岗位招聘', words: ['家政', '服务', '岗位', '招聘'] },
    { text: '金秋助学 大学新生资助', words: ['金秋', '助学', '大学', '新生', '资助'] },
    { text: '电工培训', words: ['电工', '培训'] },
    {
      text: '杭州市西湖区育婴师培训',
      words: ['杭州', '州市', '杭州市', '西湖', '湖区', '西湖区', '育婴', '育婴师', '培训'],
    },
    { text: 'CAD制图培训 2024年', words: ['cad', '制图', '培训', '2024', '年'] },
    { text: 'ＣＡＤ培训', words: ['cad', '培训'] },
    { text: '"引号"\\反斜杠\'', words: ['引号', '反', '斜杠'] },
    { text: '！？。，、', words: [] },
    { text: '', words: [] },
  ])('$text', ({ text, words }) => {
    expect(segment(text)).toEqual(words);
  });

  it('never yields anything but letters and digits', () => {
    const tokens = segment(`a'b "c" d\\e f&g|h!(i) <-> j:* 电工&培训 ’“”`);
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
  });
});

describe('documentText', () => {
  it('joins the words with spaces', () => {
    expect(documentText('电工技能培训班（免费）')).toBe('电工 技能 培训 培训班 免费');
  });
});

describe('queryTerms', () => {
  it('deduplicates words', () => {
    expect(queryTerms('培训 培训 电工')).toEqual(['培训', '电工']);
  });

  it('drops function words', () => {
    expect(queryTerms('电工的培训')).toEqual(['电工', '培训']);
  });

  it('keeps function words when nothing else is left', () => {
    expect(queryTerms('的')).toEqual(['的']);
  });

  it(`keeps at most ${MAX_QUERY_TERMS} words`, () => {
    const text = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    expect(queryTerms(text)).toHaveLength(MAX_QUERY_TERMS);
  });
});

describe('tsqueryText', () => {
  it.each([
    { terms: ['电工', '培训'], op: '|' as const, text: `'电工' | '培训'` },
    { terms: ['电工', '培训'], op: '&' as const, text: `'电工' & '培训'` },
    { terms: ['cad'], op: '&' as const, text: `'cad'` },
  ])('$terms with $op', ({ terms, op, text }) => {
    expect(tsqueryText(terms, op)).toBe(text);
  });
});
