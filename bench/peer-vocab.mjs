// The vocabularies the two peers (DuckDB in SQL, the straightforward Node pipeline) standardize
// with. Copied from the product's rules rather than imported, so a peer never runs product code;
// they decide the same things for the benchmark file: missing-value markers, sex codes, states.

/** Cells that mean "no value" (matched exactly after trimming). */
export const MISSING_MARKERS = [
  '', '?', 'NA', 'na', 'N/A', 'n/a', '#N/A', 'null', 'NULL', 'Null', 'None', 'NONE', 'none', 'NaN',
  'Not Available', 'NOT AVAILABLE', 'not available',
];
/** More of them in date columns (so 00/00/0000 is an empty date, not an unparseable one). */
export const DATE_MISSING_MARKERS = ['unknown', 'Unknown', 'UNKNOWN', 'UNK', '-', '--', '00/00/0000', '0000-00-00'];

/** FHIR administrative gender by spelling, compared lower-cased without spaces, dots, - or _. */
export const GENDERS = {
  male: ['m', 'male', 'man', 'boy', 'masculine', 'mann'],
  female: ['f', 'female', 'woman', 'girl', 'fem', 'w', 'weiblich', 'frau'],
  other: ['o', 'other', 'x', 'nonbinary', 'nb', 'intersex', 'diverse'],
  unknown: ['u', 'unk', 'unknown', 'notknown', 'unspecified', 'undisclosed', 'declined', 'prefernottosay', 'asku'],
};

/** USPS codes by lower-case name: states, DC and inhabited territories. */
export const US_STATES = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO',
  connecticut: 'CT', delaware: 'DE', 'district of columbia': 'DC', florida: 'FL', georgia: 'GA',
  hawaii: 'HI', idaho: 'ID', illinois: 'IL', indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY',
  louisiana: 'LA', maine: 'ME', maryland: 'MD', massachusetts: 'MA', michigan: 'MI', minnesota: 'MN',
  mississippi: 'MS', missouri: 'MO', montana: 'MT', nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH',
  'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY', 'north carolina': 'NC', 'north dakota': 'ND',
  ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA', 'rhode island': 'RI',
  'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT', vermont: 'VT',
  virginia: 'VA', washington: 'WA', 'west virginia': 'WV', wisconsin: 'WI', wyoming: 'WY',
  'puerto rico': 'PR', guam: 'GU', 'virgin islands': 'VI', 'u.s. virgin islands': 'VI',
  'american samoa': 'AS', 'northern mariana islands': 'MP',
};

/** The harmonized CSV's columns, in the product's order (patients), then extras and source_row. */
export const OUTPUT_FIELDS = [
  'patient_id', 'given_name', 'middle_name', 'family_name', 'prefix', 'suffix', 'gender', 'birth_date',
  'deceased_date', 'address_line', 'city', 'state', 'postal_code', 'country', 'phone', 'email', 'ssn',
  'marital_status',
];

/** The benchmark file's columns, as the peers read them (the product matches headers instead). */
export const INPUT_COLUMNS = {
  patient_id: 'MRN', given_name: 'First Name', family_name: 'LAST', birth_date: 'DOB', gender: 'Sex',
  address_line: 'Address', city: 'City', state: 'State', postal_code: 'Zip', phone: 'Phone', email: 'Email',
  deceased_date: 'DOD',
};
/** Unmapped columns: they go to extras as written, like the product does for patients today. */
export const EXTRA_COLUMNS = ['Encounter ID', 'Encounter Date', 'Temp', 'Weight'];

/** Rows are rejected for these, as the product's patients rules do. */
export const ERROR_RULES = [
  'patient.unidentifiable', 'date.unparseable', 'birth_date.future', 'deceased_date.future',
  'deceased_date.before_birth', 'age.over_125',
];
