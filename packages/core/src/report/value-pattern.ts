import { finishHash, HASH_SEED, hashUnit } from './hyperloglog.js';

/** Distinct shapes counted per field; a field with more (free text) has no single format and is given up. */
export const PATTERN_CAP = 64;
const MAX_PATTERN_CHARS = 24;
const LETTER = /\p{L}/u;

/**
 * The shape of a value, which says its format without saying the value: each digit becomes 9,
 * each run of letters one A, each run of spaces one space; other characters stay. `2019-03-04`
 * -> `9999-99-99`, `Maynard46` -> `A99`, `+16178848300` -> `+99999999999`.
 */
export function valuePattern(value: string): string {
  let out = '';
  let last = '';
  for (const ch of value) {
    if (out.length >= MAX_PATTERN_CHARS) return `${out}…`;
    const code = ch.charCodeAt(0);
    let mapped: string;
    if (code >= 48 && code <= 57) mapped = '9';
    else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code > 127 && LETTER.test(ch))) mapped = 'A';
    else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') mapped = ' ';
    else mapped = ch;
    if ((mapped === 'A' || mapped === ' ') && mapped === last) continue;
    out += mapped;
    last = mapped;
  }
  return out;
}

/** What each ASCII code unit becomes in a shape: 9, A, a space, or itself (see valuePattern). */
const ASCII_SHAPE = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) table[code] = code;
  for (let code = 48; code <= 57; code++) table[code] = 57;
  for (let code = 65; code <= 90; code++) table[code] = 65;
  for (let code = 97; code <= 122; code++) table[code] = 65;
  for (const code of [9, 10, 13, 32]) table[code] = 32;
  return table;
})();
const SHAPE_A = 65;
const SHAPE_SPACE = 32;

/** Per BMP code unit above 127: 0 not asked yet, 1 a letter, 2 not; filled as values need it. */
let letterCache: Uint8Array | undefined;
function isLetterUnit(code: number): boolean {
  letterCache ??= new Uint8Array(0x10000);
  let known = letterCache[code];
  if (known === 0) letterCache[code] = known = LETTER.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/** One shape prefix; its children extend it by one shape character. */
class ShapeNode {
  readonly depth: number;
  /** The first child, apart: most prefixes have one (a date, a phone number, a code). */
  firstCode = -1;
  firstChild: ShapeNode | undefined;
  readonly codes: number[] = [];
  readonly children: ShapeNode[] = [];
  /** The prefix followed by `…`: what a longer value's shape is cut to (made when first needed). */
  private cutPattern: string | undefined;

  constructor(readonly pattern: string) {
    this.depth = pattern.length;
  }

  get cut(): string {
    return (this.cutPattern ??= `${this.pattern}…`);
  }

  child(code: number): ShapeNode | undefined {
    if (code === this.firstCode) return this.firstChild;
    const { codes } = this;
    for (let i = 0; i < codes.length; i++) if (codes[i] === code) return this.children[i];
    return undefined;
  }

  add(code: number): ShapeNode {
    const child = new ShapeNode(this.pattern + String.fromCharCode(code));
    if (this.firstChild === undefined) {
      this.firstCode = code;
      this.firstChild = child;
    } else {
      this.codes.push(code);
      this.children.push(child);
    }
    return child;
  }
}

/** Prefixes kept per index: a field has at most PATTERN_CAP shapes of at most 25 characters, plus slack. */
export const MAX_SHAPE_NODES = 4096;

/**
 * valuePattern without building a string per value: walks a tree of the shapes seen so far and
 * answers the one already made (whose hash V8 has cached, so counting it in a Map is cheap). The
 * same pass over the code units computes hash32 (the profile needs both). A value with a
 * character outside the BMP, or a new shape once the tree is full, takes valuePattern itself.
 * One index per field; its answers never depend on what it has seen.
 */
export class ShapeIndex {
  /** hash32 of the value last given to shapeAndHash. */
  hash = 0;
  private readonly root = new ShapeNode('');
  private nodes = 1;

  /** valuePattern(value); sets `hash` to hash32(value). */
  shapeAndHash(value: string): string {
    const length = value.length;
    let h = HASH_SEED;
    let node = this.root;
    let last = -1;
    let i = 0;
    let shape: string | undefined;
    for (; i < length; i++) {
      const code = value.charCodeAt(i);
      h = hashUnit(h, code);
      let mapped: number;
      if (code < 128) mapped = ASCII_SHAPE[code] as number;
      else if (code >= 0xd800 && code <= 0xdfff) break;
      else mapped = isLetterUnit(code) ? SHAPE_A : code;
      if (mapped === last && (mapped === SHAPE_A || mapped === SHAPE_SPACE)) continue;
      last = mapped;
      const next = node.child(mapped) ?? this.grow(node, mapped);
      if (next === undefined) break;
      node = next;
      // valuePattern checks the length before each character: a value that goes on is cut.
      if (node.depth >= MAX_PATTERN_CHARS && i + 1 < length) {
        shape = node.cut;
        break;
      }
    }
    if (i < length) {
      // Stopped at i (cut, or no shortcut): hash the rest.
      for (let j = i + 1; j < length; j++) h = hashUnit(h, value.charCodeAt(j));
      shape ??= valuePattern(value);
    } else {
      shape = node.pattern;
    }
    this.hash = finishHash(h, length);
    return shape;
  }

  /** Shape prefixes kept (the empty one included). */
  get nodeCount(): number {
    return this.nodes;
  }

  private grow(node: ShapeNode, code: number): ShapeNode | undefined {
    if (this.nodes >= MAX_SHAPE_NODES) return undefined;
    this.nodes++;
    return node.add(code);
  }
}

/** Counts a shape; false when the field now has too many distinct shapes (drop the table). */
export function addPattern(patterns: Map<string, number>, pattern: string): boolean {
  patterns.set(pattern, (patterns.get(pattern) ?? 0) + 1);
  return patterns.size <= PATTERN_CAP;
}

/**
 * Sum of two tables, or undefined when either was given up or the union is too big. Exact, so
 * the report is the same whatever the chunk size; neither input changes.
 */
export function mergePatterns(
  a: ReadonlyMap<string, number> | undefined,
  b: ReadonlyMap<string, number> | undefined,
): Map<string, number> | undefined {
  return a && b ? mergePatternsInto(new Map(a), b) : undefined;
}

/** mergePatterns written into `into` (returned, or undefined past the cap); b does not change. */
export function mergePatternsInto(into: Map<string, number>, b: ReadonlyMap<string, number>): Map<string, number> | undefined {
  for (const [pattern, count] of b) into.set(pattern, (into.get(pattern) ?? 0) + count);
  return into.size <= PATTERN_CAP ? into : undefined;
}
