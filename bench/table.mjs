// Formatting of the one table `npm run bench` prints: plain text, aligned, numbers with units.

export const COLUMNS = ['what', 'rows/s', 'MB/s', 'wall', 'peak RSS', 'cores busy', 'ratio (same run)', 'target (issue 6)', 'met'];

const grouped = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const fmt = {
  int: (n) => (Number.isFinite(n) ? grouped(n) : 'n/a'),
  num: (n, digits = 1) => (Number.isFinite(n) ? grouped(n, digits) : 'n/a'),
  seconds: (ms) => (Number.isFinite(ms) ? `${grouped(ms / 1000, 2)} s` : 'n/a'),
  mb: (bytes) => (Number.isFinite(bytes) ? `${grouped(bytes / 1e6)} MB` : 'n/a'),
  ratio: (r, of) => (Number.isFinite(r) ? `${grouped(r, 2)}× ${of}` : `n/a (${of} not run)`),
  met: (ok) => (ok === undefined ? '' : ok ? 'met' : 'NOT met'),
};

/**
 * Renders rows (objects keyed by COLUMNS) as an aligned text table; numbers right-aligned.
 * @param {Record<string, string>[]} rows
 */
export function renderTable(rows) {
  const widths = COLUMNS.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const left = new Set(['what', 'target (issue 6)', 'met']);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const header = line(COLUMNS.map((c, i) => c.padEnd(widths[i])));
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const body = rows.map((r) => line(COLUMNS.map((c, i) => (left.has(c) ? (r[c] ?? '').padEnd(widths[i]) : (r[c] ?? '').padStart(widths[i])))));
  return [header, rule, ...body].join('\n');
}
