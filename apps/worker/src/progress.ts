export interface ProgressOptions {
  intervalMs: number;
  /** Writes progress to the job row; false means the row left 'running' (cancelled). */
  update: () => Promise<boolean>;
  /** Aborted by BullMQ when the job's lock is lost or the worker is shutting down. */
  signal?: AbortSignal | undefined;
}

export interface Progress {
  /**
   * Cheap to call often: writes progress at most once per interval (or now, when forced) and
   * answers whether the job should go on. Throws when the signal was aborted, so the attempt
   * fails and BullMQ hands the job to another worker.
   */
  check(force?: boolean): Promise<boolean>;
}

export function createProgress(options: ProgressOptions): Progress {
  let due = Date.now() + options.intervalMs;
  return {
    async check(force = false) {
      if (options.signal?.aborted) {
        const reason: unknown = options.signal.reason;
        throw reason instanceof Error ? reason : new Error(`processing interrupted (${String(reason)})`);
      }
      if (!force && Date.now() < due) return true;
      due = Date.now() + options.intervalMs;
      return options.update();
    },
  };
}
