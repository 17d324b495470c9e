#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per area
// (a core directory, a package, node internals, GC), as a share of the busy (non-idle) time.
// A pool thread blocked in piscina's Atomics.wait loop counts as idle, like the main thread's (idle).
//
//   node bench/profile-summary.mjs <file.cpuprofile> [--top 15]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A short place for a script URL: the part under packages/, apps/ or node_modules/, else the file name. */
function place(url) {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const match = /(?:^|\/)((?:packages|apps)\/.*|node_modules\/.*)$/.exec(clean);
  return match ? match[1].replace(/\/dist\//, '/') : clean.startsWith('node:') ? clean : path.basename(clean);
}

/** Coarse area of a script: core's directory, the worker, a package, node internals. */
function area(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const p = place(url);
  let m;
  if ((m = /^packages\/core\/([^/]+)\//.exec(p))) return `core/${m[1]}`;
  if ((m = /^packages\/core\/([^/]+)$/.exec(p))) return `core/${m[1]}`;
  if ((m = /^(packages|apps)\/([^/]+)\//.exec(p))) return `${m[1]}/${m[2]}`;
  if ((m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p))) return m[1];
  if (p.startsWith('node:')) return `node:${p.slice(5).split('/')[0]}`;
  return p;
}

/** Functions whose samples are a thread blocked waiting for work, not computing: counted as idle. */
const WAITING = new Set(['(idle)', 'atomicsWaitLoop']);

/**
 * Self time by function and by area, in ms and as a share of the non-idle samples.
 * @param {{ nodes: any[], samples: number[], timeDeltas: number[] }} profile
 */
export function summarizeProfile(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map();
  const areas = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = functionName || '(anonymous)';
    totalUs += us;
    if (WAITING.has(name)) {
      idleUs += us;
      continue;
    }
    const key = `${name}\t${place(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    const a = area(url, name);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const rank = (map) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, us]) => ({ key, ms: us / 1000, share: us / busyUs }));
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    functions: rank(functions).map(({ key, ms, share }) => ({ function: key.split('\t')[0], where: key.split('\t')[1], ms, share })),
    areas: rank(areas).map(({ key, ms, share }) => ({ area: key, ms, share })),
  };
}

/** The summary as text: two ranked lists. */
export function formatSummary(s, title) {
  const pct = (x) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `${title}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy, ${(s.idleMs / 1000).toFixed(1)} s idle; shares are of busy time`,
    'top functions by self time:',
    ...s.functions.map((f, i) => `  ${String(i + 1).padStart(2)}. ${pct(f.share)} ${f.ms.toFixed(0).padStart(7)} ms  ${f.function}  ${f.where}`),
    'by area:',
    ...s.areas.map((a) => `      ${pct(a.share)} ${a.ms.toFixed(0).padStart(7)} ms  ${a.area}`),
  ];
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.mjs <file.cpuprofile> [--top 15]');
  const top = rest.includes('--top') ? Number(rest[rest.indexOf('--top') + 1]) : 15;
  process.stdout.write(formatSummary(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), top), path.basename(file)));
}
