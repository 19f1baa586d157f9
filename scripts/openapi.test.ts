import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openTestStore } from '../src/store/test-harness';
import { generateSchemaTypes, SCHEMA_PATH } from './openapi';

it('the web client types match the server OpenAPI document (run `npm run gen:api` after changing a route)', async () => {
  const committed = readFileSync(SCHEMA_PATH, 'utf8');
  // A copy of the run's template: `npm run gen:api` builds the app on a new in-memory database
  // instead, seconds of CPU more; the document does not depend on the database.
  const store = await openTestStore('pglite');
  try {
    expect(committed).toBe(await generateSchemaTypes(store));
  } finally {
    await store.close();
  }
  // Builds the whole app: seconds on a quiet machine, over 30 s on a loaded one.
}, 120_000);
