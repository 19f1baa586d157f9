/**
 * How the built web app is sent: precompressed once at build time (brotli and gzip beside each text
 * file, served by @fastify/static's preCompressed option), cached forever when the name carries a
 * content hash, revalidated on every load otherwise.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Vite writes every hashed output as assets/<name>-<hash>.<ext>; the hash changes with the content. */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** A year, the longest max-age caches honour; `immutable` stops revalidation on reload. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** index.html and anything unhashed: the browser checks for a new build on every load (ETag). */
export const REVALIDATE_CACHE = 'no-cache';

/** Cache-Control for a file, given its path relative to the web root (a .br/.gz suffix is ignored). */
export function cacheControlFor(relativePath: string): string {
  const path = relativePath
    .split(sep)
    .join('/')
    .replace(/\.(br|gz)$/, '');
  return HASHED_ASSET.test(path) ? IMMUTABLE_CACHE : REVALIDATE_CACHE;
}

/** Text formats worth compressing; images and fonts are already compressed. */
const COMPRESSIBLE = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.svg',
  '.json',
  '.txt',
  '.map',
  '.webmanifest',
]);
/** Below this a compressed copy saves less than a network packet. */
const MIN_BYTES = 1024;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Writes <file>.br and <file>.gz beside every compressible file in the built web root, keeping a
 * copy only when it is smaller. Returns the files compressed, relative to the root.
 */
export function precompressWebAssets(root: string): string[] {
  const done: string[] = [];
  for (const path of filesUnder(root)) {
    if (relative(root, path).startsWith('.')) continue; // .vite/manifest.json is build metadata, not served
    if (!COMPRESSIBLE.has(extname(path))) continue;
    const raw = readFileSync(path);
    if (raw.length < MIN_BYTES) continue;
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
    const gz = gzipSync(raw, { level: 9 });
    if (br.length < raw.length) writeFileSync(`${path}.br`, br);
    if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz);
    done.push(relative(root, path));
  }
  return done;
}
