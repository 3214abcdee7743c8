/**
 * A contract program: an xstate machine plus the SCALE codecs of its commands, queries and
 * replies (ARCHITECTURE.md §4, "contract" row). The machine is only ever driven with the pure
 * `initialTransition` / `transition`: no actors, no timers, no ambient randomness, so every worker
 * of a cluster that feeds it the same commands computes the same snapshot.
 *
 * `defineProgram` keeps the program's types inside; the host sees {@link ContractProgram}, whose
 * boundary is bytes in, bytes out.
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import {
  type AnyStateMachine,
  type ContextFrom,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
  initialTransition,
  transition,
} from 'xstate';
import { type Codec, decodeExact } from '../../domain/codec/scale';

/** Facts of the instantiation a program may use. Accounts and ids are `0x` hex. */
export interface InstantiateCall {
  readonly deployer: string;
  readonly contractId: string;
  readonly block: number;
  /** 32 bytes (`0x` hex) derived in the enclave from the contract key: identical on every worker, secret to everyone else */
  readonly entropy: string;
}

/** Facts of one command: who sent it (per its mq origin), the block, fresh enclave entropy. */
export interface CommandCall {
  /** the account when the origin is `AccountId(_)`, else undefined */
  readonly sender: string | undefined;
  /** true when the origin is `Pallet(_)` (chain-side deposits such as Balances `TransferToTee`) */
  readonly fromPallet: boolean;
  readonly block: number;
  readonly entropy: string;
}

/** Facts of one query: the certified caller (undefined = anonymous) and the worker's current block. */
export interface QueryCall {
  readonly caller: string | undefined;
  readonly block: number;
}

/** What a machine may `emit`: a message to the chain (signed by the contract key by the host) or a refusal. */
export type ProgramOutput =
  | { readonly type: 'egress'; readonly topic: string; readonly payload: Uint8Array }
  | { readonly type: 'refused'; readonly reason: string };

/** The persisted form of a program snapshot (xstate's persisted snapshot reduced to what a pure machine has). */
export interface PersistedProgram {
  readonly value: unknown;
  readonly context: unknown;
}

/** Why a program could not start, run a command or a query, or be restored. */
export type ProgramError =
  | { readonly _tag: 'UndecodableInput'; readonly what: 'instantiate data' | 'command' | 'query'; readonly detail: string }
  | { readonly _tag: 'CommandRefused'; readonly reason: string }
  | { readonly _tag: 'StateMalformed'; readonly detail: string };

/** A live program snapshot, as the host holds it. */
export interface ProgramInstance {
  /** applies a SCALE command; a refusal leaves the instance as it was */
  command(bytes: Uint8Array, call: CommandCall): E.Either<ProgramError, { readonly next: ProgramInstance; readonly egress: ReadonlyArray<Extract<ProgramOutput, { type: 'egress' }>> }>;
  /** answers a SCALE query with a SCALE reply; never changes the snapshot */
  query(bytes: Uint8Array, call: QueryCall): E.Either<ProgramError, Uint8Array>;
  /** `{value, context}` of the snapshot, plain data (bigints allowed): what gets sealed */
  persisted(): PersistedProgram;
}

/** A registered program with its types erased. */
export interface ContractProgram {
  readonly name: string;
  readonly version: string;
  instantiate(initData: Uint8Array, call: InstantiateCall): E.Either<ProgramError, ProgramInstance>;
  restore(persisted: PersistedProgram): E.Either<ProgramError, ProgramInstance>;
}

/** Everything a program author writes. */
export interface ProgramDefinition<M extends AnyStateMachine, Init, Cmd, Query, Resp> {
  readonly name: string;
  readonly version: string;
  readonly machine: M;
  readonly initCodec: Codec<Init>;
  readonly commandCodec: Codec<Cmd>;
  readonly queryCodec: Codec<Query>;
  readonly responseCodec: Codec<Resp>;
  /** io-ts type of the machine context, checked when sealed state is restored */
  readonly contextType: t.Type<ContextFrom<M>, unknown, unknown>;
  input(init: Init, call: InstantiateCall): InputFrom<M>;
  commandEvent(command: Cmd, call: CommandCall): EventFromLogic<M>;
  /** the read-only answer, from the current snapshot */
  query(snapshot: SnapshotFrom<M>, query: Query, call: QueryCall): Resp;
}

