/**
 * The parts of the API's bodies the tests read. The full shapes are checked against openapi.yaml
 * by the api client on every response; these types only let the tests read fields by name.
 */
export interface ErrorBody {
  error: { code: string; message: string };
}

export interface SubmittedJob {
  id: string;
  status: string;
  dataset: string | null;
  created_at: string;
  links: { self: string; status: string; result: string };
}

export interface Counts {
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  duplicates: number;
  warnings: number;
}

export interface Manifest {
  id: string;
  status: string;
  completed_at: string;
  counts: Counts;
  /** The datasets the file held; each has its own harmonized files in `output`. */
  datasets: string[];
  output: { type: string; dataset: string; format: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
  report: unknown;
}

export interface StatusBody {
  id: string;
  status: string;
  progress?: { percent: number; records_processed: number; errors_found: number };
}

export interface JobList {
  items: { id: string; status: string; created_at: string }[];
  next_cursor: string | null;
}
