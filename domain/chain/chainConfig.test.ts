/**
 * Genesis from a compiled chain spec: block 0 is the fold of its events, and its state matches
 * what the old direct-write genesis builders produced for the same configuration.
 */
import { Storage } from '../runtime/storage';
import { SUBSIDY_POOL_ACCOUNT } from '../ids/accounts';
import { compileChainSpec, type PhalaChainConfig } from './chainConfig';
import { eventRecordCodec } from './block';
import { genesis } from './executive';
import { account } from './pallets/balances.pallet';
import { buildComputationGenesis } from './pallets/testing/computationGenesis';
import { ComputationConfigValue, CoolDownPeriod, ExpectedHeartbeatCount, HeartbeatPaused, TokenomicParametersStore } from './pallets/computationState';
import { QueuedOutboundMessage } from './pallets/mq.pallet';
import { buildRegistryGenesis } from './pallets/testing/registryGenesis';
import { BenchmarkDuration, PRuntimeAllowList, RegistryConfigValue, RelaychainGenesisBlockHashAllowList } from './pallets/registryState';
import { wphaMinBalance, wrappedBalancesGenesis } from './pallets/wrappedBalances.pallet';
import { createPhalaRuntime } from './phalaRuntime';

const PHA = 10n ** 12n;
const acct = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(32)}`;
const cfg: PhalaChainConfig = {
  chainName: 'phalanet-test',
  blockTimeMs: 12_000,
  genesisTimestampMs: 1_700_000_000_000n,
  rootAccount: acct(1),
  endowments: [
    { who: acct(2), amount: 1_000n * PHA },
    { who: acct(3), amount: 5n * PHA },
  ],
  subsidyPoolFunding: 1_000_000n * PHA,
  registry: { noneAttestationEnabled: true, trustedVendorKeys: [new Uint8Array(32).fill(7)] },
  pruntimeAllowList: [Uint8Array.of(1, 2, 3)],
  relaychainGenesisBlockHashes: [acct(9)],
  benchmarkDuration: 5,
  computation: { checkWorkerRegisterTime: false },
  coolDownPeriodSec: 3600,
  heartbeatPaused: false,
  expectedHeartbeatCount: 30,
  wphaMinBalance: 10n ** 10n,
};
const runtime = createPhalaRuntime();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const dump = (s: Storage) => s.allEntries().map((e) => `${hex(e.key)}=${hex(e.value!)}`).sort();

test('block 0 state is exactly the fold of its events', () => {
  const { chain, block } = genesis(runtime, compileChainSpec(cfg));
  const codec = eventRecordCodec(runtime.eventCodec);
  const fresh = new Storage();
  for (const bytes of block.events) runtime.evolve(fresh, codec.dec(bytes).event, { number: 0, timestampMs: Number(cfg.genesisTimestampMs) });
  expect(dump(fresh)).toEqual(dump(chain.storage));
  expect(block.events.length).toBeGreaterThan(5);
});

test('compiled genesis equals the old builders for the same configuration', () => {
  const { chain } = genesis(runtime, compileChainSpec(cfg));
  const s = chain.storage;
  const old = new Storage();
  buildRegistryGenesis(old, { config: cfg.registry!, pruntimeAllowList: cfg.pruntimeAllowList!, relaychainGenesisBlockHashes: cfg.relaychainGenesisBlockHashes! });
  BenchmarkDuration.set(old, 5); // the old builder stores it only with genesis workers
  buildComputationGenesis(old, { coolDownPeriodSec: 3600, config: cfg.computation!, heartbeatPaused: false, expectedHeartbeatCount: 30 });
  wrappedBalancesGenesis(old, { minimumBalance: cfg.wphaMinBalance! });
  for (const item of [RegistryConfigValue, PRuntimeAllowList, RelaychainGenesisBlockHashAllowList, BenchmarkDuration, ComputationConfigValue, CoolDownPeriod, TokenomicParametersStore, HeartbeatPaused, ExpectedHeartbeatCount, QueuedOutboundMessage]) {
    expect(item.get(s)).toEqual(item.get(old));
  }
  expect(wphaMinBalance(s)).toBe(wphaMinBalance(old));
  expect(QueuedOutboundMessage.get(s)).toHaveLength(1);
  expect(account(s, SUBSIDY_POOL_ACCOUNT).free).toBe(1_000_000n * PHA);
  expect(account(s, acct(3)).free).toBe(5n * PHA);
});

test('Root-only: a signed origin cannot call the genesis configuration calls', () => {
  const signed = { type: 'Signed' as const, who: acct(2) };
  for (const c of [
    { tag: 'PhalaWrappedBalances', value: { tag: 'force_set_min_balance', value: { amount: 1n } } },
    { tag: 'PhalaRegistry', value: { tag: 'force_set_config', value: { config: RegistryConfigValue.get(new Storage()) } } },
  ]) {
    const r = runtime.applyCall(new Storage(), { number: 1, timestampMs: 1 }, signed, c);
    expect(r.result).toMatchObject({ _tag: 'Left', left: { error: 'BadOrigin' } });
  }
});
