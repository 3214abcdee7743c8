import { UsageError } from '../errors';
import { decodeQueryFlags } from './queryFlags';
import { formatRecord, formatTable } from './queryTable';

const hex = `0x${'Ab'.repeat(32)}`;

describe('query flags', () => {
  it('decodes numbers, limits and 0x keys (lower-cased), with a default page size of 50', () => {
    expect(decodeQueryFlags('events', { account: hex, fromBlock: '2', toBlock: '9', pool: '4', limit: '1000' })).toMatchObject({
      account: hex.toLowerCase(),
      fromBlock: 2,
      toBlock: 9,
      pool: 4,
      limit: 1000,
    });
    expect(decodeQueryFlags('blocks', {}).limit).toBe(50);
    expect(decodeQueryFlags('workers', { state: 'WorkerIdle', pool: '3' })).toMatchObject({ state: 'WorkerIdle', pool: 3 });
    expect(decodeQueryFlags('pools', { kind: 'Vault', owner: hex })).toMatchObject({ kind: 'Vault', owner: hex.toLowerCase() });
    expect(decodeQueryFlags('finance', { kind: 'heartbeat', after: '0000000003:0000000001' })).toMatchObject({ kind: 'heartbeat', after: '0000000003:0000000001' });
  });

  it('takes the same filters as --filter key=value pairs, by API name or flag spelling', () => {
    expect(decodeQueryFlags('events', { filter: ['pallet=PhalaComputation', 'from-block=3', 'toBlock=9'] })).toMatchObject({
      pallet: 'PhalaComputation',
      fromBlock: 3,
      toBlock: 9,
    });
    expect(decodeQueryFlags('workers', { filter: ['state=WorkerIdle'], pool: '2' })).toMatchObject({ state: 'WorkerIdle', pool: 2 });
  });

  it.each([
    [{ filter: ['pallet'] }, /--filter "pallet" is not key=value/],
    [{ filter: ['=x'] }, /--filter "=x" is not key=value/],
    [{ filter: ['bogus=1'] }, /unknown filter "bogus"; filters: pallet, name/],
    [{ filter: ['limit=5'] }, /unknown filter "limit"/],
    [{ pallet: 'A', filter: ['pallet=B'] }, /the pallet filter is given twice/],
    [{ filter: ['state=WorkerIdle'] }, /--state does not apply to events/],
    [{ filter: ['fromBlock=x'] }, /--from-block "x" is not/],
  ])('refuses the --filter pair %j (exit 2): %s', (raw, message) => {
    const run = () => decodeQueryFlags('events', raw);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });

  it.each([
    ['blocks', { limit: '0' }, /--limit "0"/],
    ['blocks', { limit: '1001' }, /--limit "1001"/],
    ['blocks', { toBlock: '1.5' }, /--to-block "1.5"/],
    ['blocks', { fromBlock: '4294967296' }, /--from-block/],
    ['events', { worker: `0x${'g'.repeat(64)}` }, /--worker/],
    ['events', { name: 'Transfer;drop' }, /--name/],
    ['accounts', { after: '12' }, /--after "12" is not 0x followed by 64 hex digits/],
    ['rewards', { after: 'x' }, /--after "x" is not a block number/],
    ['events', { fromBlock: '5', toBlock: '4' }, /--from-block 5 is after --to-block 4/],
    ['account', { limit: '5' }, /--limit does not apply to account/],
    ['block', { atBlock: '5' }, /--at-block does not apply to block/],
    ['accounts', { pallet: 'Balances' }, /--pallet does not apply to accounts/],
    ['workers', { state: 'idle' }, /--state "idle" is not one of Registered, Ready, WorkerIdle/],
    ['pools', { kind: 'started' }, /--kind "started" is not one of StakePool, Vault/],
    ['finance', { kind: 'Vault' }, /--kind "Vault" is not one of started, heartbeat/],
    ['finance', { after: '12' }, /--after "12" is not a finance cursor/],
    ['pools', { after: 'abc' }, /--after "abc" is not a block number/],
    ['contracts', { cluster: '0x1' }, /--cluster "0x1" is not 0x followed by 64 hex digits/],
    ['gatekeepers', { state: 'WorkerIdle' }, /--state does not apply to gatekeepers/],
    ['worker', { limit: '5' }, /--limit does not apply to worker/],
  ] as const)('%s %j is a usage error', (resource, raw, message) => {
    expect(() => decodeQueryFlags(resource, raw)).toThrow(UsageError);
    expect(() => decodeQueryFlags(resource, raw)).toThrow(message);
  });
});

describe('query table', () => {
  it('pads every column but the last to its widest cell and writes nested values as JSON', () => {
    expect(formatTable([{ a: '1', b: { x: 1n } }, { a: 'long', b: null }], ['a', 'b'])).toEqual(['a     b', '1     {"x":"1"}', 'long']);
    expect(formatRecord({ number: 3, hash: '0x01' })).toEqual(['number: 3', 'hash:   0x01']);
  });
});
