/**
 * What a built page (`dist/web/pages/<page>/index.html`) loads before it does anything lazy: the
 * entry script, every `modulepreload` and every stylesheet `<link>`, raw and gzipped (level 9, as a
 * server would send it), plus the chunks that are only imported later (e.g. the code highlighter).
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

export interface Weight {
  rawBytes: number;
  gzipBytes: number;
}

export interface PageWeight {
  page: string;
  js: Weight;
  css: Weight;
}

const gzipBytes = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The `/assets/…` files of one kind that the page's HTML loads (script, modulepreload or stylesheet). */
function loadedAssets(page: string, extension: 'js' | 'css'): string[] {
  const html = readFileSync(path.join(WEB_DIST_DIR, 'pages', page, 'index.html'), 'utf8');
  const pattern = new RegExp(`(?:src|href)="(/assets/[^"]+\\.${extension})"`, 'g');
  return [...html.matchAll(pattern)].map((m) => m[1] ?? '');
}

function weigh(files: readonly string[]): Weight {
  const paths = files.map((file) => path.join(WEB_DIST_DIR, file));
  return {
    rawBytes: paths.reduce((sum, file) => sum + readFileSync(file).length, 0),
    gzipBytes: paths.reduce((sum, file) => sum + gzipBytes(file), 0),
  };
}

export function measurePageJs(page: string, lazyPrefixes: readonly string[]): PageJsResult {
  const files = loadedAssets(page, 'js');
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

/** The JavaScript and CSS every built page loads up front. */
export function measurePageWeights(): PageWeight[] {
  return readdirSync(path.join(WEB_DIST_DIR, 'pages'))
    .sort()
    .map((page) => ({ page, js: weigh(loadedAssets(page, 'js')), css: weigh(loadedAssets(page, 'css')) }));
}
