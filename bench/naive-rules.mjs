// The straightforward pipeline's standardize and validate step: one plain function per row, as
// a first Node version would be written. The same decisions as the DuckDB peer's SQL
// (bench/duckdb-sql.mjs), so the two peers do the same work on the benchmark file.
import { DATE_MISSING_MARKERS, EXTRA_COLUMNS, GENDERS, INPUT_COLUMNS, MISSING_MARKERS, US_STATES } from './peer-vocab.mjs';

const MISSING = new Set(MISSING_MARKERS);
const DATE_MISSING = new Set(DATE_MISSING_MARKERS);
const GENDER = new Map(Object.entries(GENDERS).flatMap(([gender, spellings]) => spellings.map((s) => [s, gender])));
const STATE_CODES = new Set(Object.values(US_STATES));
const MONTHS = new Map(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]));
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;
const pad = (n, w = 2) => String(n).padStart(w, '0');

const clean = (raw) => {
  const t = (raw ?? '').trim();
  return MISSING.has(t) ? null : t;
};
const cleanDate = (raw) => (DATE_MISSING.has((raw ?? '').trim()) ? null : clean(raw));
const text = (t) => (t === null ? null : t.replace(/\s+/g, ' '));

function name(t) {
  if (t === null) return null;
  const s = t.replace(/\s+/g, ' ');
  if (!/\p{L}/u.test(s) || (s !== s.toUpperCase() && s !== s.toLowerCase())) return s;
  return s.toLowerCase().replace(/(^|[\s\-'])(\p{L})/gu, (_m, sep, ch) => sep + ch.toUpperCase());
}

/** ISO date, or null when not a calendar date; `twoDigit` years pivot to the latest past century. */
function date(t, ref) {
  if (t === null) return { value: null, twoDigit: false };
  let m;
  let y;
  let mo;
  let d;
  let twoDigit = false;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) [y, mo, d] = [+m[1], +m[2], +m[3]];
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t))) [y, mo, d] = [+m[3], +m[1], +m[2]];
  else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(t))) [y, mo, d] = [+m[1], +m[2], +m[3]];
  else if ((m = /^(\d{1,2}) ([A-Za-z]{3,9}) (\d{4})$/.exec(t))) [y, mo, d] = [+m[3], MONTHS.get(m[2].slice(0, 3).toLowerCase()), +m[1]];
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/.exec(t))) [y, mo, d, twoDigit] = [2000 + +m[3], +m[1], +m[2], true];
  else return { value: null, twoDigit: false };
  const at = new Date(Date.UTC(y, (mo ?? 0) - 1, d));
  if (!mo || y < 1000 || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return { value: null, twoDigit };
  let iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  if (twoDigit && iso > ref) iso = `${pad(y - 100, 4)}${iso.slice(4)}`;
  return { value: iso, twoDigit };
}

function phone(t) {
  if (t === null) return null;
  const digits = t.replace(/\D/g, '');
  return /^1?[2-9]\d{2}[2-9]\d{6}$/.test(digits) ? `+1${digits.slice(-10)}` : null;
}

function zip(t) {
  if (t === null) return { value: null, rule: null };
  const s = t.replace(/\s+/g, ' ').toUpperCase();
  if (/^\d{5}$/.test(s)) return { value: s, rule: null };
  if (/^\d{5}[- ]?\d{4}$/.test(s)) return { value: `${s.slice(0, 5)}-${s.slice(-4)}`, rule: null };
  if (/^\d{4}(-\d{4})?$/.test(s)) return { value: `0${s}`, rule: 'postal_code.leading_zero_restored' };
  return { value: s, rule: 'postal_code.invalid' };
}

function state(t) {
  if (t === null) return null;
  const s = t.replace(/\s+/g, ' ');
  const code = s.replace(/\./g, '').toUpperCase();
  return code.length === 2 && STATE_CODES.has(code) ? code : (US_STATES[s.toLowerCase()] ?? s);
}

function email(t) {
  if (t === null) return null;
  const e = t.replace(/^mailto:/i, '').trim().toLowerCase();
  return EMAIL.test(e) && !e.includes('..') ? e : null;
}

/**
 * Column positions of the benchmark file's header, for harmonizeRow.
 * @param {string[]} header
 */
export function columnIndex(header) {
  const at = (name) => header.indexOf(name);
  return {
    fields: Object.fromEntries(Object.entries(INPUT_COLUMNS).map(([field, column]) => [field, at(column)])),
    extras: EXTRA_COLUMNS.map((c) => [c, at(c)]),
  };
}

/**
 * One row: the standardized record (output field order), its extras, errors and warnings.
 * @param {string[]} cells
 * @param {ReturnType<typeof columnIndex>} index
 * @param {string} ref reference date, YYYY-MM-DD
 */
export function harmonizeRow(cells, index, ref) {
  const f = index.fields;
  const errors = [];
  const warnings = [];
  const birthRaw = cleanDate(cells[f.birth_date]);
  const deathRaw = cleanDate(cells[f.deceased_date]);
  const birth = date(birthRaw, ref);
  const death = date(deathRaw, ref);
  const sex = clean(cells[f.gender]);
  const gender = sex === null ? null : (GENDER.get(sex.toLowerCase().replace(/[\s.\-_]/g, '')) ?? null);
  const phoneRaw = clean(cells[f.phone]);
  const emailRaw = clean(cells[f.email]);
  const postal = zip(clean(cells[f.postal_code]));
  const record = {
    patient_id: clean(cells[f.patient_id]),
    given_name: name(clean(cells[f.given_name])),
    family_name: name(clean(cells[f.family_name])),
    gender: sex === null ? null : (gender ?? 'unknown'),
    birth_date: birth.value,
    deceased_date: death.value,
    address_line: text(clean(cells[f.address_line])),
    city: text(clean(cells[f.city])),
    state: state(clean(cells[f.state])),
    postal_code: postal.value,
    phone: phone(phoneRaw),
    email: email(emailRaw),
  };
  /** @type {Record<string, string> | null} */
  let extras = null;
  for (const [column, i] of index.extras) if ((cells[i] ?? '').trim() !== '') (extras ??= {})[column] = cells[i];

  const r = record;
  if (r.patient_id === null && (r.family_name === null || r.birth_date === null)) errors.push('patient.unidentifiable');
  if ((birthRaw !== null && r.birth_date === null) || (deathRaw !== null && r.deceased_date === null)) errors.push('date.unparseable');
  if (r.birth_date !== null && r.birth_date > ref) errors.push('birth_date.future');
  if (r.deceased_date !== null && r.deceased_date > ref) errors.push('deceased_date.future');
  if (r.birth_date !== null && r.deceased_date !== null && r.deceased_date < r.birth_date) errors.push('deceased_date.before_birth');
  const limit = `${pad(Number(ref.slice(0, 4)) - 125, 4)}${ref.slice(4)}`;
  if (r.deceased_date === null && r.birth_date !== null && r.birth_date < limit) errors.push('age.over_125');
  if (sex !== null && gender === null) warnings.push('gender.unknown');
  if (birth.twoDigit || death.twoDigit) warnings.push('date.two_digit_year');
  if (phoneRaw !== null && r.phone === null) warnings.push('phone.invalid');
  if (emailRaw !== null && r.email === null) warnings.push('email.invalid');
  if (postal.rule) warnings.push(postal.rule);
  return { record, extras, errors, warnings };
}
