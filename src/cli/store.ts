import type { Store } from '../store/open';

/** Opens the database the environment points at (DATABASE_URL, else the embedded one in REIN_DATA_DIR). */
export async function openConfiguredStore(opts: { migrate?: boolean } = {}): Promise<Store> {
  // Loaded on use: commands that never touch the database start faster.
  const [{ openStore }, { loadConfig }] = await Promise.all([
    import('../store/open'),
    import('../server/config'),
  ]);
  const config = loadConfig();
  return openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    migrate: opts.migrate ?? true,
  });
}

export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
