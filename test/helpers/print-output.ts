import type { TestContext } from 'vitest';

/**
 * Call from beforeEach: when the test fails, shows what the api and worker printed, the first
 * place to look. Only the tail: that is where the failure is, and a whole run can be long.
 */
export function printOutputOnFailure(context: TestContext, output: () => string | undefined): void {
  context.onTestFailed(() => {
    const text = output() ?? '';
    console.error(`--- api/worker output (last 8000 chars) for "${context.task.name}" ---\n${text.slice(-(Number(process.env.TEST_OUTPUT_CHARS) || 8000))}`);
  });
}
