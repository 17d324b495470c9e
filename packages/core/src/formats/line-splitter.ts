export interface LineSplitter {
  /** Takes text in any pieces; returns the lines it completed, without their LF or CRLF. */
  push(text: string): string[];
  /** The last line when the text did not end with a line break (or nothing). */
  flush(): string[];
}

/**
 * Cuts streamed NDJSON text into lines. JSON strings cannot hold a raw line break, so every LF
 * ends a record; a CR before it is dropped. Blank lines are returned too: the caller numbers
 * lines as the user's editor does and skips the blank ones.
 */
export function createLineSplitter(): LineSplitter {
  let pending: string[] = [];
  const strip = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    push(text) {
      const lines: string[] = [];
      let from = 0;
      for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', from)) {
        const piece = text.slice(from, lf);
        lines.push(strip(pending.length > 0 ? pending.join('') + piece : piece));
        pending = [];
        from = lf + 1;
      }
      if (from < text.length) pending.push(text.slice(from));
      return lines;
    },
    flush() {
      const rest = pending.join('');
      pending = [];
      return rest === '' ? [] : [strip(rest)];
    },
  };
}
