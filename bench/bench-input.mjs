// The benchmark input, generated once per (profile, rows, seed) and kept under bench/out/inputs:
// a 1,000,000-row file takes a few seconds to write and every benchmark of a run reads the same one.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writePatientsCsv } from './generate-patients.mjs';
import { ROOT } from './services.mjs';

export const OUT = path.join(ROOT, 'bench', 'out');

/**
 * Path, size and generated row kinds of the input; generated (atomically) when missing.
 * @param {{ rows: number, seed?: number, profile?: import('./generate-patients.mjs').Profile }} options
 */
export async function ensureInput({ rows, seed = 42, profile = 'issue6' }) {
  const dir = path.join(OUT, 'inputs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `patients-${profile}-${rows}-${seed}.csv`);
  const meta = `${file}.json`;
  if (!existsSync(file) || !existsSync(meta)) {
    const temp = `${file}.${process.pid}.part`;
    const kinds = await writePatientsCsv({ rows, seed, profile, out: temp });
    renameSync(temp, file);
    writeFileSync(meta, `${JSON.stringify({ rows, seed, profile, kinds })}\n`);
  }
  const { kinds } = JSON.parse(readFileSync(meta, 'utf8'));
  return { path: file, bytes: statSync(file).size, rows, seed, profile, kinds };
}

/** The reference date every implementation validates against: today, UTC, as the worker does. */
export const referenceDate = () => new Date().toISOString().slice(0, 10);
