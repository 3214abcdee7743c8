/**
 * The executive: genesis, block execution and block production over a runtime (pure; the chain
 * state object is mutated in place, because copying a 20,000-worker state per block would cost
 * more than the block). One extrinsic = one transaction: a failed call emits `ExtrinsicFailed`
 * and changes nothing but the signer's nonce.
 */
import { isLeft } from 'fp-ts/Either';
import type { BlockHeader } from '../codec/blockHeader.codec';
import { blockHash } from '../codec/blockHeader.codec';
import { decodeExact } from '../codec/scale';
import { type StateTree, createStateTree } from '../stateRoot/stateTree';
import type { Runtime } from '../runtime/runtime';
import { Storage } from '../runtime/storage';
import type { BlockContext, EventRecord, Phase, RuntimeEvent } from '../runtime/types';
import { type Block, blockCodec, contentRoots, eventRecordCodec } from './block';
import { CHAIN_SPEC_VERSION, type ChainSpec, chainSpecCodec } from './chainSpec';
import { decodeExtrinsic, verifyExtrinsic } from './extrinsic';
import { BALANCES, account } from './pallets/balances.pallet';
import { SUDO, type SudoEvent } from './pallets/sudo.pallet';
import { messageCodec } from '../codec/mq.codec';

/** A chain being executed: runtime, state, state tree and the head it extends. */
export interface Chain {
  readonly runtime: Runtime;
  readonly spec: ChainSpec;
  readonly storage: Storage;
  readonly tree: StateTree;
  readonly genesisHash: string;
  head: BlockHeader;
}

/** Why an extrinsic can never be included (it is dropped from the pool with this reason). */
export type Rejection =
  | 'MalformedExtrinsic'
  | 'BadSignature'
  | 'StaleNonce'
  | 'MalformedCall'
  | `Invalid:${string}`
  | `Panic:${string}`;

/** The fate of one extrinsic in a block being built. */
export type Verdict = { readonly status: 'applied' } | { readonly status: 'future' } | { readonly status: 'rejected'; readonly reason: Rejection };

/** An invalid block: it names the extrinsic and why. */
export class InvalidBlock extends Error {
  constructor(
    readonly blockNumber: number,
    readonly index: number,
    readonly reason: string,
  ) {
    super(`block ${blockNumber}: extrinsic ${index} is invalid (${reason})`);
    this.name = 'InvalidBlock';
  }
}

const ZERO32 = new Uint8Array(32);
const hexOf = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** Builds block 0 from a chain spec; throws if a genesis call fails (the spec is wrong). */
export function genesis(runtime: Runtime, spec: ChainSpec): { chain: Chain; block: Block } {
  if (spec.specVersion !== CHAIN_SPEC_VERSION) throw new Error(`chain spec version ${spec.specVersion} is not ${CHAIN_SPEC_VERSION}`);
  const storage = new Storage();
  const tree = createStateTree();
  const at: BlockContext = { number: 0, timestampMs: Number(spec.genesisTimestampMs) };
  const records: EventRecord[] = [];
  const init: Phase = { tag: 'Initialization', value: undefined };
  const sink = { events: [] as RuntimeEvent[], outbound: [] as never[] };
  runtime.context(storage, at, sink).emit(SUDO, { tag: 'KeyChanged', value: { newKey: spec.rootAccount } });
  spec.genesisCalls.forEach((bytes, i) => {
    const call = decodeExact(runtime.callCodec, bytes, `genesis call ${i}`);
    const r = runtime.applyCall(storage, at, { type: 'Root' }, call);
    if (isLeft(r.result)) throw new Error(`genesis call ${i} (${call.tag}.${call.value.tag}) failed: ${r.result.left.pallet}.${r.result.left.error}`);
    const inner = nestedFailure(r.events);
    if (inner !== undefined) throw new Error(`genesis call ${i} (${call.tag}.${call.value.tag}) failed inside: ${inner}; fix the chain config`);
    sink.events.push(...r.events);
    if (r.outbound.length > 0) throw new Error(`genesis call ${i} pushed mq messages; queue them for block 1 instead`);
  });
  for (const event of sink.events) records.push({ phase: init, event });
  const specBytes = chainSpecCodec.enc(spec);
  const parts = { genesis: specBytes, extrinsics: [], events: encodeEvents(runtime, records), outbound: [] };
  const header: BlockHeader = {
    number: 0,
    parentHash: ZERO32,
    timestamp: BigInt(at.timestampMs),
    ...contentRoots(parts),
    stateRoot: commitState(storage, tree),
    author: ZERO32,
  };
  const chain: Chain = { runtime, spec, storage, tree, genesisHash: hexOf(blockHash(header)), head: header };
  return { chain, block: { header, ...parts } };
}

