/**
 * Test helpers for the chain layer: seeded accounts that sign extrinsics, and a small runtime
 * (Balances + Sudo) with a chain spec. Test-only (testing/): production code cannot import it.
 */
import { pairFromSeed, type Sr25519Pair } from '../../../enclave/keys/sr25519Pair';
import { signWith } from '../../../enclave/signing';
import { seededRandom } from '../../../simulations/seededRandom';
import { createRuntime, type Runtime } from '../../runtime/runtime';
import type { RuntimeEvent } from '../../runtime/types';
import { CHAIN_SPEC_VERSION, type ChainSpec } from '../chainSpec';
import { extrinsicCodec, extrinsicSigningPayload } from '../extrinsic';
import { balancesPallet } from '../pallets/balances.pallet';
import { createSudoPallet } from '../pallets/sudo.pallet';

const random = seededRandom(42).fork('chain-tests');

export interface TestAccount {
  readonly pair: Sr25519Pair;
  readonly id: string;
  /** signs `call` with `nonce` for the chain `genesisHash` */
  sign(runtime: Runtime, call: RuntimeEvent, nonce: number, genesisHash: string): Uint8Array;
}

/** A deterministic account from a name. */
export function testAccount(name: string): TestAccount {
  const seed = new Uint8Array(32);
  seed.set(new TextEncoder().encode(name).slice(0, 32));
  const pair = pairFromSeed(seed);
  const id = `0x${Buffer.from(pair.publicKey).toString('hex')}`;
  return {
    pair,
    id,
    sign(runtime, call, nonce, genesisHash) {
      const callBytes = runtime.callCodec.enc(call);
      const signature = signWith(pair, extrinsicSigningPayload(callBytes, nonce, genesisHash), random);
      return extrinsicCodec.enc({ signer: id, nonce, call: callBytes, signature: `0x${Buffer.from(signature).toString('hex')}` });
    },
  };
}

/** Balances + Sudo, the smallest runtime the executive can run. */
export function smallRuntime(): Runtime {
  const holder: { runtime?: Runtime } = {};
  const sudo = createSudoPallet((bytes) => holder.runtime!.callCodec.dec(bytes));
  holder.runtime = createRuntime([balancesPallet, sudo]);
  return holder.runtime;
}

/** A chain spec endowing the given accounts through root genesis calls. */
export function testSpec(runtime: Runtime, root: TestAccount, endow: readonly [TestAccount, bigint][]): ChainSpec {
  return {
    specVersion: CHAIN_SPEC_VERSION,
    chainName: 'phalanet-test',
    blockTimeMs: 12_000,
    genesisTimestampMs: 1_700_000_000_000n,
    rootAccount: root.id,
    genesisCalls: endow.map(([a, amount]) =>
      runtime.callCodec.enc({ tag: 'Balances', value: { tag: 'forceEndow', value: { who: a.id, amount, memo: undefined } } }),
    ),
  };
}
