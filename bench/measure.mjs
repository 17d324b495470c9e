// What every benchmark measures the same way: wall and CPU time of the work, and the peak
// resident memory of the process that did it. Each run happens in a child process of its own
// (runChild), so one run's memory never inflates another's high-water mark.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const RESULT_PREFIX = 'BENCH-RESULT ';

/** VmHWM of this process (all its threads, native memory included) in bytes; undefined off Linux. */
export function selfPeakRss() {
  try {
    const match = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a stopwatch of wall time and of the process's CPU time (every thread counts). */
export function startMeasure() {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return {
    stop() {
      const cpu = process.cpuUsage(cpu0);
      return { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
    },
  };
}

/** Called by a child at the end: hands its figures, with its own peak RSS, to the parent. */
export function reportResult(result) {
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify({ ...result, peakRss: selfPeakRss() })}\n`);
}

/**
 * Runs `node [nodeArgs] script args` and resolves with the object the child passed to
 * reportResult. The child's other output goes to this process's stderr.
 * @param {string} script
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, nodeArgs?: string[], cwd?: string }} [options]
 */
export function runChild(script, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      out += text;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        const tail = out.trim().split('\n').slice(-10).join('\n');
        reject(new Error(`${script} ${args.join(' ')} exited with ${signal ?? code}${tail ? `:\n${tail}` : ''}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)));
    });
  });
}

/** Throughput figures shared by every row of the table. */
export function throughput({ rows, bytes, wallMs }) {
  const seconds = wallMs / 1000;
  return { rowsPerS: rows / seconds, mbPerS: bytes / 1e6 / seconds };
}
