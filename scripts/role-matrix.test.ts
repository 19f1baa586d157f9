import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { MATRIX_PATH, roleMatrixMarkdown } from './role-matrix';

it('docs/role-matrix.md matches the routes’ access rules (run `npm run gen:roles` after changing one)', async () => {
  expect(readFileSync(MATRIX_PATH, 'utf8')).toBe(await roleMatrixMarkdown());
  // Builds the whole app: seconds on a quiet machine, over 30 s on a loaded one.
}, 120_000);
