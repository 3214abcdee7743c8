/**
 * Sudo: governance through a configured root account (the chain spec's `rootAccount`). `sudo`
 * dispatches the inner call with Root origin in a nested transaction; the extrinsic succeeds and
 * `Sudid` records the inner result (pallet-sudo's behaviour).
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
});
export type SudoCall = CodecType<typeof SudoCall>;

/** The pallet needs the runtime's call decoder to unwrap `sudo`'s inner call. */
export function createSudoPallet(decodeCall: (bytes: Uint8Array) => RuntimeEvent) {
  function dispatch(ctx: DispatchContext, origin: Origin, call: SudoCall): Either<DispatchError, void> {
    if (origin.type !== 'Signed' || origin.who !== SudoKey.get(ctx.storage)) return left(dispatchError(SUDO, 'RequireSudo'));
    switch (call.tag) {
      case 'sudo': {
        let inner: RuntimeEvent;
        try {
          inner = decodeCall(call.value.call);
        } catch {
          return left(dispatchError(SUDO, 'MalformedCall'));
        }
        const result = ctx.dispatch({ type: 'Root' }, inner);
        ctx.emit(SUDO, { tag: 'Sudid', value: { error: isLeft(result) ? result.left : undefined } });
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
