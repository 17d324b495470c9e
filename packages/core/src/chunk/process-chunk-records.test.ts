import { describe, expect, it } from 'vitest';
import { matchHeaders } from '../mapping/match-headers.js';
import { processChunk } from '../process-chunk.js';
import type { ChunkTask } from '../types.js';

const mapping = matchHeaders(['MRN', 'Last Name', 'DOB', 'address.city'], 'patients', { 'address.city': 'city' });

function run(lines: string[], over: Partial<ChunkTask> = {}) {
  const result = processChunk({
    dataset: 'patients',
    delimiter: ',',
    mapping,
    options: {},
    referenceDate: '2025-06-01',
    format: 'records',
    text: `${lines.join('\n')}\n`,
    firstRow: 1,
    ...over,
  });
  return {
    ...result,
    json: result.accepted.map((a) => JSON.parse(a.json) as Record<string, unknown>),
    rejected: result.rejects.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('processChunk on records (NDJSON lines)', () => {
  it('standardizes JSON values through the same mapping as CSV cells', () => {
    const { json } = run(['{"MRN":"P1","Last Name":"SMITH","DOB":"01/02/1980","address":{"city":"Boston"}}']);
    expect(json[0]).toMatchObject({ patient_id: 'P1', family_name: 'Smith', birth_date: '1980-01-02', city: 'Boston', _row: 1 });
  });

  it('reads numbers and booleans as text and keeps keys no column reads under extras', () => {
    const { json } = run(['{"MRN":1234,"DOB":"1980-01-02","vip":true,"tags":["a","b"],"note":null}']);
    expect(json[0]).toMatchObject({ patient_id: '1234', extras: { vip: 'true', tags: '["a","b"]' } });
    expect(json[0]?.extras).not.toHaveProperty('note');
  });

  it('numbers records by task.rows when the records are not consecutive in the file', () => {
    const { accepted, rejected } = run(['{"MRN":"A"}', '{"DOB":"2999-01-01","MRN":"B"}', '{"MRN":"C"}'], { rows: [4, 9, 17] });
    expect(accepted.map((a) => a.row)).toEqual([4, 17]);
    expect(rejected).toEqual([expect.objectContaining({ row: 9, rule: 'birth_date.future' })]);
  });

  it('rejects a line that is not a JSON object as row.malformed and keeps the others', () => {
    const { accepted, rejected, stats } = run(['{"MRN":"A"}', '[1,2]', '{"MRN":', '"text"', '{"MRN":"B"}']);
    expect(accepted.map((a) => a.row)).toEqual([1, 5]);
    expect(rejected.map((r) => [r.row, r.rule, r.message])).toEqual([
      [2, 'row.malformed', 'the record is not a JSON object'],
      [3, 'row.malformed', 'the record is not a JSON object'],
      [4, 'row.malformed', 'the record is not a JSON object'],
    ]);
    expect(stats).toMatchObject({ rowsIn: 5, rowsRejected: 3 });
  });

  it('counts a record with no values as blank, not as a row in', () => {
    const { stats, accepted } = run(['{}', '{"MRN":"","DOB":null}', '{"MRN":"A"}']);
    expect(accepted).toHaveLength(1);
    expect(stats).toMatchObject({ rowsIn: 1, rowsBlank: 2 });
  });

  it('gives records with the same values the same keys as the CSV path would', () => {
    const records = run(['{"MRN":"A","DOB":"1980-01-02"}']).accepted[0];
    const csv = processChunk({ dataset: 'patients', delimiter: ',', mapping, options: {}, text: 'A,,1980-01-02,\n', firstRow: 1 }).accepted[0];
    expect(records?.exactKey).toBe(csv?.exactKey);
    expect(records?.csv).toBe(csv?.csv);
  });
});
