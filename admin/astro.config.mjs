// The owner console: a static Astro build (admin/dist/) with Preact islands, served by the hub
// itself (server/api/console-static.ts). docs/console.md says how it fits together.
import { defineConfig } from 'astro/config';
import preact from '@astrojs/preact';

export default defineConfig({
  root: '.',
  outDir: './dist',
  output: 'static',
  // /login → dist/login/index.html, served for /login and /login/.
  build: { format: 'directory', inlineStylesheets: 'never' },
  trailingSlash: 'ignore',
  // No dev toolbar, no telemetry-ish extras in the build.
  devToolbar: { enabled: false },
  integrations: [preact({ compat: false })],
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
