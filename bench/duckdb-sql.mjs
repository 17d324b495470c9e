// The peer's harmonization written in DuckDB SQL: read every column as text, standardize,
// validate, drop duplicates the way the product does (first occurrence wins, exact copies and
// same MRN), and write the same outputs (harmonized CSV and NDJSON in input order, rejects NDJSON;
// the report is built from one aggregate query). bench/README.md says where it is simpler.
import { DATE_MISSING_MARKERS, ERROR_RULES, EXTRA_COLUMNS, GENDERS, INPUT_COLUMNS, MISSING_MARKERS, OUTPUT_FIELDS, US_STATES } from './peer-vocab.mjs';

const str = (s) => `'${s.replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const list = (items) => `[${items.map(str).join(', ')}]`;
const map = (entries) => `MAP {${entries.map(([k, v]) => `${str(k)}: ${str(v)}`).join(', ')}}`;

/** Same as the product's email check (RE2 has \p{L} and \p{N}). */
const EMAIL = String.raw`[^\s@"(),:;<>\[\]\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}`;
/**
 * Four-digit-year layouts the product reads, the file's four first (try_strptime tries them in
 * order: this order halves its time); M/D/YY is handled apart (its century is pivoted).
 */
const DATE_FORMATS = ['%Y-%m-%d', '%m/%d/%Y', '%Y%m%d', '%d %b %Y', '%Y/%m/%d', '%d.%m.%Y', '%d %B %Y', '%d-%b-%Y', '%b %d, %Y', '%B %d, %Y'];
const STATE_CODES = [...new Set(Object.values(US_STATES))];

/** Title-cases each part between spaces, hyphens and apostrophes ("o'brien-smith" -> "O'Brien-Smith"). */
const titleCase = (x) => {
  const word = (v, sep, inner) => `array_to_string(list_transform(string_split(${v}, ${str(sep)}), ${inner}), ${str(sep)})`;
  return word(`lower(${x})`, ' ', `w -> ${word('w', '-', `h -> ${word('h', "'", 'a -> upper(a[1]) || a[2:]')}`)}`);
};

const MACROS = [
  `CREATE MACRO b_clean(x) AS CASE WHEN trim(x) IN (${MISSING_MARKERS.map(str).join(', ')}) THEN NULL ELSE trim(x) END`,
  `CREATE MACRO b_clean_date(x) AS CASE WHEN trim(x) IN (${DATE_MISSING_MARKERS.map(str).join(', ')}) THEN NULL ELSE b_clean(x) END`,
  String.raw`CREATE MACRO b_text(x) AS regexp_replace(x, '\s+', ' ', 'g')`,
  // All capitals or all lower case are title-cased; mixed case is the writer's choice and kept.
  String.raw`CREATE MACRO b_name(x) AS CASE WHEN x IS NULL THEN NULL
     WHEN (x = upper(x) OR x = lower(x)) AND regexp_matches(x, '\p{L}') THEN ${titleCase(String.raw`regexp_replace(x, '\s+', ' ', 'g')`)}
     ELSE regexp_replace(x, '\s+', ' ', 'g') END`,
  `CREATE MACRO b_gender(x) AS CASE WHEN x IS NULL THEN NULL ELSE ${map(
    Object.entries(GENDERS).flatMap(([gender, spellings]) => spellings.map((s) => [s, gender])),
  )}[regexp_replace(lower(x), '[\\s.\\-_]', '', 'g')] END`,
  // A two-digit year becomes the latest year with those digits not after the reference date.
  `CREATE MACRO b_pivot(d, ref) AS CASE WHEN d > ref THEN (d - INTERVAL 100 YEAR)::DATE ELSE d END`,
  `CREATE MACRO b_year_ok(d) AS CASE WHEN year(d) >= 1000 THEN d END`,
  String.raw`CREATE MACRO b_date(x, ref) AS CASE WHEN x IS NULL THEN NULL
     WHEN regexp_full_match(x, '\d{1,2}/\d{1,2}/\d{2}') THEN b_pivot(try_strptime(regexp_replace(x, '(\d{2})$', '20\1'), '%m/%d/%Y')::DATE, ref)
     ELSE b_year_ok(try_strptime(x, ${list(DATE_FORMATS)})::DATE) END`,
  // North American numbers only: 10 digits (after an optional country code 1), area code and exchange 2-9.
  String.raw`CREATE MACRO b_nanp(p) AS CASE WHEN regexp_full_match(p, '1?[2-9]\d{2}[2-9]\d{6}') THEN '+1' || right(p, 10) END`,
  `CREATE MACRO b_phone(x) AS b_nanp(regexp_replace(x, '[^0-9]', '', 'g'))`,
  String.raw`CREATE MACRO b_zip_us(t) AS CASE WHEN regexp_full_match(t, '\d{5}') THEN t
     WHEN regexp_full_match(t, '\d{5}[- ]?\d{4}') THEN t[1:5] || '-' || t[-4:]
     WHEN regexp_full_match(t, '\d{4}(-\d{4})?') THEN '0' || t ELSE t END`,
  String.raw`CREATE MACRO b_zip(x) AS b_zip_us(upper(regexp_replace(x, '\s+', ' ', 'g')))`,
  `CREATE MACRO b_state_code(c, x) AS CASE WHEN len(c) = 2 AND list_contains(${list(STATE_CODES)}, c) THEN c ELSE coalesce(${map(Object.entries(US_STATES))}[lower(x)], x) END`,
  `CREATE MACRO b_state(x) AS b_state_code(upper(replace(b_text(x), '.', '')), b_text(x))`,
  `CREATE MACRO b_email_ok(e) AS CASE WHEN regexp_full_match(e, ${str(EMAIL)}) AND NOT contains(e, '..') THEN e END`,
  `CREATE MACRO b_email(x) AS b_email_ok(lower(trim(regexp_replace(x, '^mailto:', '', 'i'))))`,
];

const col = (field) => ident(INPUT_COLUMNS[field]);
/** Unmapped cells as written, in a JSON object (an empty cell is a null member; the product leaves it out). */
const extrasJson = () =>
  `CASE WHEN ${EXTRA_COLUMNS.map((c) => `coalesce(trim(${ident(c)}), '') = ''`).join(' AND ')} THEN NULL
    ELSE json_object(${EXTRA_COLUMNS.map((c) => `${str(c)}, CASE WHEN trim(${ident(c)}) <> '' THEN ${ident(c)} END`).join(', ')})::VARCHAR END`;
const rules = (items) => `list_filter([${items.map(([rule, when]) => `CASE WHEN ${when} THEN ${str(rule)} END`).join(', ')}], r -> r IS NOT NULL)`;

/**
 * The statements, in order, for one run.
 * @param {{ input: string, outDir: string, referenceDate: string, threads: number }} options
 */
export function duckdbStatements({ input, outDir, referenceDate, threads }) {
  const ref = `DATE ${str(referenceDate)}`;
  const out = (name) => str(`${outDir}/${name}`);
  const [unidentifiable, unparseable, birthFuture, deathFuture, beforeBirth, over125] = ERROR_RULES;
  const std = `
    WITH c AS (
      SELECT rowid + 1 AS source_row, ${Object.keys(INPUT_COLUMNS).filter((f) => !f.endsWith('_date'))
        .map((f) => `b_clean(${col(f)}) AS ${f}`).join(', ')},
        b_clean_date(${col('birth_date')}) AS birth_raw, b_clean_date(${col('deceased_date')}) AS death_raw, ${extrasJson()} AS extras
      FROM raw),
    s AS (
      SELECT source_row, patient_id, b_name(given_name) AS given_name, b_name(family_name) AS family_name,
        gender AS gender_raw, b_gender(gender) AS gender_known, birth_raw, b_date(birth_raw, ${ref}) AS birth_date,
        death_raw, b_date(death_raw, ${ref}) AS deceased_date, b_text(address_line) AS address_line, b_text(city) AS city,
        b_state(state) AS state, postal_code AS zip_raw, b_zip(postal_code) AS postal_code, phone AS phone_raw,
        b_phone(phone) AS phone, email AS email_raw, b_email(email) AS email, extras
      FROM c)
    SELECT source_row, patient_id, given_name, family_name, coalesce(gender_known, CASE WHEN gender_raw IS NOT NULL THEN 'unknown' END) AS gender,
      birth_date, deceased_date, address_line, city, state, postal_code, phone, email, extras,
      ${rules([
        [unidentifiable, 'patient_id IS NULL AND (family_name IS NULL OR birth_date IS NULL)'],
        [unparseable, '(birth_raw IS NOT NULL AND birth_date IS NULL) OR (death_raw IS NOT NULL AND deceased_date IS NULL)'],
        [birthFuture, `birth_date > ${ref}`],
        [deathFuture, `deceased_date > ${ref}`],
        [beforeBirth, 'deceased_date < birth_date'],
        [over125, `deceased_date IS NULL AND birth_date < (${ref} - INTERVAL 125 YEAR)`],
      ])} AS errors,
      ${rules([
        ['gender.unknown', 'gender_raw IS NOT NULL AND gender_known IS NULL'],
        ['date.two_digit_year', String.raw`regexp_full_match(birth_raw, '\d{1,2}/\d{1,2}/\d{2}') OR regexp_full_match(death_raw, '\d{1,2}/\d{1,2}/\d{2}')`],
        ['phone.invalid', 'phone_raw IS NOT NULL AND phone IS NULL'],
        ['email.invalid', 'email_raw IS NOT NULL AND email IS NULL'],
        ['postal_code.leading_zero_restored', String.raw`regexp_full_match(zip_raw, '\d{4}(-\d{4})?')`],
        ['postal_code.invalid', String.raw`zip_raw IS NOT NULL AND NOT regexp_full_match(postal_code, '\d{5}(-\d{4})?')`],
      ])} AS warnings
    FROM s`;
  const exactKey = ['patient_id', 'given_name', 'family_name', 'gender', 'birth_date', 'deceased_date', 'address_line', 'city', 'state', 'postal_code', 'phone', 'email', 'extras'];
  const outputColumns = (extras) =>
    [...OUTPUT_FIELDS.map((f) => (exactKey.includes(f) ? f : `NULL::VARCHAR AS ${f}`)), extras].join(', ');
  return [
    { step: 'settings', sql: [`SET threads = ${threads}`, 'SET preserve_insertion_order = true', ...MACROS] },
    {
      step: 'read',
      sql: [`CREATE TEMP TABLE raw AS SELECT * FROM read_csv(${str(input)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`],
    },
    { step: 'standardize+validate', sql: [`CREATE TEMP TABLE std AS ${std}`, 'DROP TABLE raw'] },
    {
      step: 'dedup',
      sql: [`CREATE TEMP TABLE kept AS
        SELECT * EXCLUDE (errors, warnings) FROM (
          SELECT * FROM std WHERE len(errors) = 0
          QUALIFY row_number() OVER (PARTITION BY ${exactKey.join(', ')} ORDER BY source_row) = 1)
        QUALIFY patient_id IS NULL OR row_number() OVER (PARTITION BY patient_id ORDER BY source_row) = 1
        ORDER BY source_row`],
    },
    {
      step: 'write',
      sql: [
        `COPY (SELECT ${outputColumns('extras')}, source_row FROM kept) TO ${out('harmonized.csv')} (HEADER, DELIMITER ',')`,
        `COPY (SELECT ${outputColumns('extras::JSON AS extras')}, source_row AS _row FROM kept) TO ${out('harmonized.ndjson')} (FORMAT json)`,
        `COPY (SELECT source_row AS "row", errors[1] AS rule, 'error' AS severity, errors, warnings FROM std WHERE len(errors) > 0 ORDER BY source_row)
          TO ${out('rejects.ndjson')} (FORMAT json)`,
      ],
    },
  ];
}

/** Figures for the report: counts, completeness and rule counts, as the product's report has them. */
export function duckdbReportQueries() {
  const filled = ['patient_id', 'given_name', 'family_name', 'gender', 'birth_date', 'deceased_date', 'address_line', 'city', 'state', 'postal_code', 'phone', 'email'];
  return {
    counts: `SELECT count(*) AS rows_in, count(*) FILTER (WHERE len(errors) > 0) AS rows_rejected,
      (SELECT count(*) FROM kept) AS rows_out, ${filled.map((f) => `count(${f}) FILTER (WHERE len(errors) = 0) AS filled_${f}`).join(', ')} FROM std`,
    rules: 'SELECT rule, count(*) AS n FROM (SELECT unnest(errors || warnings) AS rule FROM std) GROUP BY rule ORDER BY n DESC',
  };
}
