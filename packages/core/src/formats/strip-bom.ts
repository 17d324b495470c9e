/** Removes a leading UTF-8 byte order mark (decoded as U+FEFF), which spreadsheets love to add. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
