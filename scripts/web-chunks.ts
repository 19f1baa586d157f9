/**
 * What each screen of the built web app downloads, from Vite's manifest (dist/web/.vite/manifest.json).
 * The patient portal must never download the clinician app: every build checks it (vite.config.ts)
 * and fails if a clinician page or the clinician layout is reachable from the portal by static imports.
 *
 * Run: `npx tsx scripts/web-chunks.ts [dist/web]` — prints the chunk sizes (gzip) and the check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/** Source paths (relative to src/web) of the portal's page and the pages anyone may open signed out. */
export const PORTAL_PAGE = 'pages/PortalPage.tsx';
const SIGNED_OUT_PAGES = new Set([PORTAL_PAGE, 'pages/LoginPage.tsx', 'pages/ChangePasswordPage.tsx']);

/** Clinician code: every page but the signed-out ones, and the clinician layout (navigation). */
export function isClinicianModule(src: string): boolean {
  return (src.startsWith('pages/') && !SIGNED_OUT_PAGES.has(src)) || src === 'components/Layout.tsx';
}

/** Manifest keys loaded when `roots` load: the roots and everything they import statically. */
export function staticClosure(manifest: Manifest, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (seen.has(key)) continue;
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`manifest has no entry ${key}`);
    seen.add(key);
    stack.push(...(chunk.imports ?? []));
  }
  return seen;
}

export function entryKey(manifest: Manifest): string {
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry in the manifest, found ${entries.length}`);
  return entries[0]![0];
}

export interface PortalCheck {
  /** Files (JS and CSS) the portal downloads. */
  files: string[];
  /** Clinician modules the portal would download, with the chunk that carries each. */
  violations: string[];
}

/**
 * The portal loads the entry chunk and its page chunk with their static imports. A clinician module
 * leaks in if its key is in that set, or if the bundler merged it into a chunk that is.
 */
export function checkPortal(manifest: Manifest): PortalCheck {
  if (manifest[PORTAL_PAGE] === undefined) throw new Error(`${PORTAL_PAGE} is not a chunk of its own`);
  const keys = staticClosure(manifest, [entryKey(manifest), PORTAL_PAGE]);
  const files = new Set<string>();
  for (const key of keys) {
    files.add(manifest[key]!.file);
    for (const css of manifest[key]!.css ?? []) files.add(css);
  }
  const violations: string[] = [];
  for (const [key, chunk] of Object.entries(manifest)) {
    const src = chunk.src ?? key;
    if (!isClinicianModule(src)) continue;
    if (keys.has(key) || files.has(chunk.file)) violations.push(`${src} (in ${chunk.file})`);
  }
  return { files: [...files].sort(), violations };
}

export function readManifest(webDir: string): Manifest {
  const path = join(webDir, '.vite', 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} not found: build the web app first (npm run build)`);
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** Throws when the portal would download clinician code (called after every build). */
export function assertPortalIsolated(webDir: string): void {
  const { violations } = checkPortal(readManifest(webDir));
  if (violations.length > 0) {
    throw new Error(`the patient portal would download clinician code: ${violations.join(', ')}`);
  }
}

const gzipBytes = (webDir: string, file: string): number =>
  gzipSync(readFileSync(join(webDir, file)), { level: 9 }).length;

export interface ChunkReport {
  largest: { file: string; gzipBytes: number };
  portal: { files: number; gzipBytes: number };
  allGzipBytes: number;
}

export function chunkReport(webDir: string): ChunkReport {
  const assets = readdirSync(join(webDir, 'assets'))
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((f) => ({ file: `assets/${f}`, gzipBytes: gzipBytes(webDir, `assets/${f}`) }));
  assets.sort((a, b) => b.gzipBytes - a.gzipBytes);
  const portal = checkPortal(readManifest(webDir)).files;
  return {
    largest: assets[0]!,
    portal: { files: portal.length, gzipBytes: portal.reduce((s, f) => s + gzipBytes(webDir, f), 0) },
    allGzipBytes: assets.reduce((s, a) => s + a.gzipBytes, 0),
  };
}

/** Download budgets (gzip): a phone on a slow link opens the portal; no chunk may dominate a load. */
export const PORTAL_BUDGET_GZIP_BYTES = 150 * 1024;
export const CHUNK_BUDGET_GZIP_BYTES = 250 * 1024;

/** The budgets a report breaks, as sentences (empty when within budget). */
export function budgetViolations(r: ChunkReport): string[] {
  const kb = (b: number): string => `${(b / 1024).toFixed(1)} kB`;
  const out: string[] = [];
  if (r.portal.gzipBytes > PORTAL_BUDGET_GZIP_BYTES) {
    out.push(`the portal downloads ${kb(r.portal.gzipBytes)} gzip (budget ${kb(PORTAL_BUDGET_GZIP_BYTES)})`);
  }
  if (r.largest.gzipBytes > CHUNK_BUDGET_GZIP_BYTES) {
    out.push(`${r.largest.file} is ${kb(r.largest.gzipBytes)} gzip (budget ${kb(CHUNK_BUDGET_GZIP_BYTES)})`);
  }
  return out;
}

/** Throws when the build breaks a download budget (called after every build). */
export function assertWithinBudget(webDir: string): void {
  const broken = budgetViolations(chunkReport(webDir));
  if (broken.length > 0) throw new Error(`web build over budget: ${broken.join('; ')}`);
}

if (process.argv[1]?.endsWith('web-chunks.ts')) {
  const webDir = process.argv[2] ?? 'dist/web';
  const kb = (b: number): string => `${(b / 1024).toFixed(1)} kB`;
  const { violations } = checkPortal(readManifest(webDir));
  const r = chunkReport(webDir);
  process.stdout.write(
    `web: largest chunk ${r.largest.file} ${kb(r.largest.gzipBytes)} gzip; ` +
      `portal downloads ${r.portal.files} files, ${kb(r.portal.gzipBytes)} gzip; all chunks ${kb(r.allGzipBytes)} gzip\n`,
  );
  if (violations.length > 0) {
    process.stdout.write(`web: the portal would download clinician code: ${violations.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write('web: the portal downloads no clinician page\n');
  const broken = budgetViolations(r);
  if (broken.length > 0) {
    process.stdout.write(`web: over budget: ${broken.join('; ')}\n`);
    process.exit(1);
  }
}
