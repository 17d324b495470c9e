import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientsCsv } from '../../../bench/generate-patients.mjs';
import { INLINE_MAX_CHARS } from './inline-chunks.js';
import type { ChunkPool } from './pool.js';
import { runPipeline, type PipelineSettings } from './pipeline.js';
import { createPipelineHarness, type JsonRecord, type PipelineHarness } from './testing/pipeline-harness.js';

const FIXTURES = path.join(import.meta.dirname, '../../../test/fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

interface Input {
  name: string;
  body: Buffer | string;
  dataset?: string;
  options?: JsonRecord;
  chunkRows?: number;
}

const generated = (seed: number, rows: number, profile: 'patients' | 'issue6') => [...patientsCsv({ seed, rows, profile })].join('');

/** Generated messy files of many sizes (duplicates, rejects, quoted newlines), some cut into many chunks. */
function generatedInputs(): Input[] {
  const inputs: Input[] = [];
  for (let i = 0; i < 24; i++) {
    const rows = [0, 1, 2, 8, 8, 30, 120, 300][i % 8]!;
    const profile = i % 2 === 0 ? 'issue6' : 'patients';
    inputs.push({
      name: `generated-${i}-${rows}-${profile}`,
      body: generated(500 + i, rows, profile),
      ...(i % 3 === 0 ? { dataset: 'patients' } : {}),
      ...(i % 4 === 1 ? { chunkRows: 7 } : i % 4 === 3 ? { chunkRows: 1 } : {}),
      ...(i % 5 === 2 ? { options: { outputs: ['csv', 'ndjson', 'fhir', 'parquet'] } } : {}),
      ...(i % 7 === 4 ? { options: { dedup_keys: ['family_name', 'birth_date'], include_values: true } } : {}),
    });
  }
  return inputs;
}

/** The project's fixtures and edge cases: other formats and datasets, gzip, encodings, files that fail. */
function fixtureInputs(): Input[] {
  const bulk = path.join(FIXTURES, 'smart-bulk-fhir-synthea');
  const synthea = path.join(FIXTURES, 'ohdsi-dbt-synthea');
  const messy = fixture('messy-patients.csv');
  const records = [
    { MRN: 'P1', 'First Name': 'ann', 'Last Name': 'LEE', DOB: '1990-07-15', Sex: 'F' },
    { MRN: 'P2', DOB: '02/03/1985', Sex: 'male', meta: { source: 'crm' } },
    { MRN: 'P1', 'First Name': 'ann', 'Last Name': 'LEE', DOB: '1990-07-15', Sex: 'F' },
    { MRN: 'P3', DOB: '2999-01-01' },
  ];
  return [
    { name: 'messy', body: messy, options: { outputs: ['csv', 'ndjson', 'fhir', 'parquet'] } },
    { name: 'messy-small-chunks', body: messy, chunkRows: 3 },
    { name: 'messy-gzip', body: gzipSync(messy) },
    { name: 'messy-bom-utf16', body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(messy.toString('utf8'), 'utf16le')]) },
    { name: 'windows-1252', body: Buffer.from('MRN,Last Name,DOB\nP1,Ren\xe9,1980-01-02\n', 'latin1') },
    { name: 'header-only', body: fixture('bad/header-only.csv') },
    { name: 'empty', body: '' },
    { name: 'mismatched-quotes', body: fixture('bad/mismatched-quotes.csv') },
    { name: 'csv-named-json', body: fixture('bad/patients-named-as.json') },
    { name: 'not-records', body: fixture('bad/not-records.json') },
    { name: 'invalid-json', body: fixture('bad/invalid.json') },
    { name: 'nul-bytes', body: fixture('bad/nul-bytes.csv') },
    { name: 'ndjson', body: [...records.map((r) => JSON.stringify(r)), '{"MRN": broken', ''].join('\n'), chunkRows: 2 },
    { name: 'json-array', body: JSON.stringify([...records, 'not a record'], null, 2) },
    { name: 'fhir-bundle', body: fixture('smart-generated-fhir-r4/Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json') },
    ...readdirSync(bulk)
      .filter((file) => file.endsWith('.ndjson'))
      .map((file) => ({ name: `bulk-${file}`, body: readFileSync(path.join(bulk, file)) })),
    ...readdirSync(synthea)
      .filter((file) => file.endsWith('.csv'))
      .map((file) => ({ name: `synthea-${file}`, body: readFileSync(path.join(synthea, file)) })),
  ];
}

