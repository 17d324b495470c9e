import { defineConfig } from 'drizzle-kit';

// Generates SQLite migrations from the schema: `npm run generate -w @harmonizer/db`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema/sqlite.ts',
  out: './migrations/sqlite',
});
