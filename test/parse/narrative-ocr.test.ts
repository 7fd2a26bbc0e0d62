// A figure stated in prose that OCR read says so, like a table value does.
// Synthetic documents (invented sentences, not a government's figures).
import { describe, expect, it } from 'vitest';
import { readNarrative, sentences, sentencesOf } from '../../src/parse/interpret/narrative.ts';
import type { DocModel } from '../../src/parse/types.ts';

function doc(blocks: DocModel['blocks']): DocModel {
  return { format: 'pdf', blocks, meta: {}, warnings: [] };
}

describe('prose read by OCR', () => {
  it('marks a sentence, and a narrative figure in it, with the lowest OCR confidence of its text', () => {
    const d = doc([
      { kind: 'text', text: '本机关网站全年发布信息', page: 1 },
      // The sentence goes on in the next block, which OCR read with less confidence.
      { kind: 'text', text: '120条，召开新闻发布会3场。', page: 2, ocr: { confidence: 0.82 } },
      { kind: 'text', text: '通过政务微博推送信息45条。', page: 2 },
    ]);
    expect(sentencesOf(d)).toEqual([
      { text: '本机关网站全年发布信息120条，召开新闻发布会3场。', ocr: 0.82 },
      { text: '通过政务微博推送信息45条。' },
    ]);
    const { figures } = readNarrative(d);
    const byMetric = new Map(figures.map((f) => [f.metric, f]));
    expect(byMetric.get('website_posts')).toMatchObject({ value: 120, ocr: { confidence: 0.82 } });
    expect(byMetric.get('website_posts')!.evidence[0].ocr).toEqual({ confidence: 0.82 });
    expect(byMetric.get('press_conferences')?.ocr).toEqual({ confidence: 0.82 });
    expect(byMetric.get('new_media_posts')).toMatchObject({ value: 45 });
    expect(byMetric.get('new_media_posts')!.ocr).toBeUndefined();
  });

  it('splits printed text at sentence ends and line breaks, headings apart', () => {
    const d = doc([{ kind: 'text', text: '一、总体情况' }, { kind: 'text', text: '全年受理申请 5 件；' }, { kind: 'text', text: '办结\n5 件。' }, { kind: 'text', text: '本年度' }, { kind: 'text', text: '未收取费用。' }]);
    expect(sentences(d)).toEqual(['一、总体情况', '全年受理申请 5 件；', '办结', '5 件。', '本年度未收取费用。']);
  });
});
