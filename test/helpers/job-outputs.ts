import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { ApiClient } from './api-client.js';

export type Row = Record<string, string>;
export type JsonRecord = Record<string, unknown>;

export interface JobOutputs {
  /** The harmonized CSV as records keyed by the service's own header line. */
  csvHeader: string[];
  csvRows: Row[];
  ndjson: JsonRecord[];
  rejects: JsonRecord[];
  report: JsonRecord;
  logs: JsonRecord;
}

const CSV_TYPE = /^text\/csv/;
const NDJSON_TYPE = /^application\/(x-)?ndjson/;

function parseNdjson(text: string): JsonRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonRecord);
}

/** A download answers 200 with the right type and an attachment file name. */
function expectDownload(res: { status: number; headers: Headers }, type: RegExp): void {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(type);
  expect(res.headers.get('content-disposition')).toMatch(/attachment;.*filename=/);
}

/** Downloads every output of a completed job over HTTP and parses each one. */
export async function downloadOutputs(api: ApiClient, id: string): Promise<JobOutputs> {
  const base = `/api/v1/jobs/${id}`;
  const csv = await api.request<undefined>('GET', `${base}/result?format=csv`);
  expectDownload(csv, CSV_TYPE);
  const ndjson = await api.request<undefined>('GET', `${base}/result?format=ndjson`);
  expectDownload(ndjson, NDJSON_TYPE);
  const rejects = await api.request<undefined>('GET', `${base}/rejects`);
  expect(rejects.status).toBe(200);
  expect(rejects.headers.get('content-type')).toMatch(NDJSON_TYPE);
  const report = await api.request<JsonRecord>('GET', `${base}/report`);
  expect(report.status).toBe(200);
  const logs = await api.request<JsonRecord>('GET', `${base}/logs`);
  expect(logs.status).toBe(200);

  const [headerLine = ''] = csv.text.split(/\r?\n/, 1);
  const csvHeader = (parse(headerLine.replace(/^\uFEFF/, '')) as string[][])[0] ?? [];
  const csvRows = parse(csv.text, { columns: true, bom: true }) as Row[];
  return { csvHeader, csvRows, ndjson: parseNdjson(ndjson.text), rejects: parseNdjson(rejects.text), report: report.body, logs: logs.body };
}

/** The value of a CSV cell with the formula-injection guard (a leading apostrophe) taken off. */
export const unguarded = (cell: string | undefined): string | undefined =>
  cell !== undefined && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
