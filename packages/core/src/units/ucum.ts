import { lookupTable } from '../lookup-table.js';

/**
 * Unit spellings seen in exports -> UCUM (unitsofmeasure.org), the unit system FHIR Quantity
 * uses. Keys are lower-cased, spaces collapsed, a trailing dot dropped ("mEq." -> "meq"). UCUM is
 * case-sensitive, so known UCUM codes written correctly are kept as they are; only spellings
 * listed here are rewritten. Dose forms (TAB, PUFF, VIAL...) become UCUM annotations ({tbl}),
 * which is how FHIR writes "1 tablet" as a Quantity.
 */
const ALIASES: Readonly<Record<string, string>> = lookupTable({
  // mass and mass concentration
  kg: 'kg', kgs: 'kg', kilogram: 'kg', kilograms: 'kg', g: 'g', gm: 'g', gms: 'g', gram: 'g', grams: 'g',
  mg: 'mg', mgs: 'mg', milligram: 'mg', milligrams: 'mg', mcg: 'ug', ug: 'ug', 'µg': 'ug', microgram: 'ug',
  micrograms: 'ug', ng: 'ng', pg: 'pg', lb: '[lb_av]', lbs: '[lb_av]', pound: '[lb_av]', pounds: '[lb_av]',
  oz: '[oz_av]', ounce: '[oz_av]', ounces: '[oz_av]',
  'mg/dl': 'mg/dL', 'g/dl': 'g/dL', 'ug/dl': 'ug/dL', 'mcg/dl': 'ug/dL', 'ng/dl': 'ng/dL', 'mg/l': 'mg/L',
  'g/l': 'g/L', 'mg/ml': 'mg/mL', 'ng/ml': 'ng/mL', 'ug/ml': 'ug/mL', 'mcg/ml': 'ug/mL', 'pg/ml': 'pg/mL',
  'mg/g': 'mg/g', 'mg/kg': 'mg/kg',
  // substance concentration
  'mmol/l': 'mmol/L', 'umol/l': 'umol/L', 'µmol/l': 'umol/L', 'micromol/l': 'umol/L', 'nmol/l': 'nmol/L',
  'pmol/l': 'pmol/L', 'meq/l': 'meq/L', meq: 'meq', 'mosm/kg': 'mosm/kg', 'mosm/l': 'mosm/L', mmol: 'mmol',
  // volume and length
  ml: 'mL', cc: 'mL', l: 'L', dl: 'dL', ul: 'uL', mcl: 'uL', fl: 'fL', cm: 'cm', mm: 'mm', m: 'm',
  in: '[in_i]', inch: '[in_i]', inches: '[in_i]', ft: '[ft_i]', feet: '[ft_i]',
  // pressure, temperature, rates
  'mm hg': 'mm[Hg]', mmhg: 'mm[Hg]', 'mm[hg]': 'mm[Hg]', cel: 'Cel', c: 'Cel', '°c': 'Cel', degc: 'Cel',
  'deg c': 'Cel', celsius: 'Cel', f: '[degF]', '°f': '[degF]', degf: '[degF]', 'deg f': '[degF]',
  fahrenheit: '[degF]', '/min': '/min', bpm: '/min', 'beats/min': '/min', 'breaths/min': '/min',
  'per min': '/min', 'kg/m2': 'kg/m2', 'kg/m^2': 'kg/m2', 'kg/m²': 'kg/m2', 'mm/hr': 'mm/h', 'l/min': 'L/min',
  'ml/min': 'mL/min', 'ml/hr': 'mL/h', 'ml/h': 'mL/h', 'cc/hr': 'mL/h', 'mcg/hr': 'ug/h', 'ug/hr': 'ug/h',
  'mcg/min': 'ug/min', 'ug/min': 'ug/min', 'mcg/kg/min': 'ug/kg/min', 'ug/kg/min': 'ug/kg/min', 'mg/hr': 'mg/h',
  'mg/min': 'mg/min', 'mg/kg/hr': 'mg/kg/h', 'units/hr': 'U/h', 'units/min': 'U/min', 'units/kg/hr': 'U/kg/h',
  // time
  sec: 's', secs: 's', second: 's', seconds: 's', s: 's', min: 'min', mins: 'min', minute: 'min',
  minutes: 'min', hr: 'h', hrs: 'h', hour: 'h', hours: 'h', h: 'h', day: 'd', days: 'd', d: 'd', wk: 'wk',
  week: 'wk', weeks: 'wk', yr: 'a', yrs: 'a', year: 'a', years: 'a', a: 'a',
  // counts and arbitrary units
  '%': '%', percent: '%', units: 'U', unit: 'U', u: 'U', 'u/l': 'U/L', 'u/ml': 'U/mL', iu: '[iU]',
  'iu/l': '[iU]/L', 'uiu/ml': 'u[iU]/mL', 'uu/ml': 'u[iU]/mL', 'miu/ml': 'm[iU]/mL', 'u/g/hb': 'U/g{Hb}',
  'k/ul': '10*3/uL', 'x10e3/ul': '10*3/uL', '10^3/ul': '10*3/uL', 'thou/ul': '10*3/uL', 'm/ul': '10*6/uL',
  'x10e6/ul': '10*6/uL', '10^6/ul': '10*6/uL', 'mil/ul': '10*6/uL', '#/ul': '/uL', '#/hpf': '/[HPF]',
  '#/lpf': '/[LPF]', 'eu/dl': '{EU}/dL', ratio: '{ratio}', score: '{score}', ph: '[pH]',
  // dose forms
  tab: '{tbl}', tabs: '{tbl}', tablet: '{tbl}', tablets: '{tbl}', cap: '{cap}', caps: '{cap}',
  capsule: '{cap}', capsules: '{cap}', puff: '{puff}', puffs: '{puff}', neb: '{neb}', appl: '{appl}',
  vial: '{vial}', bag: '{bag}', supp: '{supp}', patch: '{patch}', spray: '{spray}', drop: '[drp]',
  drops: '[drp]', gtt: '[drp]', syr: '{syringe}', dose: '{dose}', each: '{each}', ea: '{each}', spry: '{spray}',
  pkt: '{packet}', packet: '{packet}', inh: '{puff}', loz: '{lozenge}', ptch: '{patch}', amp: '{ampule}',
  enema: '{enema}', troc: '{troche}', udcup: '{cup}', 'million units': '10*6.U', 'mg pe': 'mg{PE}', '/a': '/a',
  'ku/l': 'kU/L', 'mu/l': 'mU/L',
});

