/**
 * Number of fields in one record for a candidate delimiter, reading quotes as csv-parse does
 * (a quote opens a quoted field only at the start of a field). Used on a small sample only.
 */
export function countFields(record: string, delimiter: string): number {
  let fields = 1;
  let inQuotes = false;
  let atFieldStart = true;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i];
    if (inQuotes) {
      if (ch !== '"') continue;
      if (record[i + 1] === '"') i++;
      else inQuotes = false;
      continue;
    }
    if (ch === delimiter) {
      fields++;
      atFieldStart = true;
      continue;
    }
    if (ch === '"' && atFieldStart) inQuotes = true;
    atFieldStart = false;
  }
  return fields;
}
