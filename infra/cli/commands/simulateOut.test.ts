import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutDir, fileSink, isRunFile, prepareOutDir, writeFileAtomic } from './simulateOut';

const root = mkdtempSync(join(tmpdir(), 'phalanet-simulate-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('simulate --out', () => {
  it.each([
    ['summary.json', true],
    ['series.csv', true],
    ['report.html', true],
    ['scenario.resolved.json', true],
    ['ledger.db', true],
    ['ledger.db-wal', true],
    ['ledger.db.projections.db-shm', true],
    ['summary.json.tmp-1234', true],
    ['summary.json.tmp-', false],
    ['summaryXjson', false],
    ['notes.txt', false],
    ['other.db', false],
    ['.git', false],
  ])('%s is a run file: %s', (name, expected) => {
    expect(isRunFile(name)).toBe(expected);
  });

  it('an absent or empty directory needs nothing; a run directory needs --force; a directory is never a run file', () => {
    expect(checkOutDir(join(root, 'absent'), 'absent', false)).toEqual([]);
    const dir = join(root, 'run');
    mkdirSync(dir);
    expect(checkOutDir(dir, 'run', false)).toEqual([]);
    writeFileSync(join(dir, 'summary.json'), '{}');
    writeFileSync(join(dir, 'ledger.db'), '');
    expect(() => checkOutDir(dir, 'run', false)).toThrow(/--out run is not empty \(it holds ledger\.db, summary\.json\)/);
    expect(checkOutDir(dir, 'run', true)).toEqual(['ledger.db', 'summary.json']);
    mkdirSync(join(dir, 'series.csv'));
    expect(() => checkOutDir(dir, 'run', true)).toThrow(/holds series\.csv, which no run writes/);
    rmSync(join(dir, 'series.csv'), { recursive: true });
    prepareOutDir(dir, checkOutDir(dir, 'run', true));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('prepareOutDir creates missing parents', () => {
    prepareOutDir(join(root, 'a', 'b', 'c'), []);
    expect(existsSync(join(root, 'a', 'b', 'c'))).toBe(true);
  });

  it('writeFileAtomic replaces the file and leaves no temporary file', () => {
    const dir = join(root, 'atomic');
    mkdirSync(dir);
    writeFileAtomic(join(dir, 'summary.json'), 'one');
    writeFileAtomic(join(dir, 'summary.json'), 'two');
    expect(readdirSync(dir)).toEqual(['summary.json']);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('two');
  });

  it('fileSink buffers and writes every chunk, in order, by close', () => {
    const path = join(root, 'sink.csv');
    const sink = fileSink(path);
    const chunks = Array.from({ length: 5000 }, (_, i) => `${i},${'x'.repeat(i % 50)}\r\n`);
    for (const c of chunks) sink.write(c);
    sink.close();
    sink.close();
    expect(readFileSync(path, 'utf8')).toBe(chunks.join(''));
    expect(() => sink.write('late')).toThrow(/write after close/);
  });
});
