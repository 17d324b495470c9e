import type { FastifyInstance } from 'fastify';
import { multipartBody, type FormPart } from './multipart-body.js';

export const PATIENTS_CSV = 'id,first_name,last_name,birth_date\n1,Ann,Lee,1980-01-02\n2,Bo,Kim,03/04/1975\n';

/** POST /api/v1/jobs with the given parts, the way curl -F would send them. */
export function injectUpload(app: FastifyInstance, parts: FormPart[], headers: Record<string, string> = {}) {
  const body = multipartBody(parts);
  return app.inject({ method: 'POST', url: '/api/v1/jobs', payload: body.payload, headers: { ...body.headers, ...headers } });
}

/** Submits a small patients CSV and returns the new job's id. */
export async function submitCsv(app: FastifyInstance, content = PATIENTS_CSV): Promise<string> {
  const res = await injectUpload(app, [{ name: 'file', filename: 'patients.csv', content }]);
  if (res.statusCode !== 202) throw new Error(`submit failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}
