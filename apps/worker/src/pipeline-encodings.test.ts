import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '@harmonizer/core';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline.js';
import { createPipelineHarness, type JsonRecord, type PipelineHarness } from './testing/pipeline-harness.js';

const SYNTHEA_PATIENTS = readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/ohdsi-dbt-synthea/patients.csv'));

/** A small patients file with non-ASCII names and CRLF. */
const SMALL = [
  'MRN,First Name,Last Name,DOB,City',
  'P1,José,Müller,1980-01-02,Zürich',
  'P2,Zoë,Brontë,1975-03-04,São Paulo',
  'P3,Ann,Lee,1990-07-15,Malmö',
].join('\r\n') + '\r\n';

let h: PipelineHarness;
beforeAll(async () => {
  h = await createPipelineHarness();
});
afterAll(async () => h?.close());

async function harmonize(body: Buffer | string) {
  const job = await h.runningJob(body);
  const outcome = await runPipeline(job, h.deps());
  if (outcome.status !== 'completed') throw new Error('expected completion');
  const report = JSON.parse(await h.read(job.id, 'report.json')) as JsonRecord & { input: JsonRecord; rules: JsonRecord[] };
  const records = await h.readNdjson(job.id, 'patients.harmonized.ndjson');
  return { job, outcome, report, records, csv: await h.read(job.id, 'patients.harmonized.csv') };
}

async function failure(body: Buffer | string): Promise<{ code: string | undefined; files: string[] }> {
  const job = await h.runningJob(body);
  const error = await runPipeline(job, h.deps()).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(InputError);
  return { code: (error as InputError).code, files: await h.filesOf(job.id) };
}

const names = (records: JsonRecord[]) => records.map((r) => [r.given_name, r.family_name, r.city]);
const EXPECTED_NAMES = [
  ['José', 'Müller', 'Zürich'],
  ['Zoë', 'Brontë', 'São Paulo'],
  ['Ann', 'Lee', 'Malmö'],
];

