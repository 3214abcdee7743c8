import { ClusterEventScale, ContractOperationScale } from '../../codec/contractEvents.codec';
import { messageCodec } from '../../codec/mq.codec';
import { topicBytes } from '../../codec/topics';
import { clusterIdOf } from '../../ids/accounts';
import { type Runtime, createRuntime } from '../../runtime/runtime';
import type { RuntimeEvent } from '../../runtime/types';
import { eventRecordCodec } from '../block';
import { executeBlock, genesis, produceBlock } from '../executive';
import { testAccount, testSpec } from '../testing/chainForTests';
import { SYSTEM_CODE, SYSTEM_CODE_HASH, testDeps, w1 } from '../testing/phatForTests';
import { balancesPallet } from './balances.pallet';
import { createPhatPallet, PinkSystemCode, PinkSystemCodeHash } from './phat.pallet';
import { createSudoPallet } from './sudo.pallet';

const root = testAccount('root');
const alice = testAccount('alice');
const AUTHOR = new Uint8Array(32).fill(7);
const limits = { maxExtrinsics: 100, maxBytes: 1 << 22 };
const T0 = 1_700_000_000_000;

function phatChainRuntime(): Runtime {
  const holder: { runtime?: Runtime } = {};
  const sudo = createSudoPallet((bytes) => holder.runtime!.callCodec.dec(bytes));
  holder.runtime = createRuntime([balancesPallet, sudo, createPhatPallet(testDeps)]);
  return holder.runtime;
}

const phat = (tag: string, value: unknown): RuntimeEvent => ({ tag: 'PhalaPhatContracts', value: { tag, value } }) as RuntimeEvent;

function setup() {
  const runtime = phatChainRuntime();
  const base = testSpec(runtime, root, [[alice, 1_000n]]);
  const spec = { ...base, genesisCalls: [...base.genesisCalls, runtime.callCodec.enc(phat('setPinkSystemCode', { code: SYSTEM_CODE }))] };
  return { runtime, spec, ...genesis(runtime, spec) };
}

function block1(runtime: Runtime, genesisHash: string) {
  const addCluster = phat('addCluster', {
    owner: alice.id,
    permission: { tag: 'Public', value: undefined },
    deployWorkers: [w1],
    deposit: 10n,
    gasPrice: 0n,
    depositPerItem: 0n,
    depositPerByte: 0n,
    treasuryAccount: alice.id,
  });
  const sudo = { tag: 'Sudo', value: { tag: 'sudo', value: { call: runtime.callCodec.enc(addCluster) } } };
  const instantiate = phat('instantiateContract', {
    codeIndex: { tag: 'WasmCode', value: SYSTEM_CODE_HASH },
    data: Uint8Array.of(),
    salt: Uint8Array.of(1),
    clusterId: clusterIdOf(1n),
    transfer: 0n,
    gasLimit: 0n,
    storageDepositLimit: undefined,
    deposit: 0n,
  });
  return [root.sign(runtime, sudo, 0, genesisHash), alice.sign(runtime, instantiate, 0, genesisHash)];
}

describe('Phat on the chain', () => {
  it('a genesis set_pink_system_code takes effect at block 1, where a cluster and a contract are created', () => {
    const { runtime, chain } = setup();
    expect(PinkSystemCodeHash.get(chain.storage)).toBeUndefined();
    const p = produceBlock(chain, { timestampMs: T0 + 12_000, author: AUTHOR, pool: block1(runtime, chain.genesisHash), limits });
    expect(p.included).toEqual([0, 1]);
    expect(PinkSystemCode.get(chain.storage)).toEqual([1, SYSTEM_CODE]);
    const records = p.block.events.map((e) => eventRecordCodec(runtime.eventCodec).dec(e));
    expect(records[0]).toEqual({ phase: { tag: 'Initialization', value: undefined }, event: phat('PinkSystemCodeApplied', { version: 1, codeHash: SYSTEM_CODE_HASH }) });
    const names = records.map((r) => `${r.event.tag}.${r.event.value.tag}`);
    expect(names).toContain('PhalaPhatContracts.ClusterCreated');
    expect(names).toContain('PhalaPhatContracts.Instantiating');
    expect(names.filter((n) => n.endsWith('ExtrinsicFailed'))).toEqual([]);
    const outbound = p.block.outbound.map((m) => messageCodec.dec(m));
    expect(outbound.map((m) => Buffer.from(m.destination).toString())).toEqual(['phala/cluster/event', 'phala/contract/op']);
    expect(ClusterEventScale.decode(outbound[0]!.payload).tag).toBe('DeployCluster');
    expect(ContractOperationScale.decode(outbound[1]!.payload).tag).toBe('InstantiateCode');
    expect(outbound[0]!.sender).toEqual({ tag: 'Pallet', value: topicBytes('PhalaPhatContracts') });
  });

  it('replaying the block gives the same state root', () => {
    const a = setup();
    const produced = produceBlock(a.chain, { timestampMs: T0 + 12_000, author: AUTHOR, pool: block1(a.runtime, a.chain.genesisHash), limits }).block;
    const b = setup();
    const replayed = executeBlock(b.chain, { timestampMs: T0 + 12_000, author: AUTHOR, extrinsics: produced.extrinsics });
    expect(replayed.header.stateRoot).toEqual(produced.header.stateRoot);
    expect(replayed.outbound).toEqual(produced.outbound);
  });
});
