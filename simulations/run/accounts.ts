/**
 * The simulation's user accounts (operators, pool owners, stakers, clients, relayers, governance):
 * sr25519 pairs whose seeds derive from the run's seed and the account's name, so a run is
 * reproducible and its accounts are stable across runs of the same seed. These are user keys, not
 * enclave secrets: they sign extrinsics, the way a wallet would.
 */
import type { Runtime } from '../../domain/runtime/runtime';
import type { RuntimeEvent } from '../../domain/runtime/types';
import type { Random } from '../../domain/ports/random';
import { extrinsicCodec, extrinsicSigningPayload } from '../../domain/chain/extrinsic';
import { pairFromSeed, type Sr25519Pair } from '../../enclave/keys/sr25519Pair';
import { signWith } from '../../enclave/signing';

/** An account that signs extrinsics. */
export interface SimAccount {
  readonly name: string;
  /** `0x` + 64 hex of the public key (the AccountId) */
  readonly id: string;
  readonly pair: Sr25519Pair;
}

/** Creates accounts by name from one Random (each name gets its own fork: order does not matter). */
export function accountFactory(random: Random): (name: string) => SimAccount {
  const cache = new Map<string, SimAccount>();
  return (name) => {
    let a = cache.get(name);
    if (a === undefined) {
      const pair = pairFromSeed(random.fork(`account/${name}`).bytes(32));
      a = { name, id: `0x${Buffer.from(pair.publicKey).toString('hex')}`, pair };
      cache.set(name, a);
    }
    return a;
  };
}

/** Signs `call` as an extrinsic of `account` with `nonce` for the chain `genesisHash`. */
export function signExtrinsic(runtime: Runtime, account: SimAccount, call: RuntimeEvent, nonce: number, genesisHash: string, random: Random): Uint8Array {
  const callBytes = runtime.callCodec.enc(call);
  const signature = signWith(account.pair, extrinsicSigningPayload(callBytes, nonce, genesisHash), random);
  return extrinsicCodec.enc({ signer: account.id, nonce, call: callBytes, signature: `0x${Buffer.from(signature).toString('hex')}` });
}

/** A call value as the runtime's codec takes it. */
export const callOf = (pallet: string, tag: string, value: unknown): RuntimeEvent => ({ tag: pallet, value: { tag, value } });
