import { getDataset, type AcceptedRecord, type DatasetName } from '@harmonizer/core';
import { jobResultsPrefix, type ObjectStorage, type ObjectWriter } from '@harmonizer/storage';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ResultFile } from './fhir-writer.js';
import { writeWhenDrained } from './write-when-drained.js';

/** Rows buffered before a row group is encoded and written: bounds memory at about one row group. */
export const PARQUET_ROW_GROUP_ROWS = 50_000;
export const parquetKey = (jobId: string, dataset: string) => `${jobResultsPrefix(jobId)}/${dataset}.parquet`;

export interface ParquetResultWriter {
  /** Accepted records (after dedup), in output order. */
  write(records: readonly AcceptedRecord[]): Promise<void>;
  commit(): Promise<ResultFile>;
  abort(): Promise<void>;
}

type Kind = 'string' | 'double' | 'int64' | 'boolean' | 'json' | 'row';
type Column = { name: string; kind: Kind };

/** Canonical field types with a typed column; every other canonical field is a UTF-8 string. */
const KIND_OF_TYPE: Readonly<Record<string, Kind>> = { decimal: 'double', quantity: 'double', integer: 'int64', boolean: 'boolean' };
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d{1,18}$/;

/**
 * Columns: canonical fields in order (decimal and quantity as DOUBLE, integer as INT64, boolean
 * as BOOLEAN, the rest as UTF-8 strings: dates stay ISO 8601 text because canonical date-times
 * carry offsets a parquet DATE would drop), then extras as JSON and source_row as INT32. A value
 * that does not fit its column's type is written as null (the standardizers never produce one).
 */
function columnsOf(dataset: DatasetName): Column[] {
  const fields = getDataset(dataset).fields.map((f): Column => ({
    name: f.name,
    kind: KIND_OF_TYPE[f.type] ?? 'string',
  }));
  return [...fields, { name: 'extras', kind: 'json' }, { name: 'source_row', kind: 'row' }];
}

function schemaOf(columns: Column[]): SchemaElement[] {
  const element = (c: Column): SchemaElement => {
    switch (c.kind) {
      case 'double':
        return { name: c.name, type: 'DOUBLE', repetition_type: 'OPTIONAL' };
      case 'int64':
        return { name: c.name, type: 'INT64', repetition_type: 'OPTIONAL' };
      case 'boolean':
        return { name: c.name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' };
      case 'json':
        return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'OPTIONAL' };
      case 'row':
        return { name: c.name, type: 'INT32', repetition_type: 'REQUIRED' };
      default:
        return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' };
    }
  };
  return [{ name: 'root', num_children: columns.length }, ...columns.map(element)];
}

function cellValue(kind: Kind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const text = String(value);
  switch (kind) {
    case 'double':
      return NUMBER.test(text) ? Number(text) : null;
    case 'int64':
      return INTEGER.test(text) ? BigInt(text) : null;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : null;
    default:
      return text;
  }
}

/**
 * hyparquet-writer's ByteWriter, emptied into the storage stream after every row group (the
 * library calls flush() then and awaits it), so only one encoded row group is held at a time.
 */
class StreamByteWriter extends ByteWriter {
  constructor(private readonly out: ObjectWriter) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    const bytes = Buffer.from(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
    return writeWhenDrained(this.out.stream, bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

/**
 * One Parquet file per dataset (`results/<id>/<dataset>.parquet`), written in row groups of
 * `rowGroupRows` as records arrive: memory holds one buffered row group, not the file. Nothing
 * is visible before commit(); abort() leaves nothing.
 */
export async function createParquetWriter(
  storage: ObjectStorage,
  jobId: string,
  dataset: DatasetName,
  options: { rowGroupRows?: number } = {},
): Promise<ParquetResultWriter> {
  const rowGroupRows = options.rowGroupRows ?? PARQUET_ROW_GROUP_ROWS;
  const columns = columnsOf(dataset);
  const key = parquetKey(jobId, dataset);
  const out = await storage.createWriter(key);
  const parquet = new ParquetWriter({
    writer: new StreamByteWriter(out),
    schema: schemaOf(columns),
    createdBy: 'harmonizer',
    kvMetadata: [{ key: 'harmonizer.dataset', value: dataset }],
  });
  let buffered: unknown[][] = columns.map(() => []);
  let rows = 0;
  let settled = false;

  const flushRowGroup = async () => {
    if ((buffered[0]?.length ?? 0) === 0) return;
    const columnData = columns.map((c, i) => ({ name: c.name, data: buffered[i] as never[] }));
    buffered = columns.map(() => []);
    await parquet.write({ columnData, rowGroupSize: rowGroupRows });
  };

  return {
    async write(records) {
      for (const record of records) {
        const json = JSON.parse(record.json) as Record<string, unknown>;
        columns.forEach((c, i) => {
          (buffered[i] as unknown[]).push(c.kind === 'row' ? record.row : c.kind === 'json' ? (json.extras ?? null) : cellValue(c.kind, json[c.name]));
        });
        rows++;
        if ((buffered[0]?.length ?? 0) >= rowGroupRows) await flushRowGroup();
      }
    },
    async commit() {
      if (settled) throw new Error('the Parquet writer was already committed or aborted');
      settled = true;
      try {
        await flushRowGroup();
        await parquet.finish();
        const { size } = await out.commit();
        return { dataset, type: 'harmonized', format: 'parquet', storageKey: key, count: rows, sizeBytes: size };
      } catch (err) {
        await out.abort();
        throw err;
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      buffered = [];
      await out.abort();
    },
  };
}
