// Starts the built api and worker as real processes for a benchmark, each on free ports with its
// own data directory and queue prefix, and watches their memory. Used by the bench scripts only.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * How a worker process is started (apps/worker/node-flags.json, as `npm run worker` does): node
 * flags before the script, and environment defaults under `env`.
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ execArgv: string[], env: NodeJS.ProcessEnv }}
 */
export function workerLaunch(env) {
  const flags = JSON.parse(readFileSync(path.join(ROOT, 'apps', 'worker', 'node-flags.json'), 'utf8'));
  return { execArgv: flags.execArgv, env: { ...flags.env, ...env } };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** True when a Redis PING at `url` is answered within the timeout. */
export function redisAnswers(url, timeoutMs = 1000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^[+-]/.test(data.toString('latin1'))));
  });
}

/** Reads a `Vm*` line of /proc/<pid>/status in bytes; undefined off Linux or once the process is gone. */
export function procMemory(pid, field) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined off Linux or once it is gone. */
export function procCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Samples VmRSS of each pid every `intervalMs`; `stop()` returns the highest sample per pid. */
export function sampleRss(pids, intervalMs = 200) {
  /** @type {Map<number, number>} */
  const peaks = new Map();
  const sample = () => {
    for (const pid of pids) {
      const rss = procMemory(pid, 'VmRSS');
      if (rss !== undefined && rss > (peaks.get(pid) ?? 0)) peaks.set(pid, rss);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/**
 * Starts `node [execArgv] apps/<name>/dist/main.js` with `env`, its output going to `<logDir>/<name>.log`.
 * `execArgv`: node flags NODE_OPTIONS refuses, e.g. `--cpu-prof`.
 * @returns {{ name: string, pid: number, log: string, exited: Promise<number | null>, stop: () => Promise<void> }}
 */
export function startApp(name, env, logDir, execArgv = []) {
  const entry = path.join(ROOT, 'apps', name, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${path.relative(ROOT, entry)} is missing: run \`npm run build\` first`);
  if (name !== 'worker') return startProcess(name, entry, env, logDir, execArgv);
  const worker = workerLaunch(env);
  return startProcess(name, entry, worker.env, logDir, [...worker.execArgv, ...execArgv]);
}

/** Starts `node [execArgv] <entry>` with `env`, its output going to `<logDir>/<name>.log`; see startApp. */
export function startProcess(name, entry, env, logDir, execArgv = []) {
  const log = path.join(logDir, `${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(process.execPath, [...execArgv, entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    pid: /** @type {number} */ (child.pid),
    log,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
      out.end();
    },
  };
}

/** Polls `url` until it answers 2xx; rejects after `timeoutMs` or when `exited` settles first. */
export async function waitForHttp(url, exited, timeoutMs = 30_000) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the process behind ${url} exited before answering`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Deletes every Redis key under the queue prefix, so a benchmark leaves nothing behind. */
export async function removeQueueKeys(redisUrl, prefix) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Tail of a log file, for when a benchmark fails. */
export function tail(file, lines = 20) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
