import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generateSchemaTypes, SCHEMA_PATH } from './openapi';

it('the web client types match the server OpenAPI document (run `npm run gen:api` after changing a route)', async () => {
  const committed = readFileSync(SCHEMA_PATH, 'utf8');
  expect(committed).toBe(await generateSchemaTypes());
  // Builds the whole app: seconds on a quiet machine, over 30 s on a loaded one.
}, 120_000);
