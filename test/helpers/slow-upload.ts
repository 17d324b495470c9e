import http from 'node:http';

export interface SlowUpload {
  /** Bytes of the file part sent so far. */
  sent(): number;
  /** Stops sending without ending the body: the client goes silent. */
  pause(): void;
  /** Settles when the server answers or the connection ends: the status, or the error. */
  readonly outcome: Promise<{ status: number; body: string } | { error: string }>;
}

/**
 * A client that streams a multipart upload a chunk at a time (chunked transfer encoding), so a
 * test can act while the api is in the middle of storing it.
 */
export function startSlowUpload(baseUrl: string, options: { chunk: string; intervalMs: number; chunks: number }): SlowUpload {
  const boundary = `----slow${Date.now()}`;
  const url = new URL('/api/v1/jobs', baseUrl);
  const request = http.request(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  let sent = 0;
  let paused = false;
  let timer: NodeJS.Timeout | undefined;

  const outcome = new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    request.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (data: string) => (body += data));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    request.on('error', (err) => resolve({ error: err.message }));
    request.on('close', () => {
      clearTimeout(timer);
      resolve({ error: 'connection closed before an answer' });
    });
  });

  request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  let left = options.chunks;
  const tick = () => {
    if (paused || request.destroyed) return;
    if (left === 0) {
      request.end(`\r\n--${boundary}--\r\n`);
      return;
    }
    request.write(options.chunk);
    sent += Buffer.byteLength(options.chunk);
    left -= 1;
    timer = setTimeout(tick, options.intervalMs);
  };
  tick();

  return {
    sent: () => sent,
    pause() {
      paused = true;
      clearTimeout(timer);
    },
    outcome,
  };
}