/** A `sudo`/`sudo_as` succeeds even when its inner call fails; at genesis that is a broken spec. */
function nestedFailure(events: readonly RuntimeEvent[]): string | undefined {
  for (const e of events) {
    if (e.tag !== SUDO) continue;
    // the runtime only records SudoEvents under the Sudo pallet's name
    const sudoEvent = e.value as SudoEvent;
    if (sudoEvent.tag === 'KeyChanged') continue;
    const error = sudoEvent.value.error;
    if (error !== undefined) return `${error.pallet}.${error.error}`;
  }
  return undefined;
}

function encodeEvents(runtime: Runtime, records: readonly EventRecord[]): Uint8Array[] {
  const codec = eventRecordCodec(runtime.eventCodec);
  return records.map((r) => codec.enc(r));
}

function commitState(storage: Storage, tree: StateTree): Uint8Array {
  for (const c of storage.drainChanges()) {
    if (c.value === undefined) tree.delete(c.key);
    else tree.set(c.key, c.value);
  }
  return tree.root();
}

/** Work in progress on one block. */
interface BlockBuilder {
  readonly at: BlockContext;
  readonly records: EventRecord[];
  readonly outbound: Uint8Array[];
  readonly extrinsics: Uint8Array[];
}

function runHooks(chain: Chain, b: BlockBuilder, hook: 'onInitialize' | 'onFinalize'): void {
  const phase: Phase = hook === 'onInitialize' ? { tag: 'Initialization', value: undefined } : { tag: 'Finalization', value: undefined };
  const sink = { events: [] as RuntimeEvent[], outbound: [] as import('../codec/mq.codec').Message[] };
  const ctx = chain.runtime.context(chain.storage, b.at, sink);
  for (const p of chain.runtime.pallets) p[hook]?.(ctx);
  for (const event of sink.events) b.records.push({ phase, event });
  for (const m of sink.outbound) b.outbound.push(messageCodec.enc(m));
}

/** Tries one extrinsic on top of the block being built; applied ones are appended to it. */
function tryExtrinsic(chain: Chain, b: BlockBuilder, bytes: Uint8Array): Verdict {
  let x: ReturnType<typeof decodeExtrinsic>;
  try {
    x = decodeExtrinsic(bytes);
  } catch {
    return { status: 'rejected', reason: 'MalformedExtrinsic' };
  }
  if (!verifyExtrinsic(x, chain.genesisHash)) return { status: 'rejected', reason: 'BadSignature' };
  const nonce = account(chain.storage, x.signer).nonce;
  if (x.nonce < nonce) return { status: 'rejected', reason: 'StaleNonce' };
  if (x.nonce > nonce) return { status: 'future' };
  let call: RuntimeEvent;
  try {
    call = decodeExact(chain.runtime.callCodec, x.call, 'call');
  } catch {
    return { status: 'rejected', reason: 'MalformedCall' };
  }
  const validity = chain.runtime.pallet(call.tag)?.validate?.(chain.storage, { type: 'Signed', who: x.signer }, call.value);
  if (validity !== undefined && validity !== 'ok') {
    if (validity === 'future') return { status: 'future' };
    return { status: 'rejected', reason: `Invalid:${validity.invalid}` };
  }
  let r: ReturnType<Runtime['applyCall']>;
  try {
    r = chain.runtime.applyCall(chain.storage, b.at, { type: 'Signed', who: x.signer }, call);
  } catch (panic) {
    // Phala panics inside an extrinsic make it unincludable (§14 F9, F25): never in a block
    return { status: 'rejected', reason: `Panic:${panic instanceof Error ? panic.message : String(panic)}` };
  }
  if (isLeft(r.result) && r.result.left.pallet === 'Panic') return { status: 'rejected', reason: `Panic:${r.result.left.error}` };
  const phase: Phase = { tag: 'ApplyExtrinsic', value: b.extrinsics.length };
  const outcome: RuntimeEvent[] = [];
  const ctx = chain.runtime.context(chain.storage, b.at, { events: outcome, outbound: [] });
  if (isLeft(r.result)) {
    ctx.emit(BALANCES, { tag: 'ExtrinsicFailed', value: { who: x.signer, nonce: x.nonce, pallet: r.result.left.pallet, error: r.result.left.error } });
  } else {
    ctx.emit(BALANCES, { tag: 'ExtrinsicSuccess', value: { who: x.signer, nonce: x.nonce } });
  }
  for (const event of [...r.events, ...outcome]) b.records.push({ phase, event });
  for (const m of r.outbound) b.outbound.push(messageCodec.enc(m));
  b.extrinsics.push(bytes);
  return { status: 'applied' };
}

