import type { Store } from '../store/open';

/*
 * The command line's composition root: the one CLI file that opens the database the environment
 * names (store/open and the environment's config); every command then works through src/app.
 */

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
    maxConnections: config.databasePoolSize,
    dataDir: config.dataDir,
    migrate: opts.migrate ?? true,
  });
}

/**
 * Runs a command against the store. Audit events the command wrote are sealed into their clinic's
 * chain before it exits (unless `seal: false`, for a command that must only read), so a command run
 * while no server is running leaves no unsealed tail.
 */
export async function withStore<T>(
  fn: (store: Store) => Promise<T>,
  opts: { seal?: boolean } = {},
): Promise<T> {
  const store = await openConfiguredStore();
  try {
    const result = await fn(store);
    if (opts.seal ?? true) {
      const { sealAuditEvents } = await import('../app/audit');
      await sealAuditEvents(store.db);
    }
    return result;
  } finally {
    await store.close();
  }
}