/** Spellings of the parts of a compound unit ("mL/hour", "mEq./hour", "mg/kg/hour", "grams/min"). */
const PARTS: Readonly<Record<string, string>> = lookupTable({
  ml: 'mL', l: 'L', mg: 'mg', g: 'g', gm: 'g', gram: 'g', grams: 'g', mcg: 'ug', ug: 'ug', ng: 'ng', kg: 'kg',
  meq: 'meq', mmol: 'mmol', units: 'U', unit: 'U', u: 'U', hour: 'h', hr: 'h', h: 'h', min: 'min', minute: 'min',
  day: 'd', d: 'd', dose: '{dose}',
});

/** UCUM codes accepted as written (case-sensitive). */
const UCUM_CODES = new Set(Object.values(ALIASES));

export interface NormalizedUnit {
  /** The UCUM code, or the unit as written (trimmed) when it is not recognized. */
  ucum: string;
  known: boolean;
}

/** Normalizes one non-empty unit spelling (trimmed by the caller). */
export function normalizeUnit(raw: string): NormalizedUnit {
  if (UCUM_CODES.has(raw) || /^\{[^{}]+\}$/.test(raw)) return { ucum: raw, known: true };
  const key = raw.toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '').replace(/\.\//g, '/');
  const alias = ALIASES[key] ?? ALIASES[key.replace(/ /g, '')] ?? compound(key);
  return alias ? { ucum: alias, known: true } : { ucum: raw.replace(/\s+/g, ' '), known: false };
}

/** "ml/hour" -> mL/h when every part is a known unit; undefined otherwise. */
function compound(key: string): string | undefined {
  if (!key.includes('/')) return undefined;
  const parts = key.split('/').map((part) => PARTS[part.trim().replace(/\.$/, '')]);
  return parts.every((p) => p !== undefined) ? parts.join('/') : undefined;
}
