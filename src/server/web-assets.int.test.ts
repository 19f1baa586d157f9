import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { buildApp } from './app';
import { IMMUTABLE_CACHE, precompressWebAssets, REVALIDATE_CACHE } from './web-assets';

/** A built web root as Vite writes it: index.html plus content-hashed assets, precompressed. */
function fakeBuild(): { dir: string; script: string; css: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rein-web-'));
  mkdirSync(join(dir, 'assets'));
  const script = `export const rows = [${Array.from({ length: 400 }, (_, i) => `"row ${i}"`).join(',')}];\n`;
  const css = `.card { padding: 4px; }\n`.repeat(100);
  writeFileSync(join(dir, 'assets', 'index-Bq7x_9Zk.js'), script);
  writeFileSync(join(dir, 'assets', 'index-CKo-bj-7.css'), css);
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><script type="module" src="/assets/index-Bq7x_9Zk.js"></script></head>` +
      `<body><div id="root"></div>${'<!-- padding -->'.repeat(80)}</body></html>`,
  );
  precompressWebAssets(dir);
  return { dir, script, css };
}

describeEachStore('web app assets', ({ store }) => {
  let app: FastifyInstance;
  let build: ReturnType<typeof fakeBuild>;
  beforeAll(async () => {
    build = fakeBuild();
    app = await buildApp({ store: store(), webDir: build.dir });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(build.dir, { recursive: true, force: true });
  });

  it('a hashed script comes back brotli-compressed, cacheable forever', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/assets/index-Bq7x_9Zk.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe(IMMUTABLE_CACHE);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    const body = brotliDecompressSync(res.rawPayload).toString('utf8');
    expect(body).toBe(build.script);
    expect(res.rawPayload.length).toBeLessThan(build.script.length / 3);
  });

  it('a client without brotli gets gzip; one without compression gets the plain file', async () => {
    const gz = await app.inject({
      method: 'GET',
      url: '/assets/index-CKo-bj-7.css',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe(IMMUTABLE_CACHE);
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(build.css);
    const plain = await app.inject({
      method: 'GET',
      url: '/assets/index-CKo-bj-7.css',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe(IMMUTABLE_CACHE);
    expect(plain.body).toBe(build.css);
  });

  it('index.html, at / and as the fallback for app routes, is revalidated on every load', async () => {
    for (const url of ['/', '/index.html', '/patients/123', '/portal/some-token']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(REVALIDATE_CACHE);
      const html =
        res.headers['content-encoding'] === 'br'
          ? brotliDecompressSync(res.rawPayload).toString('utf8')
          : res.body;
      expect(html, url).toContain('<div id="root">');
    }
  });

  it('API answers are not affected: no immutable caching on /api', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['cache-control'] ?? '').not.toContain('immutable');
  });
});
