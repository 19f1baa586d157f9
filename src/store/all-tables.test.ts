import { readdirSync } from 'node:fs';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { allTables, SCHEMA_MODULES, tablesInDependencyOrder } from './all-tables';

describe('allTables', () => {
  it('includes every schema*.ts file of the store, so backups miss no table', () => {
    const files = readdirSync(import.meta.dirname)
      .filter((f) => /^schema.*\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(SCHEMA_MODULES).sort()).toEqual(files);
  });

  it('orders every table after the tables its foreign keys reference', () => {
    const order = tablesInDependencyOrder().map((t) => getTableConfig(t).name);
    expect(new Set(order).size).toBe(allTables().length);
    for (const table of allTables()) {
      const cfg = getTableConfig(table);
      for (const fk of cfg.foreignKeys) {
        const parent = getTableConfig(fk.reference().foreignTable).name;
        if (parent !== cfg.name)
          expect(order.indexOf(parent), `${cfg.name} → ${parent}`).toBeLessThan(order.indexOf(cfg.name));
      }
    }
  });
});
