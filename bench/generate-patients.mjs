#!/usr/bin/env node
// Deterministic, streaming generator of a messy patients CSV, as exported by a hand-kept EHR
// spreadsheet: mixed date, sex and phone formats, duplicates, near duplicates, invalid values,
// quoted fields with commas and newlines, CRLF line ends. Same seed and row count, same bytes.
// Profile `issue6` adds a patients/encounters flavour (issue 6's benchmark input, ~145 bytes a
// row): an encounter id and date, and vital signs as °F/°C temperatures and lb/kg weights.
//
//   node bench/generate-patients.mjs [rows=100000] [--rows N] [--seed 42] [--profile patients|issue6] [--out file.csv]
//
// Without --out the CSV goes to stdout; a summary of row kinds goes to stderr.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {'unique' | 'duplicate' | 'near_duplicate' | 'invalid'} RowKind */
/** @typedef {{ kind: RowKind, fields: string[] }} PatientRow */

export const PATIENT_COLUMNS = /** @type {const} */ ([
  'MRN', 'First Name', 'LAST', 'DOB', 'Sex', 'Address', 'City', 'State', 'Zip', 'Phone', 'Email', 'DOD',
]);
export const ROW_KINDS = /** @type {const} */ (['unique', 'duplicate', 'near_duplicate', 'invalid']);
/** `patients`: the original file (its bytes never change); `issue6`: the same plus encounter vitals. */
export const PROFILES = /** @type {const} */ (['patients', 'issue6']);
/** @typedef {(typeof PROFILES)[number]} Profile */
export const ENCOUNTER_COLUMNS = /** @type {const} */ (['Encounter ID', 'Encounter Date', 'Temp', 'Weight']);

/** @param {Profile} profile */
export function columnsFor(profile) {
  if (!PROFILES.includes(profile)) throw new Error(`unknown profile ${profile}; one of ${PROFILES.join(', ')}`);
  return profile === 'issue6' ? [...PATIENT_COLUMNS, ...ENCOUNTER_COLUMNS] : [...PATIENT_COLUMNS];
}

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
  'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'José', 'Nancy',
  'Mary-Kate', 'Lisa', 'Wei', 'Betty', 'Ahmed', 'Margaret', 'Olumide', 'Sandra', 'Dmitri', 'Ashley', 'Zoë', 'Priya'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'García', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  "O'Brien", 'Nguyen', 'Smith, Jr.', 'Lee', 'Pérez', 'Thompson', 'White', 'Harris', 'van der Berg', 'Clark',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Hill', 'MacDonald'];
const STREETS = ['Main St', 'Oak Ave', 'Elm St', 'Washington Blvd', 'Maple Dr', 'Cedar Ln', 'Park Rd', 'Lake St'];
/** City, state, ZIP prefix (New England prefixes start with 0, so leading zeros must survive). */
const PLACES = [['Boston', 'MA', '021'], ['Cambridge', 'MA', '021'], ['Providence', 'RI', '029'],
  ['Hartford', 'CT', '061'], ['Burlington', 'VT', '054'], ['Newark', 'NJ', '071'], ['New York', 'NY', '100'],
  ['Chicago', 'IL', '606'], ['Seattle', 'WA', '981'], ['Austin', 'TX', '787'], ['Miami', 'FL', '331']];
