import { readChunk, withLeftovers } from './chunk/read-chunk.js';
import { cachedPlan, type ChunkPlan } from './chunk/chunk-plan.js';
import { applyCodeMap, planCodeMap } from './chunk/code-map.js';
import { harmonizeRow, ROW_FIELD } from './chunk/harmonize-row.js';
import { dedupKey, exactKey } from './dedup/record-keys.js';
import { recordVersion } from './dedup/record-version.js';
import { countRule, emptyStats } from './report/merge-stats.js';
import { profilePlan, profileRecord } from './report/field-profile.js';
import { withRawValues } from './chunk/issue-values.js';
import { chunkDeidentifier } from './deidentify/chunk-deidentifier.js';
import type { AcceptedRecord, ChunkResult, ChunkStats, ChunkTask, Issue } from './types.js';
import { finding, type Finding } from './validate/rules.js';
import { csvRecordLine } from './writers/csv-line.js';
import { recordObject } from './writers/record-json.js';
import { rejectLine } from './writers/reject-line.js';

/**
 * Harmonizes one chunk of whole CSV records (or NDJSON records, see ChunkTask.format): parse,
 * standardize, validate, and serialize each row as an accepted record (CSV + JSON + keys) or a
 * reject line. Synchronous, and pure but for the few plans a thread keeps (cachedPlan): it runs in worker threads. Row numbers are 1-based data
 * record numbers (the header is not counted; blank records are skipped but keep their number),
 * starting at task.firstRow, or task.rows for records routed from a FHIR file. With a `sink`,
 * each accepted record goes to it as soon as it is made, with the object its JSON line was
 * serialized from (what JSON.parse of the line gives), instead of into `accepted` (left empty):
 * the caller packs or maps records one at a time, so a chunk's results never pile up as objects.
 */
export function processChunk(task: ChunkTask, sink?: AcceptedSink): ChunkResult {
  const plan = cachedPlan(task);
  const stats = emptyStats();
  for (const name of plan.fieldNames) stats.filled[name] = 0;
  if (Object.keys(plan.formats).length > 0) stats.formats = { ...plan.formats };
  const accepted: AcceptedRecord[] = [];
  const rejects: string[] = [];
  const profiled = profilePlan(plan.def);
  const includeValues = task.options.include_values === true;
  const deidentify = chunkDeidentifier(task, plan.def);
  const codeMap = planCodeMap(plan, task.options);
  const { records, leftovers, rowAt, malformed } = readChunk(task);
  for (let i = 0; i < records.count; i++) {
    const row = rowAt(i);
    // Read here, not all at once: a record's cells die with it (see regularCsvCursor).
    const cells = records.next();
    if (cells !== null && isBlank(cells) && !leftovers[i]) {
      stats.rowsBlank = (stats.rowsBlank ?? 0) + 1;
      continue;
    }
    stats.rowsIn++;
    if (cells === null) {
      reject(stats, rejects, row, [finding(ROW_FIELD, 'row.malformed', malformed)]);
      continue;
    }
    const coded = applyCodeMap(codeMap, cells);
    const { record, extras: cellExtras, findings, conversions } = harmonizeRow(plan, coded.cells);
    const extras = withLeftovers(cellExtras, leftovers[i]);
    if (findings.some((f) => f.severity === 'error')) {
      reject(stats, rejects, row, findings, includeValues ? (issues) => withRawValues(issues, plan, cells) : undefined);
      continue;
    }
    for (const f of findings) countRule(stats, f.rule, f.severity);
    if (findings.length > 0) stats.rowsWarned = (stats.rowsWarned ?? 0) + 1;
    countFilled(stats, plan, record);
    if (conversions) countConversions(stats, conversions);
    if (coded.applied) countConversions(stats, coded.applied);
    // Keys below use the real values (dedup stays exact); everything written uses `shown`.
    const shown = deidentify ? deidentify(record) : { record, extras };
    profileRecord(stats, profiled, shown.record);
    const object = recordObject(plan.fieldNames, shown.record, shown.extras, row);
    const acceptedRecord: AcceptedRecord = {
      row,
      csv: csvRecordLine(plan.fieldNames, shown.record, shown.extras, row),
      json: JSON.stringify(object),
      exactKey: exactKey(plan.def.name, plan.fieldNames, record, extras),
      dedupKey: dedupKey(plan.def.name, plan.dedupKeys, record, plan.optionalKeys),
    };
    if (plan.def.versioning) {
      const version = recordVersion(plan.def, record);
      if (version) acceptedRecord.version = version;
    }
    // The caller that maps records on (chunk-task: FHIR) takes the object instead of parsing the line.
    if (sink) sink(acceptedRecord, object);
    else accepted.push(acceptedRecord);
  }
  return { accepted, rejects, stats };
}

/** Takes each accepted record as processChunk makes it, with its JSON object (see processChunk). */
export type AcceptedSink = (record: AcceptedRecord, object: Record<string, unknown>) => void;

/** Every cell empty or whitespace (a blank line, or ",,,"). */
function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.length > 0 && /\S/.test(cell)) return false;
  return true;
}

function reject(
  stats: ChunkStats,
  rejects: string[],
  row: number,
  findings: readonly Finding[],
  addValues?: (issues: Issue[]) => Issue[],
): void {
  stats.rowsRejected++;
  for (const f of findings) countRule(stats, f.rule, f.severity);
  const issues: Issue[] = findings.map((f) => ({ row, ...f }));
  rejects.push(rejectLine(row, addValues ? addValues(issues) : issues));
}

function countConversions(stats: ChunkStats, names: readonly string[]): void {
  const counts = (stats.conversions ??= {});
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
}

function countFilled(stats: ChunkStats, plan: ChunkPlan, record: Record<string, string | null>): void {
  for (const name of plan.fieldNames) {
    if (record[name] !== null) stats.filled[name] = (stats.filled[name] ?? 0) + 1;
  }
}
