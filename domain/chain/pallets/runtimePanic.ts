/**
 * Phala's runtime panics (`expect(...)`, division by zero) inside an mq handler. In Substrate a
 * panicking extrinsic cannot be included in a block at all: it is not "failed", it is invalid
 * (DOMAIN.md §14 F9). Handlers signal it by throwing {@link RuntimePanic}; the mq pallet catches
 * it around every dispatch and turns it into `Left({ pallet: 'Panic', error: reason })`, which
 * rolls the extrinsic back like any error. **A block producer must never include an extrinsic
 * whose dispatch returned a `Panic` error** (no `ExtrinsicFailed` for it): it drops it from the
 * pool, exactly as a collator cannot build a block containing it. For a worker's heartbeat this
 * stalls its mq sequence for good, as in Phala.
 */
import { type DispatchError, dispatchError } from '../../runtime/types';

/** The pseudo-pallet name of a panic error. */
export const PANIC = 'Panic';

/** Thrown by a handler where Phala's code panics. */
export class RuntimePanic extends Error {
  constructor(readonly reason: string) {
    super(`runtime panic: ${reason}`);
    this.name = 'RuntimePanic';
  }
}

/** The dispatch error a panic becomes. */
export const panicError = (reason: string): DispatchError => dispatchError(PANIC, reason);

/** True for an error that makes the extrinsic invalid (never to be included in a block). */
export const isPanicError = (e: DispatchError): boolean => e.pallet === PANIC;
