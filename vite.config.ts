import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { assertPortalIsolated, assertWithinBudget } from './scripts/web-chunks.ts';
import { precompressWebAssets } from './src/server/web-assets.ts';

/**
 * After each build: fail if the patient portal would download clinician code or a download is over
 * its budget, then write brotli and gzip copies of every text asset once, so the server never
 * compresses per request.
 */
function checkAndPrecompress(): Plugin {
  let outDir = '';
  return {
    name: 'rein-web-output',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      assertPortalIsolated(outDir);
      assertWithinBudget(outDir);
      precompressWebAssets(outDir);
    },
  };
}

export default defineConfig({
  root: 'src/web',
  plugins: [react(), checkAndPrecompress()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // .vite/manifest.json maps each source entry to its chunk and static imports (scripts/web-chunks.ts).
    manifest: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
