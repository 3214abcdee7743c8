/**
 * Sudo: governance through a configured root account (the chain spec's `rootAccount`). `sudo`
 * dispatches the inner call with Root origin in a nested transaction; the extrinsic succeeds and
 * `Sudid` records the inner result (pallet-sudo's behaviour). `sudo_as` dispatches it with a
 * Signed origin of the sudo key's choosing and records the result in `SudoAsDone`.
 *
 * Genesis: block 0 dispatches the chain spec's calls as Root, and some of Phala's genesis state
 * can only come from Signed calls (a pool's owner creates it, adds workers, starts computing; a
 * staker wraps and contributes). `sudo_as` also accepts Root for this reason: it gives Root
 * nothing it lacks (the sudo key reaches Root through `sudo`, and Root can set the sudo key), and
 * the spec keeps recording only Root calls, so its format and replay are unchanged — the signer
 * of every such genesis call is visible in the recorded `sudo_as`. A genesis-only call with an
 * explicit origin field was the alternative; it would have needed a second dispatch path.
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { Bytes, Enum, Option, Struct, str, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import { type Storage, storageValue } from '../../runtime/storage';
import { type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type RuntimeEvent, unreachable } from '../../runtime/types';

export const SUDO = 'Sudo';
const ZERO = `0x${'00'.repeat(32)}`;

// events
export const SudoEvent = Enum({
  KeyChanged: Struct({ newKey: AccountId }),
  Sudid: Struct({ error: Option(Struct({ pallet: str, error: str })) }),
  SudoAsDone: Struct({ error: Option(Struct({ pallet: str, error: str })) }),
});
export type SudoEvent = CodecType<typeof SudoEvent>;

// state
export const SudoKey = storageValue(SUDO, 'Key', AccountId, ZERO);

// evolve
function evolve(s: Storage, e: SudoEvent): void {
  switch (e.tag) {
    case 'KeyChanged':
      SudoKey.set(s, e.value.newKey);
      return;
    case 'Sudid':
    case 'SudoAsDone':
      return;
    default:
      unreachable(e);
  }
}

// commands
export const SudoCall = Enum({
  /** `call` is a SCALE-encoded runtime call, decoded by the runtime that hosts this pallet */
  sudo: Struct({ call: Bytes() }),
  setKey: Struct({ newKey: AccountId }),
  /** `call` runs with origin `Signed(who)`; the sudo key or Root may use it */
  sudo_as: Struct({ who: AccountId, call: Bytes() }),
});
export type SudoCall = CodecType<typeof SudoCall>;

/** The pallet needs the runtime's call decoder to unwrap `sudo`'s inner call. */
export function createSudoPallet(decodeCall: (bytes: Uint8Array) => RuntimeEvent) {
  const decode = (bytes: Uint8Array): RuntimeEvent | undefined => {
    try {
      return decodeCall(bytes);
    } catch {
      return undefined;
    }
  };
  function dispatch(ctx: DispatchContext, origin: Origin, call: SudoCall): Either<DispatchError, void> {
    const isKey = origin.type === 'Signed' && origin.who === SudoKey.get(ctx.storage);
    if (!isKey && !(call.tag === 'sudo_as' && origin.type === 'Root')) return left(dispatchError(SUDO, 'RequireSudo'));
    switch (call.tag) {
      case 'sudo': {
        const inner = decode(call.value.call);
        if (inner === undefined) return left(dispatchError(SUDO, 'MalformedCall'));
        const result = ctx.dispatch({ type: 'Root' }, inner);
        ctx.emit(SUDO, { tag: 'Sudid', value: { error: isLeft(result) ? result.left : undefined } });
        return right(undefined);
      }
      case 'sudo_as': {
        const inner = decode(call.value.call);
        if (inner === undefined) return left(dispatchError(SUDO, 'MalformedCall'));
        const result = ctx.dispatch({ type: 'Signed', who: call.value.who }, inner);
        ctx.emit(SUDO, { tag: 'SudoAsDone', value: { error: isLeft(result) ? result.left : undefined } });
        return right(undefined);
      }
      case 'setKey':
        ctx.emit(SUDO, { tag: 'KeyChanged', value: { newKey: call.value.newKey } });
        return right(undefined);
      default:
        return unreachable(call);
    }
  }
  return definePallet<SudoCall, SudoEvent>({ name: SUDO, calls: SudoCall, events: SudoEvent, dispatch, evolve });
}
