import { challengeFunction, kernelFunction } from './blockKernel';
import { HEADER, type Layout, layoutFor, NARROW_FIELDS, RECORD_BYTES } from './kernelLayout';
import { moduleBytes } from './wasmBytes';

/** Arguments of one kernel run (the block's parameters). */
export interface KernelArgs {
  readonly slots: number;
  readonly blockNumber: number;
  readonly heartbeatWindow: number;
  /** The parameters are inside the kernel's exact range (else every slot takes the slow path). */
  readonly fastParams: boolean;
  readonly rhoMinusOne: bigint;
  readonly slashRate: bigint;
  readonly vMax: bigint;
}

/** The kernel's outputs, read from its header. */
export interface KernelCounts {
  readonly offline: number;
  readonly recovered: number;
  readonly slow: number;
  readonly sumShare: bigint;
}

/** A compiled kernel bound to its memory, with typed views over the slot arrays. */
export interface KernelInstance {
  readonly layout: Layout;
  readonly u64: BigUint64Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  run(args: KernelArgs): KernelCounts;
  /** Lists the challenge hits and ties (`HIT_TIE`) in `hits`; returns how many. */
  challenge(slots: number, seedTop: number, targetTop: number): number;
}

const MASK64 = (1n << 64n) - 1n;

type KernelFn = (...args: (number | bigint)[]) => void;
const isKernelFn = (x: unknown): x is KernelFn => typeof x === 'function';

/** The slice of the WebAssembly JS API the kernel needs (the TS libs in use do not declare it). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const isWasmApi = (x: unknown): x is WasmApi =>
  typeof x === 'object' && x !== null && typeof Reflect.get(x, 'Module') === 'function' && typeof Reflect.get(x, 'Instance') === 'function';
const wasmApi = (): WasmApi => {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) throw new Error('economics kernel: WebAssembly is not available');
  return api;
};
// Realm-independent (jest runs tests in a vm context with its own ArrayBuffer).
const isArrayBuffer = (x: unknown): x is ArrayBuffer => Object.prototype.toString.call(x) === '[object ArrayBuffer]';
const bufferOf = (memory: unknown): ArrayBuffer => {
  const buffer: unknown = typeof memory === 'object' && memory !== null ? Reflect.get(memory, 'buffer') : undefined;
  if (!isArrayBuffer(buffer)) throw new Error('economics kernel: no exported memory');
  return buffer;
};

/** Compiles the kernel for `capacity` slots (WebAssembly is pure and deterministic here). */
export const createKernel = (capacity: number): KernelInstance => {
  const layout = layoutFor(capacity);
  const pages = Math.ceil(layout.bytes / 65536);
  const wasm = wasmApi();
  const instance = new wasm.Instance(new wasm.Module(moduleBytes([kernelFunction(layout), challengeFunction(layout)], pages)), {});
  const { kernel, challenge, memory } = instance.exports;
  if (!isKernelFn(kernel) || !isKernelFn(challenge)) throw new Error('economics kernel: missing exports');
  // The memory never grows (a bigger table compiles a new kernel), so these views stay valid.
  const u64 = new BigUint64Array(bufferOf(memory));
  const u32 = new Uint32Array(bufferOf(memory));
  const f64 = new Float64Array(bufferOf(memory));
  return {
    layout,
    u64,
    u32,
    f64,
    challenge(slots, seedTop, targetTop) {
      challenge(slots, seedTop | 0, targetTop | 0);
      return u32[HEADER.hitCount / 4]!;
    },
    run(a) {
      kernel(
        a.slots,
        a.blockNumber,
        a.heartbeatWindow,
        a.fastParams ? 1 : 0,
        a.rhoMinusOne < 1n << 44n ? 1 : 0,
        BigInt.asIntN(64, a.rhoMinusOne & MASK64),
        BigInt.asIntN(64, a.slashRate & MASK64),
        BigInt.asIntN(64, a.vMax & MASK64),
        BigInt.asIntN(64, a.vMax >> 64n),
      );
      return {
        offline: u32[HEADER.offlineCount / 4]!,
        recovered: u32[HEADER.recoveredCount / 4]!,
        slow: u32[HEADER.slowCount / 4]!,
        sumShare: (u64[HEADER.sumHi / 8]! << 64n) | u64[HEADER.sumLo / 8]!,
      };
    },
  };
};

/** Copies every slot array of `from` into `to` (a larger kernel). */
export const copySlots = (from: KernelInstance, to: KernelInstance, slots: number): void => {
  const src = from.layout.wide.vLo / 8; // slot 0's record: the records are one block
  to.u64.set(from.u64.subarray(src, src + (slots * RECORD_BYTES) / 8), to.layout.wide.vLo / 8);
  for (const f of NARROW_FIELDS) {
    const src = from.layout.narrow[f] / 4;
    to.u32.set(from.u32.subarray(src, src + slots), to.layout.narrow[f] / 4);
  }
};