function seal(chain: Chain, b: BlockBuilder, author: Uint8Array): Block {
  runHooks(chain, b, 'onFinalize');
  const parts = { genesis: undefined, extrinsics: b.extrinsics, events: encodeEvents(chain.runtime, b.records), outbound: b.outbound };
  const header: BlockHeader = {
    number: b.at.number,
    parentHash: blockHash(chain.head),
    timestamp: BigInt(b.at.timestampMs),
    ...contentRoots(parts),
    stateRoot: commitState(chain.storage, chain.tree),
    author,
  };
  chain.head = header;
  return { header, ...parts };
}

function open(chain: Chain, timestampMs: number): BlockBuilder {
  const number = chain.head.number + 1;
  if (!(timestampMs > Number(chain.head.timestamp))) throw new Error(`block ${number}: timestamp ${timestampMs} is not after its parent's ${chain.head.timestamp}`);
  const b: BlockBuilder = { at: { number, timestampMs }, records: [], outbound: [], extrinsics: [] };
  runHooks(chain, b, 'onInitialize');
  return b;
}

/**
 * Executes a block whose extrinsics were chosen elsewhere (import, replay). Every extrinsic must
 * apply; otherwise the block is invalid and `InvalidBlock` names the first bad one (the chain
 * state is then unusable: replay stops there).
 */
export function executeBlock(chain: Chain, input: { timestampMs: number; author: Uint8Array; extrinsics: readonly Uint8Array[] }): Block {
  const b = open(chain, input.timestampMs);
  input.extrinsics.forEach((bytes, i) => {
    const v = tryExtrinsic(chain, b, bytes);
    if (v.status !== 'applied') throw new InvalidBlock(b.at.number, i, v.status === 'future' ? 'FutureNonce' : v.reason);
  });
  return seal(chain, b, input.author);
}

/** Limits of one block. */
export interface BlockLimits {
  readonly maxExtrinsics: number;
  readonly maxBytes: number;
}

/** What block production did with the pool. */
export interface Production {
  readonly block: Block;
  /** indices into the pool of the extrinsics included, in block order */
  readonly included: number[];
  /** never valid: drop them (with the reason) */
  readonly rejected: { index: number; reason: Rejection }[];
  /** not valid yet (future nonce or mq sequence) or over the limits: keep them for later */
  readonly waiting: number[];
}

/**
 * Builds the next block from a transaction pool in arrival order (FIFO). An extrinsic that waits
 * for an earlier nonce or sequence is retried after each inclusion, so a sender's out-of-order
 * arrivals still land in order within one block.
 */
export function produceBlock(chain: Chain, input: { timestampMs: number; author: Uint8Array; pool: readonly Uint8Array[]; limits: BlockLimits }): Production {
  const b = open(chain, input.timestampMs);
  const included: number[] = [];
  const rejected: { index: number; reason: Rejection }[] = [];
  let pending = input.pool.map((_, i) => i);
  let bytesUsed = 0;
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    const next: number[] = [];
    for (const i of pending) {
      const bytes = input.pool[i]!;
      if (included.length >= input.limits.maxExtrinsics || bytesUsed + bytes.length > input.limits.maxBytes) {
        next.push(i);
        continue;
      }
      const v = tryExtrinsic(chain, b, bytes);
      if (v.status === 'applied') {
        included.push(i);
        bytesUsed += bytes.length;
        progress = true;
      } else if (v.status === 'future') next.push(i);
      else rejected.push({ index: i, reason: v.reason });
    }
    pending = next;
  }
  return { block: seal(chain, b, input.author), included, rejected, waiting: pending };
}

/** Encodes a block for the ledger. */
export const encodeBlock = (block: Block): Uint8Array => blockCodec.enc(block);
