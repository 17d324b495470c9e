/**
 * Runs commits (each one file, or one writer's files) and resolves with their results in the
 * given order. The first runs alone: its rename finds the job's results folder missing and makes
 * it, so the others, run together, find it in place instead of each failing once and making it
 * again. Every commit is settled before this returns or throws (the first failure), so a caller
 * that then removes the job's files never races a rename still on its way.
 */
export async function commitInPhases<T>(commits: readonly (() => Promise<T>)[]): Promise<T[]> {
  const [first, ...rest] = commits;
  if (!first) return [];
  const head = await first();
  const settled = await Promise.allSettled(rest.map((commit) => commit()));
  const results: T[] = [head];
  for (const outcome of settled) {
    if (outcome.status === 'rejected') throw outcome.reason;
    results.push(outcome.value);
  }
  return results;
}