const AREA_CODES = ['617', '401', '860', '802', '973', '212', '312', '206', '512', '305'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SEX_CODES = { male: ['M', 'male', 'Male', 'm', 'MALE'], female: ['F', 'female', 'Female', 'f'], unknown: ['U', 'x', ''] };
// Unparseable, not blank: tokens like N/A or unknown count as missing values, which is no error.
const GARBAGE_DATES = ['13/45/1990', '1990-02-30', '00/00/0000', '31-31-2001', '2001-13-01', '99/99/9999'];
const DAY_MS = 86_400_000;

/** mulberry32: tiny, fast and good enough to make test data reproducible. */
export function createRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  /** @template T @param {readonly T[]} list @returns {T} */
  const pick = (list) => list[Math.floor(next() * list.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** Formats a UTC day the way a random clerk would; two-digit years only where no pivot is ambiguous. */
function formatDate(rng, ms) {
  const d = new Date(ms);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const styles = ['iso', 'us', 'dmy', 'compact'];
  if (y >= 1970 && y <= 1999) styles.push('us2');
  switch (rng.pick(styles)) {
    case 'iso': return `${y}-${pad(m)}-${pad(day)}`;
    case 'us': return `${pad(m)}/${pad(day)}/${y}`;
    case 'dmy': return `${pad(day)} ${MONTHS[m - 1]} ${y}`;
    case 'compact': return `${y}${pad(m)}${pad(day)}`;
    default: return `${pad(m)}/${pad(day)}/${String(y).slice(2)}`;
  }
}

function formatPhone(rng, digits) {
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  return rng.pick([`(${a}) ${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, `${a}${b}${c}`, `${a}-${b}-${c}`]);
}

function recase(rng, name) {
  return rng.pick([name, name, name.toUpperCase(), name.toLowerCase(), ` ${name} `]);
}

/** A person: the facts behind a row, so a near duplicate can restate them differently. */
function createPerson(rng, index) {
  const [city, state, zip3] = rng.pick(PLACES);
  const birth = Date.UTC(1930, 0, 1) + rng.int(0, 34_000) * DAY_MS; // 1930 .. 2023
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  return {
    mrn: `MRN${pad(index + 1, 8)}`,
    first,
    last,
    birth,
    death: rng.chance(0.03) ? birth + rng.int(365, 30_000) * DAY_MS : undefined,
    sex: rng.pick(['male', 'female', 'female', 'male', 'unknown']),
    street: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`,
    unit: rng.chance(0.15) ? `Apt ${rng.int(1, 40)}` : '',
    city,
    state,
    zip: `${zip3}${pad(rng.int(0, 99))}`,
    plus4: rng.chance(0.2) ? pad(rng.int(0, 9999), 4) : '',
    phone: `${rng.pick(AREA_CODES)}${rng.int(200, 999)}${pad(rng.int(0, 9999), 4)}`,
    email: rng.chance(0.85) ? `${first}.${last}${rng.int(1, 99)}@example.com`.normalize('NFD').replace(/[^A-Za-z0-9.@-]/g, '').toLowerCase() : '',
  };
}

/** Renders a person as CSV fields, choosing fresh formats each time. */
function renderPerson(rng, p) {
  const address = p.unit === '' ? p.street : rng.chance(0.5) ? `${p.street}, ${p.unit}` : `${p.street}\n${p.unit}`;
  const death = p.death === undefined || p.death > Date.UTC(2026, 0, 1) ? '' : formatDate(rng, p.death);
  return [
    rng.chance(0.05) ? ` ${p.mrn} ` : p.mrn,
    recase(rng, p.first),
    recase(rng, p.last),
    formatDate(rng, p.birth),
    rng.pick(SEX_CODES[p.sex]),
    address,
    rng.chance(0.1) ? p.city.toUpperCase() : p.city,
    rng.chance(0.1) ? p.state.toLowerCase() : p.state,
    p.plus4 === '' ? p.zip : `${p.zip}-${p.plus4}`,
    rng.chance(0.03) ? '' : formatPhone(rng, p.phone),
    rng.chance(0.1) ? p.email.toUpperCase() : p.email,
    death,
  ];
}

/** Vital signs of a person, drawn only for the issue6 profile so the default file keeps its bytes. */
function createVitals(rng) {
  const tempC = rng.chance(0.08) ? 37.6 + rng.int(0, 25) / 10 : 36.1 + rng.int(0, 14) / 10;
  return { tempC, weightKg: rng.int(4, 140) + rng.int(0, 9) / 10 };
}

/** An encounter of the person: an id, a visit date, and the vitals in whichever units the clinic used. */
function renderEncounter(rng, vitals) {
  const id = `E${pad(rng.int(0, 9_999_999), 7)}`;
  const visit = formatDate(rng, Date.UTC(2015, 0, 1) + rng.int(0, 3_800) * DAY_MS);
  const f = (vitals.tempC * 9) / 5 + 32;
  const c = vitals.tempC;
  const temp = rng.chance(0.04)
    ? ''
    : rng.pick([`${f.toFixed(1)} F`, `${f.toFixed(1)}°F`, `${f.toFixed(1)}F`, `${c.toFixed(1)} C`, `${c.toFixed(1)}°C`, `${c.toFixed(1)}`]);
  const lb = vitals.weightKg * 2.20462;
  const weight = rng.chance(0.03)
    ? ''
    : rng.pick([`${lb.toFixed(0)} lb`, `${lb.toFixed(1)}lbs`, `${lb.toFixed(0)} LB`, `${vitals.weightKg.toFixed(1)} kg`, `${vitals.weightKg}kg`]);
  return [id, visit, temp, weight];
}

/** Breaks one date rule that must reject the row: future birth, death before birth, garbage. */
function invalidate(rng, fields) {
  const broken = [...fields];
  const dob = 3;
  const dod = 11;
  switch (rng.int(0, 2)) {
    case 0: broken[dob] = formatDate(rng, Date.UTC(2090, 0, 1) + rng.int(0, 3000) * DAY_MS); break;
    case 1: broken[dob] = '2001-06-15'; broken[dod] = formatDate(rng, Date.UTC(1990, 0, 1) + rng.int(0, 3000) * DAY_MS); break;
    default: broken[dob] = rng.pick(GARBAGE_DATES);
  }
  return broken;
}

/**
 * Yields `n` rows (header excluded): about 10% exact duplicates of an earlier row, 5% same-MRN
 * near duplicates (the same person written differently), 2% rows with an invalid date.
 * Memory stays flat: duplicates are drawn from a bounded window of recent people.
 * @param {number} seed
 * @param {number} n
 * @param {Profile} [profile]
 * @returns {Generator<PatientRow>}
 */
export function* patientRows(seed, n, profile = 'patients') {
  columnsFor(profile);
  const rng = createRng(seed);
  const encounters = profile === 'issue6';
  /** The person's row, with an encounter appended in the issue6 profile (drawn after the rest). */
  const render = (person) => {
    const fields = renderPerson(rng, person);
    if (!encounters) return fields;
    person.vitals ??= createVitals(rng);
    return [...fields, ...renderEncounter(rng, person.vitals)];
  };
  /** @type {{ person: ReturnType<typeof createPerson>, fields: string[] }[]} */
  const recent = [];
  let people = 0;
  for (let i = 0; i < n; i++) {
    const roll = rng.next();
    if (recent.length > 0 && roll < 0.1) {
      yield { kind: 'duplicate', fields: [...rng.pick(recent).fields] };
    } else if (recent.length > 0 && roll < 0.15) {
      const { person } = rng.pick(recent);
      const other = rng.chance(0.5) ? { ...person, phone: `${rng.pick(AREA_CODES)}${rng.int(200, 999)}${pad(rng.int(0, 9999), 4)}` } : person;
      yield { kind: 'near_duplicate', fields: render(other) };
    } else if (roll < 0.17) {
      yield { kind: 'invalid', fields: invalidate(rng, render(createPerson(rng, people++))) };
    } else {
      const person = createPerson(rng, people++);
      const fields = render(person);
      if (recent.length < 1000) recent.push({ person, fields });
      else recent[rng.int(0, recent.length - 1)] = { person, fields };
      yield { kind: 'unique', fields };
    }
  }
}

/** RFC 4180 quoting: only fields that need it are quoted. */
export function csvLine(fields) {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',') + '\r\n';
}

/**
 * The whole file as text chunks of about 64 KiB, header first, CRLF line ends.
 * `counts` (if given) is filled with the number of rows of each kind.
 * @param {{ seed?: number, rows?: number, counts?: Record<RowKind, number>, profile?: Profile }} [options]
 * @returns {Generator<string>}
 */
export function* patientsCsv({ seed = 42, rows = 100_000, counts, profile = 'patients' } = {}) {
  let chunk = csvLine(columnsFor(profile));
  for (const row of patientRows(seed, rows, profile)) {
    if (counts) counts[row.kind] = (counts[row.kind] ?? 0) + 1;
    chunk += csvLine(row.fields);
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Writes the CSV to `out` (a path) and resolves with the row counts per kind.
 * @param {{ seed?: number, rows?: number, out: string, profile?: Profile }} options
 */
export async function writePatientsCsv({ seed = 42, rows = 100_000, out, profile = 'patients' }) {
  /** @type {Record<RowKind, number>} */
  const counts = { unique: 0, duplicate: 0, near_duplicate: 0, invalid: 0 };
  await pipeline(Readable.from(patientsCsv({ seed, rows, counts, profile })), createWriteStream(out));
  return counts;
}

function parseArgs(argv) {
  /** @type {{ seed: number, rows: number, out: string | undefined, profile: Profile }} */
  const options = { seed: 42, rows: 100_000, out: undefined, profile: 'patients' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--out') options.out = argv[++i];
    else if (arg === '--rows') options.rows = Number(argv[++i]);
    else if (arg === '--profile') options.profile = /** @type {Profile} */ (argv[++i]);
    else if (/^\d+$/.test(arg)) options.rows = Number(arg);
    else throw new Error(`unknown argument ${arg}; usage: generate-patients.mjs [rows] [--rows N] [--seed N] [--profile ${PROFILES.join('|')}] [--out file]`);
  }
  if (!Number.isSafeInteger(options.seed)) throw new Error('--seed must be an integer');
  if (!Number.isSafeInteger(options.rows) || options.rows < 0) throw new Error('--rows must be a whole number');
  columnsFor(options.profile);
  return options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { seed, rows, out, profile } = parseArgs(process.argv.slice(2));
  const counts = { unique: 0, duplicate: 0, near_duplicate: 0, invalid: 0 };
  if (out === undefined) {
    await pipeline(Readable.from(patientsCsv({ seed, rows, counts, profile })), process.stdout);
  } else {
    Object.assign(counts, await writePatientsCsv({ seed, rows, out, profile }));
  }
  const label = profile === 'patients' ? 'patients' : `patients (${profile})`;
  process.stderr.write(`${label}: ${rows} rows (seed ${seed}) ${JSON.stringify(counts)}${out ? ` -> ${out}` : ''}\n`);
}
