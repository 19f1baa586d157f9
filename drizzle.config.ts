import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // One file per area (schema.ts, schema-<area>.ts); all are part of the one migration history.
  schema: './src/store/schema*.ts',
  out: './src/store/migrations',
});