describe('runPipeline reads encodings and compression', () => {
  it('harmonizes a gzip-compressed CSV exactly like the plain file, whatever its name', async () => {
    const plain = await harmonize(SYNTHEA_PATIENTS);
    const gzipped = await harmonize(gzipSync(SYNTHEA_PATIENTS));
    expect(gzipped.outcome.done.counts).toEqual(plain.outcome.done.counts);
    expect(gzipped.csv).toBe(plain.csv);
    expect(gzipped.records).toEqual(plain.records);
    expect(gzipped.report.input).toMatchObject({ format: 'csv', compression: 'gzip', encoding: 'utf-8', delimiter: ',' });
    expect(plain.report.input).toMatchObject({ compression: 'none' });
    expect(gzipped.outcome.done.metrics.bytesIn).toBeLessThan(SYNTHEA_PATIENTS.length);
  });

  it('fails a truncated gzip file with input.truncated_gzip and leaves no output', async () => {
    const whole = gzipSync(SYNTHEA_PATIENTS);
    expect(await failure(whole.subarray(0, Math.floor(whole.length / 2)))).toEqual({ code: 'input.truncated_gzip', files: [] });
  });

  it('fails a gzip file with damaged data with input.corrupt_gzip', async () => {
    const damaged = Buffer.from(gzipSync(SYNTHEA_PATIENTS));
    for (let i = 20; i < 60; i++) damaged[i] = 0xff - (damaged[i] ?? 0);
    expect((await failure(damaged)).code).toBe('input.corrupt_gzip');
  });

  it.each([
    { name: 'UTF-16LE with a BOM', bytes: () => iconv.encode(SMALL, 'utf16le', { addBOM: true }), encoding: 'utf-16le' },
    { name: 'UTF-16BE without a BOM', bytes: () => iconv.encode(SMALL, 'utf16be'), encoding: 'utf-16be' },
    { name: 'UTF-8 with a BOM', bytes: () => Buffer.from(`\uFEFF${SMALL}`), encoding: 'utf-8' },
    { name: 'Windows-1252', bytes: () => iconv.encode(SMALL.replace('São', 'Sao'), 'win1252'), encoding: 'windows-1252' },
  ])('reads a patients CSV in $name', async ({ bytes, encoding }) => {
    const { records, report, outcome } = await harmonize(bytes());
    const expected = encoding === 'windows-1252' ? EXPECTED_NAMES.map((n) => n.map((v) => v.replace('São', 'Sao'))) : EXPECTED_NAMES;
    expect(names(records)).toEqual(expected);
    expect(report.input).toMatchObject({ encoding, issues: [] });
    expect(outcome.done.counts.warnings).toBe(0);
  });

  it('reads a file mixing UTF-8 and Windows-1252 line by line and reports input.mixed_encoding', async () => {
    const [header, first, ...rest] = SMALL.split('\r\n');
    const bytes = Buffer.concat([Buffer.from(`${header}\r\n`), iconv.encode(`${first}\r\n`, 'win1252'), Buffer.from(rest.join('\r\n'))]);
    const { records, report, outcome } = await harmonize(bytes);
    expect(names(records)).toEqual(EXPECTED_NAMES);
    expect(report.input).toMatchObject({ encoding: 'utf-8+windows-1252', windows_1252_bytes: 3 });
    expect(report.rules).toContainEqual({ rule: 'input.mixed_encoding', severity: 'warning', count: 1 });
    expect(outcome.done.counts.warnings).toBe(1);
    expect(outcome.summary.rules['input.mixed_encoding']).toEqual({ severity: 'warning', count: 1 });
  });

  it('reads a large file in pooled chunks decoded by the threads, with Windows-1252 bytes far past the head counted', async () => {
    // Thousands of rows in chunks of 50, over the pool: each chunk's bytes are decoded in its thread.
    const [header, ...rows] = SMALL.split('\r\n').filter(Boolean);
    const utf8Rows = Array.from({ length: 3000 }, (_, i) => rows[i % rows.length]!.replace(/^P\d/, `P${i}`));
    const text = `${header}\r\n${utf8Rows.join('\r\n')}\r\n`;
    // Two rows deep in the file in Windows-1252 (ü, ö: one byte each, 3 in all), far past the sniffed head.
    const late = [2500, 2900];
    const bytes = Buffer.concat(
      [`${header}\r\n`, ...utf8Rows.map((row) => `${row}\r\n`)].map((line, i) => (late.includes(i - 1) ? iconv.encode(line, 'win1252') : Buffer.from(line))),
    );
    const job = await h.runningJob(bytes);
    const outcome = await runPipeline(job, h.deps({ chunkRows: 50 }));
    if (outcome.status !== 'completed') throw new Error('expected completion');
    const report = JSON.parse(await h.read(job.id, 'report.json')) as JsonRecord & { input: JsonRecord };
    const lateRows = late.map((i) => utf8Rows[i]!);
    const winBytes = lateRows.reduce((sum, row) => sum + [...row].filter((ch) => ch.charCodeAt(0) > 0x7f).length, 0);
    expect(report.input).toMatchObject({ encoding: 'utf-8+windows-1252', windows_1252_bytes: winBytes });
    const records = await h.readNdjson(job.id, 'patients.harmonized.ndjson');
    expect(records).toHaveLength(3000);
    // The same records as the whole file decoded as one text.
    const plain = await harmonize(text);
    expect(records.map((r) => [r.given_name, r.family_name, r.city])).toEqual(names(plain.records));
    expect(plain.report.input).toMatchObject({ encoding: 'utf-8' });
  });

  it('reads a large UTF-16 file with quoted line breaks like its UTF-8 twin (re-encoded before cutting)', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `P${i},"Zoë\r\nMarie",Brontë,1975-03-04,"São, Paulo"`);
    const text = `MRN,First Name,Last Name,DOB,City\r\n${rows.join('\r\n')}\r\n`;
    const run = async (bytes: Buffer) => {
      const job = await h.runningJob(bytes);
      const outcome = await runPipeline(job, h.deps({ chunkRows: 64 }));
      if (outcome.status !== 'completed') throw new Error('expected completion');
      const report = JSON.parse(await h.read(job.id, 'report.json')) as JsonRecord & { input: JsonRecord };
      return { report, csv: await h.read(job.id, 'patients.harmonized.csv'), counts: outcome.done.counts };
    };
    const utf8 = await run(Buffer.from(text));
    const utf16 = await run(iconv.encode(text, 'utf16le', { addBOM: true }));
    expect(utf16.report.input).toMatchObject({ encoding: 'utf-16le' });
    expect(utf16.counts).toEqual(utf8.counts);
    expect(utf16.counts.rows_in).toBe(2000);
    expect(utf16.csv).toBe(utf8.csv);
  });

  it('finds the header below title rows and leaves trailing empty columns out of the mapping', async () => {
    const body = [
      'Patient register,,,,,',
      'Exported 2024-05-01 from Clinic X,,,,,',
      ',,,,,',
      'MRN,First Name,Last Name,DOB,,',
      'P1,Ann,Lee,1990-07-15,,',
      'P2,Bo,Ng,1985-02-03,,',
    ].join('\n');
    const { records, report, outcome } = await harmonize(body);
    expect(records.map((r) => [r.patient_id, r._row])).toEqual([['P1', 1], ['P2', 2]]);
    expect(report.input).toMatchObject({ title_rows: 2, trailing_empty_columns: 2 });
    expect((report.mapping as JsonRecord[]).map((m) => m.source)).toEqual(['MRN', 'First Name', 'Last Name', 'DOB']);
    expect(report.unmapped_columns).toEqual([]);
    expect(outcome.done.counts).toMatchObject({ rows_in: 2, rows_out: 2, warnings: 0 });
  });

  it('reads ambiguous dates by the day order the rest of the column shows', async () => {
    const { records, report } = await harmonize('MRN,DOB\nA,03/04/1980\nB,25/12/1975\n');
    expect(records.map((r) => r.birth_date)).toEqual(['1980-04-03', '1975-12-25']);
    expect(JSON.stringify(report)).toContain('D/M/YYYY');
  });

  it.each([
    { name: 'a ZIP archive (an .xlsx workbook)', body: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0]), code: 'input.unsupported_format' },
    { name: 'a gzipped ZIP archive', body: gzipSync(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0])), code: 'input.unsupported_format' },
    { name: 'binary data', body: Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)), code: 'input.binary' },
    { name: 'FHIR XML', body: '<Bundle xmlns="http://hl7.org/fhir"><type value="batch"/></Bundle>', code: 'input.unsupported_format' },
  ])('fails $name with $code', async ({ body, code }) => {
    expect(await failure(body)).toEqual({ code, files: [] });
  });
});
