#!/usr/bin/env node
// Writes docs/datasets.md from the dataset registry of the built core (run `npx tsc -b` first).
// With --check, writes nothing and exits 1 when the file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const target = fileURLToPath(new URL('../docs/datasets.md', import.meta.url));
const { renderDatasetsMarkdown } = await import(new URL('../packages/core/dist/index.js', import.meta.url).href);
const fresh = renderDatasetsMarkdown();

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== fresh) {
    console.error('docs/datasets.md is stale: run `npx tsc -b && node scripts/gen-datasets-doc.mjs`');
    process.exit(1);
  }
  console.log('docs/datasets.md is up to date');
} else {
  await writeFile(target, fresh);
  console.log(`wrote ${target}`);
}
