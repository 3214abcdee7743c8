/**
 * A wallet's view of its account nonces: the next nonce is the on-chain nonce plus what it has in
 * flight. A submission the network lost would hold every later one back forever, so when the
 * on-chain nonce has not moved for `STALL_BLOCKS` blocks while something is in flight, the wallet
 * forgets its in-flight count and starts again from the chain (the lost intents are gone, as they
 * would be for a real user whose transaction never arrived).
 */
const STALL_BLOCKS = 6;

interface Entry {
  next: number;
  onChain: number;
  movedAt: number;
}

/** Nonce bookkeeping for the simulation's wallets. */
export interface NonceBook {
  /** the nonce to sign the next extrinsic of `account` with, at `block` */
  next(account: string, onChain: number, block: number): number;
}

/** An empty book. */
export function createNonceBook(): NonceBook {
  const entries = new Map<string, Entry>();
  return {
    next(accountId, onChain, block) {
      let e = entries.get(accountId);
      if (e === undefined) entries.set(accountId, (e = { next: onChain, onChain, movedAt: block }));
      if (onChain !== e.onChain) {
        e.onChain = onChain;
        e.movedAt = block;
      }
      if (e.next < onChain || (e.next > onChain && block - e.movedAt >= STALL_BLOCKS)) {
        e.next = onChain;
        e.movedAt = block;
      }
      return e.next++;
    },
  };
}
