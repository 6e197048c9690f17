/**
 * The JavaScript a page loads before it does anything lazy: the entry script and every
 * `modulepreload` of its built `dist/web/pages/<page>/index.html`, gzipped (level 9, as a server
 * would send it), plus the chunks that are only imported later (e.g. the code highlighter).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIST_DIR } from '../src/server/http/pages.js';

export interface PageJsResult {
  page: string;
  /** Loaded with the page: file → gzip bytes. */
  initial: Record<string, number>;
  initialGzipBytes: number;
  /** Built chunks the page does not load up front but may import later (by name prefix). */
  lazy: Record<string, number>;
}

const gzipBytes = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

export function measurePageJs(page: string, lazyPrefixes: readonly string[]): PageJsResult {
  const html = readFileSync(path.join(WEB_DIST_DIR, 'pages', page, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const initial = Object.fromEntries(files.map((file) => [file, gzipBytes(path.join(WEB_DIST_DIR, file))]));
  const assets = path.join(WEB_DIST_DIR, 'assets');
  const lazy = Object.fromEntries(
    readdirSync(assets)
      .filter((name) => name.endsWith('.js') && lazyPrefixes.some((prefix) => name.startsWith(prefix)))
      .filter((name) => !files.includes(`/assets/${name}`))
      .map((name) => [`/assets/${name}`, gzipBytes(path.join(assets, name))]),
  );
  return { page, initial, initialGzipBytes: Object.values(initial).reduce((a, b) => a + b, 0), lazy };
}
