/**
 * CLI conventions (issue 2): the compiled `phalanet` bin, run as a user runs it.
 * Exit codes: 0 success, 1 problem found, 2 bad input.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const bin = join(__dirname, '..', '..', 'bin', 'phalanet.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('phalanet CLI conventions', () => {
  it('--help prints usage and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: phalanet/);
  });
  it('--version prints the package version and exits 0', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('an unknown flag is bad input: exit 2 with one line on stderr and nothing on stdout', () => {
    const r = run('--no-such-flag');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown option '--no-such-flag'/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
  it('an unknown command is bad input: exit 2', () => {
    const r = run('frobnicate');
    expect(r.status).toBe(2);
  });
});