/** A pool that counts the chunks it is given. */
function counting(pool: ChunkPool): ChunkPool & { calls: number } {
  const counted = {
    ...pool,
    calls: 0,
    run(task: Parameters<ChunkPool['run']>[0]) {
      counted.calls += 1;
      return pool.run(task);
    },
  };
  return counted;
}

interface Run {
  error?: { name: string; code?: unknown; message: string };
  status?: string;
  done?: unknown;
  summary?: unknown;
  files: Record<string, string>;
  poolCalls: number;
}

/** Runs one input as job `id` and collects everything it left: outcome, and every stored result file in base64. */
async function run(h: PipelineHarness, id: string, input: Input, settings: Partial<PipelineSettings>): Promise<Run> {
  const job = await h.runningJob(input.body, { id, dataset: input.dataset ?? null, fileName: `${input.name}.csv`, options: input.options ?? {} });
  const base = h.deps({ chunkRows: input.chunkRows ?? 1000, ...settings });
  const pool = counting(base.pool);
  const result: Run = { files: {}, poolCalls: 0 };
  try {
    const outcome = await runPipeline(job, { ...base, pool });
    result.status = outcome.status;
    if (outcome.status === 'completed') {
      const { metrics, ...done } = outcome.done;
      result.done = { ...done, metrics: { ...metrics, durationMs: 0 } };
      result.summary = outcome.summary;
    }
  } catch (err) {
    const e = err as Error & { code?: unknown };
    result.error = { name: e.name, code: e.code, message: e.message };
  }
  result.poolCalls = pool.calls;
  // Temp files too (.tmp/): none may be left behind by either path.
  const keys = await h.filesOf(id);
  for (const key of keys) {
    if (keys.some((other) => other.startsWith(`${key}/`))) continue; // a folder
    result.files[key] = (await buffer(await h.storage.read(key))).toString('base64');
  }
  return result;
}

describe('chunks of a small input run on the main thread with the outputs the pool gives', () => {
  let pooled: PipelineHarness;
  let inline: PipelineHarness;
  beforeAll(async () => {
    [pooled, inline] = await Promise.all([createPipelineHarness(), createPipelineHarness()]);
  });
  afterAll(async () => {
    await Promise.all([pooled?.close(), inline?.close()]);
  });

  const inputs = [...generatedInputs(), ...fixtureInputs()];
  it.each(inputs.map((input, i) => [input.name, input, i] as const))('%s', async (_name, input, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const a = await run(pooled, id, input, { inlineMaxChars: 0 });
    const b = await run(inline, id, input, { inlineMaxChars: Number.POSITIVE_INFINITY });
    // Read whole with the head (64 Ki characters): inline. A longer input goes to the pool either way.
    if (Buffer.byteLength(input.body) <= 60_000) expect(b.poolCalls).toBe(0);
    if (a.status === 'completed' && (a.done as { counts: { rows_in: number } }).counts.rows_in > 0) expect(a.poolCalls).toBeGreaterThan(0);
    expect(Object.keys(b.files)).toEqual(Object.keys(a.files));
    for (const name of Object.keys(a.files)) expect(b.files[name], name).toBe(a.files[name]);
    expect({ ...b, poolCalls: 0 }).toEqual({ ...a, poolCalls: 0 });
  });

  it('runs an input over the limit on the pool, and one under it inline, by default', async () => {
    const over = generated(77, 100, 'issue6'); // read whole with the head, but longer than the limit
    expect(over.length).toBeGreaterThan(INLINE_MAX_CHARS);
    expect(over.length).toBeLessThan(60_000);
    const big = await run(inline, '00000000-0000-4000-9000-000000000001', { name: 'over', body: over }, {});
    expect(big.poolCalls).toBeGreaterThan(0);
    const under = generated(78, 8, 'issue6');
    expect(under.length).toBeLessThan(INLINE_MAX_CHARS);
    const small = await run(inline, '00000000-0000-4000-9000-000000000002', { name: 'under', body: under }, {});
    expect(small.poolCalls).toBe(0);
    expect(small.status).toBe('completed');
  });
});
