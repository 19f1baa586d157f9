import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openTestStore } from '../src/store/test-harness';
import { MATRIX_PATH, roleMatrixMarkdown } from './role-matrix';

it('docs/role-matrix.md matches the routes’ access rules (run `npm run gen:roles` after changing one)', async () => {
  // A copy of the run's template: `npm run gen:roles` builds the app on a new in-memory database
  // instead, seconds of CPU more; the matrix does not depend on the database.
  const store = await openTestStore('pglite');
  try {
    expect(readFileSync(MATRIX_PATH, 'utf8')).toBe(await roleMatrixMarkdown(store));
  } finally {
    await store.close();
  }
  // Builds the whole app: seconds on a quiet machine, over 30 s on a loaded one.
}, 120_000);
