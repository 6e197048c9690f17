import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));

/** One entry per folder of `src/web/pages`; the server maps each route to `dist/web/pages/<name>/index.html`. */
const pageNames = readdirSync(`${root}/pages`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default defineConfig({
  root,
  // Pages are served at /, /dashboard…, never at their folder, so asset URLs must be absolute.
  base: '/',
  publicDir: false,
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // Everything (favicon, fonts) stays a file under /assets: the CSP allows no inline data for fonts.
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: Object.fromEntries(pageNames.map((name) => [name, `${root}/pages/${name}/index.html`])),
    },
  },
});