function decodeWith<T>(codec: Codec<T>, bytes: Uint8Array, what: 'instantiate data' | 'command' | 'query'): E.Either<ProgramError, T> {
  try {
    return E.right(decodeExact(codec, bytes, what));
  } catch (e) {
    return E.left({ _tag: 'UndecodableInput', what, detail: (e as Error).message });
  }
}

// xstate returns emitted events as executable actions of type `xstate.emit`; they are collected,
// never executed.
function emittedOutputs(actions: ReadonlyArray<{ readonly type: string; readonly params?: unknown }>): ProgramOutput[] {
  const out: ProgramOutput[] = [];
  for (const a of actions) {
    if (a.type !== 'xstate.emit') continue;
    const decoded = emitParamsType.decode(a.params);
    if (E.isLeft(decoded)) throw new Error(`a contract program emitted something that is not a ProgramOutput: ${PathReporter.report(decoded).join('; ')}`);
    out.push(decoded.right.event);
  }
  return out;
}

const uint8ArrayType = new t.Type<Uint8Array, Uint8Array, unknown>(
  'Uint8Array',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => (u instanceof Uint8Array ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const emitParamsType = t.type({
  event: t.union([t.type({ type: t.literal('egress'), topic: t.string, payload: uint8ArrayType }), t.type({ type: t.literal('refused'), reason: t.string })]),
});
const persistedSnapshotType = t.type({ value: t.unknown, context: t.unknown });
type PersistedStateValue = string | { readonly [state: string]: PersistedStateValue };
const stateValueType: t.Type<PersistedStateValue> = t.recursion('StateValue', () => t.union([t.string, t.record(t.string, stateValueType)]));

/** Wraps a typed definition into the byte-level {@link ContractProgram} the registry keeps. */
export function defineProgram<M extends AnyStateMachine, Init, Cmd, Query, Resp>(def: ProgramDefinition<M, Init, Cmd, Query, Resp>): ContractProgram {
  const instanceOf = (snapshot: SnapshotFrom<M>): ProgramInstance => ({
    command: (bytes, call) =>
      E.flatMap(decodeWith(def.commandCodec, bytes, 'command'), (cmd) => {
        const [next, actions] = transition(def.machine, snapshot, def.commandEvent(cmd, call));
        const outputs = emittedOutputs(actions as Array<{ type: string; params?: unknown }>);
        const refusal = outputs.find((o) => o.type === 'refused');
        if (refusal !== undefined) return E.left({ _tag: 'CommandRefused', reason: refusal.reason });
        const egress = outputs.filter((o): o is Extract<ProgramOutput, { type: 'egress' }> => o.type === 'egress');
        return E.right({ next: instanceOf(next as SnapshotFrom<M>), egress });
      }),
    query: (bytes, call) => E.map((q: Query) => def.responseCodec.enc(def.query(snapshot, q, call)))(decodeWith(def.queryCodec, bytes, 'query')),
    persisted: () => {
      const persisted = persistedSnapshotType.decode((def.machine as AnyStateMachine).getPersistedSnapshot(snapshot));
      if (E.isLeft(persisted)) throw new Error('xstate returned a persisted snapshot without value/context');
      return { value: persisted.right.value, context: persisted.right.context };
    },
  });
  return {
    name: def.name,
    version: def.version,
    instantiate: (initData, call) =>
      E.map((init: Init) => {
        const [snapshot] = initialTransition(def.machine, def.input(init, call));
        return instanceOf(snapshot as SnapshotFrom<M>);
      })(decodeWith(def.initCodec, initData, 'instantiate data')),
    restore: (persisted) => {
      const context = def.contextType.decode(persisted.context);
      if (E.isLeft(context)) return E.left({ _tag: 'StateMalformed', detail: PathReporter.report(context).join('; ') });
      const value = stateValueType.decode(persisted.value);
      if (E.isLeft(value)) return E.left({ _tag: 'StateMalformed', detail: PathReporter.report(value).join('; ') });
      try {
        return E.right(instanceOf(def.machine.resolveState({ value: value.right, context: context.right }) as SnapshotFrom<M>));
      } catch (e) {
        return E.left({ _tag: 'StateMalformed', detail: (e as Error).message });
      }
    },
  };
}
