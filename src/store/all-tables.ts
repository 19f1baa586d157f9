/**
 * Every table of the one schema, gathered from the per-area schema files. Whole-database tools
 * (backup and restore) walk this list; a test checks that every `schema*.ts` file is included.
 */
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as core from './schema';
import * as measurement from './schema-measurement';
import * as notes from './schema-notes';
import * as outcomes from './schema-outcomes';
import * as record from './schema-record';
import * as sessions from './schema-sessions';
import * as taper from './schema-taper';

export const SCHEMA_MODULES = {
  schema: core,
  'schema-measurement': measurement,
  'schema-notes': notes,
  'schema-outcomes': outcomes,
  'schema-record': record,
  'schema-sessions': sessions,
  'schema-taper': taper,
};

export function allTables(): PgTable[] {
  const tables = new Map<string, PgTable>();
  for (const mod of Object.values(SCHEMA_MODULES)) {
    for (const value of Object.values(mod)) {
      if (is(value, PgTable)) tables.set(getTableConfig(value).name, value);
    }
  }
  return [...tables.values()];
}

/**
 * Tables ordered so that every table comes after the tables its foreign keys point to (parents first).
 * Self-references are ignored here; rows within a table are restored in id (UUIDv7, time) order.
 */
export function tablesInDependencyOrder(): PgTable[] {
  const tables = allTables();
  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const deps = new Map<string, Set<string>>();
  for (const t of tables) {
    const cfg = getTableConfig(t);
    const parents = new Set<string>();
    for (const fk of cfg.foreignKeys) {
      const parent = getTableConfig(fk.reference().foreignTable).name;
      if (parent !== cfg.name) parents.add(parent);
    }
    deps.set(cfg.name, parents);
  }
  const ordered: PgTable[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw new Error(`foreign-key cycle through ${name}`);
    visiting.add(name);
    for (const parent of deps.get(name) ?? []) visit(parent);
    visiting.delete(name);
    done.add(name);
    ordered.push(byName.get(name)!);
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return ordered;
}
