import { defineConfig } from 'drizzle-kit';

// Generates Postgres migrations from the schema: `npm run generate -w @harmonizer/db`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/pg.ts',
  out: './migrations/pg',
});
