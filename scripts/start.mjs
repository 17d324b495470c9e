#!/usr/bin/env node
// Starts Harmonizer on one machine: the api and one worker on SQLite and local storage, against
// the Redis at REDIS_URL, or a private redis-server when none answers there. `npm start` runs
// this after installing and building. Ctrl-C stops everything cleanly.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const dataDir = path.resolve(env.DATA_DIR || './data');
env.DATA_DIR = dataDir;
/** @type {Map<string, import('node:child_process').ChildProcess>} */
const children = new Map();
let stopping = false;
let exitCode = 0;

function say(message) {
  process.stdout.write(`[start] ${message}\n`);
}

function banner(lines) {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const rule = '='.repeat(width);
  process.stdout.write(`\n${rule}\n${lines.map((l) => `  ${l}`).join('\n')}\n${rule}\n\n`);
}

/** Resolves true when something at host:port answers a Redis PING (an auth error counts: it is Redis). */
function redisAnswers(url, timeoutMs = 1000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(port || 6379) });
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

function onPath(command) {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Children run in their own process group so that Ctrl-C reaches only this script, which then
 * stops them in order: the apps first (they hand jobs back to Redis), Redis last. */
function run(name, command, args, childEnv = env) {
  const child = spawn(command, args, { cwd: root, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  child.once('error', (err) => {
    say(`${name} could not start: ${err.message}`);
    children.delete(name);
    if (!stopping) stop(1);
  });
  child.once('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the rest.`);
      stop(1);
    } else {
      say(`${name} stopped (${signal ?? `code ${code}`}).`);
      if (code !== 0 && signal === null && exitCode === 0) exitCode = code ?? 1;
      if (children.size === 1 && children.has('redis')) children.get('redis')?.kill('SIGTERM');
      if (children.size === 0) process.exit(exitCode);
    }
  });
  return child;
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  const apps = [...children.keys()].filter((name) => name !== 'redis');
  for (const name of apps) children.get(name)?.kill('SIGTERM');
  if (apps.length === 0) children.get('redis')?.kill('SIGTERM');
  if (children.size === 0) process.exit(exitCode);
  const graceMs = Number(env.SHUTDOWN_TIMEOUT_MS || 25_000) + 5_000;
  setTimeout(() => {
    say(`still running after ${graceMs} ms; killing ${[...children.keys()].join(', ')}.`);
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(exitCode || 1);
  }, graceMs).unref();
}

async function ensureRedis() {
  const url = env.REDIS_URL || 'redis://127.0.0.1:6379';
  env.REDIS_URL = url;
  if (/^rediss:/.test(url) || (await redisAnswers(url))) {
    say(`using Redis at ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
    return;
  }
  if (!onPath('redis-server')) {
    process.stderr.write(
      [
        `\nNo Redis answers at ${url}, and redis-server is not installed.`,
        'Harmonizer needs Redis for its job queue. Either install it:',
        '  Debian/Ubuntu:  sudo apt-get install redis-server',
        '  macOS:          brew install redis',
        'and run `npm start` again (a private redis-server is then started for you),',
        'or point REDIS_URL at a Redis you have:  REDIS_URL=redis://host:6379 npm start\n\n',
      ].join('\n'),
    );
    process.exit(1);
  }
  const port = await freePort();
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  run('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  env.REDIS_URL = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(env.REDIS_URL, 500))) {
    if (stopping || Date.now() > deadline) {
      say('the private redis-server did not answer within 10 s.');
      stop(1);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  banner([
    `No Redis answered at ${url}.`,
    `Started a PRIVATE redis-server at ${env.REDIS_URL} (nothing saved to disk).`,
    'It stops when Harmonizer stops; queued jobs do not survive a restart.',
    'Set REDIS_URL to use your own Redis instead.',
  ]);
}

async function waitForApi(base) {
  const deadline = Date.now() + 60_000;
  while (!stopping && Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

for (const entry of ['apps/api/dist/main.js', 'apps/worker/dist/main.js']) {
  if (!existsSync(path.join(root, entry))) {
    process.stderr.write(`${entry} is missing: run \`npm run build\` first (\`npm start\` does it for you).\n`);
    process.exit(1);
  }
}
mkdirSync(dataDir, { recursive: true });

let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (++interrupts > 1) {
      say('second signal: killing everything now.');
      for (const child of children.values()) child.kill('SIGKILL');
      process.exit(exitCode || 130);
    }
    say(`${signal}: stopping (again to force)...`);
    stop(0);
  });
}
// A crash of this script must not leave orphans in their own process groups.
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGKILL');
});
// npm may exit on SIGTERM without passing it on; a parent that is gone means stop too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !stopping) {
    say('parent process exited: stopping.');
    stop(0);
  }
}, 1000).unref();

// The quick start is for one person on their own machine: with no auth configured it runs with
// AUTH_MODE=none (every request is admin of tenant 'local') and says so. Any JWT setting, or an
// explicit AUTH_MODE, is left to the api, which refuses to start when required keys are missing.
const authConfigured = ['AUTH_MODE', 'JWT_SECRET', 'JWT_PUBLIC_KEY_FILE', 'JWT_JWKS_FILE'].some((name) => env[name]);
if (!authConfigured) {
  env.AUTH_MODE = 'none';
  banner([
    'WARNING: authentication is OFF (AUTH_MODE=none), for local use only.',
    "Every request acts as admin of tenant 'local'. Do not expose this port.",
    'Set JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE (see README: Authentication) to turn it on.',
  ]);
}

await ensureRedis();
if (!stopping) {
  say(`data directory ${dataDir}; database ${env.DATABASE_URL ? 'from DATABASE_URL' : 'SQLite in the data directory'}`);
  run('api', process.execPath, ['apps/api/dist/main.js']);
  // The worker's node flags and C library settings (apps/worker/node-flags.json: its peak RSS).
  const { workerCommand } = await import('../apps/worker/dist/node-flags.js');
  const worker = workerCommand('apps/worker/dist/main.js', env);
  run('worker', process.execPath, worker.args, worker.env);
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT || 8080}`;
  if (await waitForApi(base)) {
    banner([`Harmonizer is up: ${base}`, `API docs:          ${base}/docs`, 'Ctrl-C stops it.']);
  } else if (!stopping) {
    say(`the api did not answer ${base}/health within 60 s; see its log above.`);
  }
}
