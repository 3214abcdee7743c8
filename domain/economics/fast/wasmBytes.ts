/**
 * A tiny WebAssembly assembler: just enough opcodes to write the economics kernel as
 * expression trees. Each helper returns the bytes that leave its value on the stack
 * (or, for statements, nothing). No compiler is involved, so the bytes are reviewable.
 */
export type Code = readonly number[];

/** Unsigned LEB128. */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};

/** Signed LEB128 of a bigint (i64 constants). */
export const sleb = (v: bigint): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};

const op =
  (code: number) =>
  (...args: Code[]): Code => [...args.flat(), code];

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;

/** Locals. */
export const get = (i: number): Code => [0x20, ...uleb(i)];
export const set = (i: number, e: Code): Code => [...e, 0x21, ...uleb(i)];
export const tee = (i: number, e: Code): Code => [...e, 0x22, ...uleb(i)];

/** i64 operations (wasm's i64 is two's complement; `_u` ops read it unsigned). */
export const i64 = {
  c: (v: bigint): Code => [0x42, ...sleb(BigInt.asIntN(64, v))],
  add: op(0x7c),
  sub: op(0x7d),
  mul: op(0x7e),
  and: op(0x83),
  or: op(0x84),
  shl: op(0x86),
  shrU: op(0x88),
  eq: op(0x51),
  ne: op(0x52),
  ltS: op(0x53),
  ltU: op(0x54),
  gtU: op(0x56),
  geS: op(0x59),
  geU: op(0x5a),
  eqz: op(0x50),
  fromU32: op(0xad),
  fromF64S: op(0xb0),
  fromF64U: op(0xb1),
  load: (addr: Code, offset: number): Code => [...addr, 0x29, 3, ...uleb(offset)],
  store: (addr: Code, offset: number, v: Code): Code => [...addr, ...v, 0x37, 3, ...uleb(offset)],
};

/** i32 operations. */
export const i32 = {
  c: (v: number): Code => [0x41, ...sleb(BigInt(v | 0))],
  add: op(0x6a),
  sub: op(0x6b),
  and: op(0x71),
  or: op(0x72),
  xor: op(0x73),
  shl: op(0x74),
  eqz: op(0x45),
  eq: op(0x46),
  ne: op(0x47),
  geU: op(0x4f),
  gtU: op(0x4b),
  ltU: op(0x49),
  fromI64: op(0xa7),
  load: (addr: Code, offset: number): Code => [...addr, 0x28, 2, ...uleb(offset)],
  store: (addr: Code, offset: number, v: Code): Code => [...addr, ...v, 0x36, 2, ...uleb(offset)],
};

/** f64 operations. */
export const f64 = {
  c: (v: number): Code => {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return [0x44, ...b];
  },
  add: op(0xa0),
  mul: op(0xa2),
  lt: op(0x63),
  sqrt: op(0x9f),
  load: (addr: Code, offset: number): Code => [...addr, 0x2b, 3, ...uleb(offset)],
  fromI64S: op(0xb9),
  fromI64U: op(0xba),
};

/** `cond ? a : b` without a branch (wasm `select`). */
export const select = (a: Code, b: Code, cond: Code): Code => [...a, ...b, ...cond, 0x1b];

/** Structured control flow (block type: none). */
export const ifThen = (cond: Code, then: Code, otherwise?: Code): Code =>
  otherwise === undefined ? [...cond, 0x04, 0x40, ...then, 0x0b] : [...cond, 0x04, 0x40, ...then, 0x05, ...otherwise, 0x0b];
export const block = (body: Code): Code => [0x02, 0x40, ...body, 0x0b];
export const loop = (body: Code): Code => [0x03, 0x40, ...body, 0x0b];
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number, cond: Code): Code => [...cond, 0x0d, ...uleb(depth)];
export const seq = (...parts: Code[]): Code => parts.flat();

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

/** A function of a module: its export name, signature, extra locals and body. */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly locals: readonly number[];
  readonly body: Code;
}

/** A module exporting `functions` (no results) and its memory `memory` (`pages` × 64 KiB). */
export const moduleBytes = (functions: readonly WasmFunction[], pages: number): Uint8Array => {
  const types = functions.map((fn) => [0x60, ...vec(fn.params.map((t) => [t])), 0]);
  const codes = functions.map((fn) => {
    const code = [...vec(fn.locals.map((t) => [1, t])), ...fn.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  const exports = functions.map((fn, k) => [...name(fn.name), 0x00, k]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, k) => [k]))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([...exports, [...name('memory'), 0x02, 0]])),
    ...section(10, vec(codes)),
  ]);
};
