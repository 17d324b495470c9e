import { assertResponseMatchesSpec } from './openapi.js';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the response is not JSON. */
  body: T;
  text: string;
}

export interface SubmitFields {
  dataset?: string;
  /** Sent as is, so a test can send options that are not JSON. */
  options?: string;
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const TERMINAL = ['completed', 'failed', 'cancelled'];

/**
 * Talks HTTP to a running api the way a user's client would, and checks every response against
 * openapi.yaml (status, content type, and the JSON body's schema) before the test sees it.
 */
export function createApiClient(baseUrl: string) {
  async function request<T>(method: string, path: string, init: { body?: FormData | Blob | string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const res = await fetch(new URL(path, baseUrl), { method, body: init.body, headers: init.headers, redirect: 'manual' });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    const body = (contentType && JSON_TYPE.test(contentType) && text !== '' ? JSON.parse(text) : undefined) as T;
    assertResponseMatchesSpec({ method, url: path, status: res.status, contentType, body });
    return { status: res.status, headers: res.headers, body, text };
  }

  async function submit<T>(file: Blob | null, fileName: string, fields: SubmitFields = {}, headers: Record<string, string> = {}) {
    const form = new FormData();
    // Fields first: a streaming server may read them before it reaches the file part.
    if (fields.dataset !== undefined) form.append('dataset', fields.dataset);
    if (fields.options !== undefined) form.append('options', fields.options);
    if (file) form.append('file', file, fileName);
    return request<T>('POST', '/api/v1/jobs', { body: form, headers });
  }

  /** Polls /status until `done` holds for the body (by default: a terminal status). */
  async function waitForStatus<T extends { status: string }>(
    id: string,
    done: (body: T, status: number) => boolean = (body) => TERMINAL.includes(body.status),
    timeoutMs = 90_000,
  ): Promise<ApiResponse<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await request<T>('GET', `/api/v1/jobs/${id}/status`);
      if (res.status === 404) throw new Error(`job ${id} is unknown to /status`);
      if (done(res.body, res.status)) return res;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${res.body.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return { request, submit, waitForStatus };
}

export type ApiClient = ReturnType<typeof createApiClient>;
