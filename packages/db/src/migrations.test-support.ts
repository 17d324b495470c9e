import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** A copy of one dialect's migrations holding only the first `count`: a database as an older release left it. */
export async function firstMigrations(dialect: 'sqlite' | 'pg', dir: string, count: number): Promise<string> {
  const folder = path.join(dir, dialect);
  await cp(path.join(MIGRATIONS, dialect), folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: unknown[] };
  await writeFile(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}
