/**
 * Splits what `mongoexport` writes into one JSON text per document, streaming: JSON lines (one
 * document a line) or `--jsonArray` (one array, often on a single line). Only the document being
 * read is held in memory, whatever the size of the file.
 */

export interface RawDocument {
  text: string;
  /** 1-based line where the document starts. */
  line: number;
  /** 1-based position of the document in the file. */
  index: number;
}

/** The file is not what mongoexport writes; `line` is where the reading stopped. */
export class DocumentSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

type Mode = 'start' | 'lines' | 'array-item' | 'array-next' | 'after-array';

export async function* splitDocuments(
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
): AsyncGenerator<RawDocument> {
  let mode: Mode = 'start';
  let line = 1;
  let index = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let startLine = 1;

  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let docStart = depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (depth > 0) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          else if (c === 0x0a) throw new DocumentSyntaxError('a line break inside a string', line);
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            parts.push(text.slice(docStart, i + 1));
            yield { text: parts.join(''), line: startLine, index: ++index };
            parts = [];
            docStart = -1;
            if (mode === 'array-item') mode = 'array-next';
          }
        }
        if (c === 0x0a) line++;
        continue;
      }
      if (c === 0x0a) {
        line++;
        continue;
      }
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0xfeff) continue;
      if (c === 0x5b && mode === 'start') {
        mode = 'array-item';
        continue;
      }
      if (c === 0x2c && mode === 'array-next') {
        mode = 'array-item';
        continue;
      }
      if (c === 0x5d && (mode === 'array-next' || (mode === 'array-item' && index === 0))) {
        mode = 'after-array';
        continue;
      }
      if (c === 0x7b && (mode === 'start' || mode === 'lines' || mode === 'array-item')) {
        if (mode === 'start') mode = 'lines';
        depth = 1;
        docStart = i;
        startLine = line;
        continue;
      }
      throw new DocumentSyntaxError(unexpected(mode, text[i] ?? ''), line);
    }
    if (depth > 0 && docStart >= 0) parts.push(text.slice(docStart));
  }
  if (depth > 0) throw new DocumentSyntaxError(`the file ends in the middle of document ${index + 1}`, startLine);
  if (mode === 'array-item' || mode === 'array-next') {
    throw new DocumentSyntaxError('the file ends before the closing ] of the array', line);
  }
}

function unexpected(mode: Mode, char: string): string {
  const shown = JSON.stringify(char);
  if (mode === 'after-array') return `unexpected ${shown} after the end of the array`;
  if (mode === 'array-next') return `unexpected ${shown} between documents (expected , or ])`;
  return `unexpected ${shown} where a document should start`;
}
