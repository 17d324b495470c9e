import { expect } from 'vitest';

/** What no error answer may carry: stack frames, source or install paths, JS error class names. */
export function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|\/src\/|\/dist\/|\.ts:\d+|\.js:\d+|\/tmp\/|\/home\/|\/work\//);
  expect(body).not.toMatch(/stack|SyntaxError|TypeError|ReferenceError/i);
}
