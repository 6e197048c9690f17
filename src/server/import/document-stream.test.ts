import { describe, expect, it } from 'vitest';
import { DocumentSyntaxError, splitDocuments, type RawDocument } from './document-stream.js';

async function split(...chunks: string[]): Promise<RawDocument[]> {
  const out: RawDocument[] = [];
  for await (const doc of splitDocuments(chunks)) out.push(doc);
  return out;
}

async function failure(...chunks: string[]): Promise<DocumentSyntaxError> {
  try {
    await split(...chunks);
  } catch (error) {
    if (error instanceof DocumentSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a DocumentSyntaxError');
}

describe('splitDocuments', () => {
  it('reads JSON lines, whatever the chunk boundaries', async () => {
    const file = '{"a":1}\n{"b":"x}{"}\r\n\n{"c":{"d":[1,{"e":2}]}}\n';
    const expected = [
      { text: '{"a":1}', line: 1, index: 1 },
      { text: '{"b":"x}{"}', line: 2, index: 2 },
      { text: '{"c":{"d":[1,{"e":2}]}}', line: 4, index: 3 },
    ];
    expect(await split(file)).toEqual(expected);
    for (let cut = 1; cut < file.length; cut++) {
      expect(await split(file.slice(0, cut), file.slice(cut))).toEqual(expected);
    }
  });

  it('reads a --jsonArray file, on one line or pretty', async () => {
    expect((await split('[{"a":1},{"b":"\\"]"}]')).map((d) => d.text)).toEqual(['{"a":1}', '{"b":"\\"]"}']);
    const pretty = await split('[{\n  "a": 1\n},\n{\n  "b": 2\n}]\n');
    expect(pretty.map((d) => d.line)).toEqual([1, 4]);
    expect(await split('[]')).toEqual([]);
  });

  it('names the line of a file cut off in the middle', async () => {
    const cut = await failure('{"a":1}\n{"b":2}\n{"c":');
    expect(cut.message).toBe('the file ends in the middle of document 3');
    expect(cut.line).toBe(3);
    expect((await failure('[{"a":1},')).message).toMatch(/before the closing \]/);
  });

  it('refuses what is not a stream of documents', async () => {
    expect((await failure('{"a":1}\nnot json\n')).line).toBe(2);
    expect((await failure('[{"a":1} {"b":2}]')).message).toMatch(/expected , or \]/);
    expect((await failure('[{"a":1}] {"b":2}')).message).toMatch(/after the end of the array/);
  });
});
