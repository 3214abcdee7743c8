import { join } from 'node:path';
import { decodeSimulateFlags, osRandomSeed, SEED_LIMIT, scenarioLabel } from './simulateFlags';

const cwd = '/work/here';
const noRandom = () => {
  throw new Error('random seed asked for although --seed was given');
};

describe('simulate flags', () => {
  it('defaults: a random seed, out runs/<scenario>-<seed>, store sqlite:<out>/ledger.db', () => {
    const f = decodeSimulateFlags('quickstart', {}, () => 99, cwd);
    expect(f).toMatchObject({ seed: 99, seedFrom: 'random', out: join('runs', 'quickstart-99'), store: `sqlite:${join('runs', 'quickstart-99', 'ledger.db')}`, storeDefaulted: true });
    expect(f.outPath).toBe('/work/here/runs/quickstart-99');
    expect(f.storeUrl).toEqual({ kind: 'sqlite', path: '/work/here/runs/quickstart-99/ledger.db', display: 'sqlite:/work/here/runs/quickstart-99/ledger.db' });
    expect(f).toMatchObject({ force: false, json: false, quiet: false });
    expect(f.blocks).toBeUndefined();
  });

  it('given flags win; the seed source is recorded', () => {
    const f = decodeSimulateFlags('a/b.yaml', { seed: '0', blocks: '12', out: 'x', store: 'memory:', force: true, json: true, quiet: true }, noRandom, cwd);
    expect(f).toMatchObject({ seed: 0, seedFrom: 'flag', blocks: 12, out: 'x', outPath: '/work/here/x', store: 'memory:', storeDefaulted: false, force: true, json: true, quiet: true });
  });

  it.each(['-1', '9007199254740992', '1.5', 'abc', '', ' 1', '1e3', '+1', '99999999999999999'])('seed %p is a usage error naming --seed', (seed) => {
    expect(() => decodeSimulateFlags('quickstart', { seed }, noRandom, cwd)).toThrow(/^simulate: --seed must be a non-negative integer below 2\^53/);
  });

  it('accepts 0 and 2^53 - 1', () => {
    expect(decodeSimulateFlags('q', { seed: '9007199254740991' }, noRandom, cwd).seed).toBe(SEED_LIMIT - 1);
    expect(decodeSimulateFlags('q', { seed: '000' }, noRandom, cwd).seed).toBe(0);
  });

  it.each(['-1', '65', '1.5', 'x', ''])('--verify-threads %p is a usage error', (verifyThreads) => {
    expect(() => decodeSimulateFlags('q', { seed: '1', verifyThreads }, noRandom, cwd)).toThrow(/^simulate: --verify-threads must be an integer from 0 to 64/);
  });

  it('takes --verify-threads 0 to 64 and leaves it unset (the machine default) when absent', () => {
    expect(decodeSimulateFlags('q', { seed: '1', verifyThreads: '0' }, noRandom, cwd).verifyThreads).toBe(0);
    expect(decodeSimulateFlags('q', { seed: '1', verifyThreads: '64' }, noRandom, cwd).verifyThreads).toBe(64);
    expect(decodeSimulateFlags('q', { seed: '1' }, noRandom, cwd).verifyThreads).toBeUndefined();
  });

  it.each(['0', '-2', '1.5', 'x'])('--blocks %p is a usage error', (blocks) => {
    expect(() => decodeSimulateFlags('q', { seed: '1', blocks }, noRandom, cwd)).toThrow(/^simulate: --blocks must be a positive integer/);
  });

  it('a bad store URL or an empty --out is a usage error', () => {
    expect(() => decodeSimulateFlags('q', { seed: '1', store: 'mysql://x' }, noRandom, cwd)).toThrow(/^simulate: --store: /);
    expect(() => decodeSimulateFlags('q', { seed: '1', out: '' }, noRandom, cwd)).toThrow(/--out must name a directory/);
  });

  it('scenario labels: a built-in name, or a file base name without .yaml, never a path', () => {
    expect(scenarioLabel('quickstart')).toBe('quickstart');
    expect(scenarioLabel('../some/dir/my run.yml')).toBe('my_run');
    expect(scenarioLabel('x/.yaml')).toBe('scenario');
  });

  it('OS random seeds are integers below 2^53, and vary', () => {
    const seeds = Array.from({ length: 64 }, osRandomSeed);
    for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0 && s < SEED_LIMIT).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(60);
  });
});
