import type { DatasetDefinition, StandardRecord } from '../datasets/dataset-definition.js';
import type { RecordVersion } from '../types.js';
import { hashKey } from './record-keys.js';

/**
 * The record's place among versions of one logical record (DatasetDefinition.versioning), or
 * undefined when the dataset has no versions or a group field is empty (then the row stands
 * alone). Statuses compare case-insensitively, trimmed.
 */
export function recordVersion(def: Pick<DatasetDefinition, 'name' | 'versioning'>, record: StandardRecord): RecordVersion | undefined {
  const rule = def.versioning;
  if (!rule) return undefined;
  const values: string[] = [];
  for (const field of rule.groupBy) {
    const value = record[field];
    if (value == null || value === '') return undefined;
    values.push(value);
  }
  const status = record[rule.statusField]?.trim().toLowerCase() ?? '';
  return {
    group: hashKey([def.name, 'version', rule.groupBy, values]),
    superseded: status !== '' && rule.supersededStatuses.includes(status),
    order: rule.orderBy.map((field) => record[field] ?? '').join('|'),
  };
}
