import { isRight } from 'fp-ts/Either';
import { parseStoreUrl, StoreUrlFromString } from './storeUrl';

const ok = (text: string, cwd = '/work') => {
  const url = parseStoreUrl(text, cwd);
  if (typeof url === 'string') throw new Error(`expected ${text} to parse: ${url}`);
  return url;
};
const bad = (text: string) => {
  const url = parseStoreUrl(text, '/work');
  if (typeof url !== 'string') throw new Error(`expected ${text} to be rejected`);
  expect(url).not.toMatch(/\n/);
  return url;
};

describe('parseStoreUrl', () => {
  it('memory:', () => {
    expect(ok('memory:')).toEqual({ kind: 'memory', display: 'memory:' });
    expect(bad('memory:foo')).toMatch(/write just memory:/);
  });

  it('sqlite: resolves relative paths against the working directory and keeps absolute ones', () => {
    expect(ok('sqlite:ledger.db')).toEqual({ kind: 'sqlite', path: '/work/ledger.db', display: 'sqlite:/work/ledger.db' });
    expect(ok('sqlite:../x/l.db')).toMatchObject({ path: '/x/l.db' });
    expect(ok('sqlite:/var/l.db')).toMatchObject({ path: '/var/l.db' });
    expect(bad('sqlite:')).toMatch(/empty path/);
    expect(bad('sqlite://host/x.db')).toMatch(/no "\/\/"/);
  });

  it('postgres:// and postgresql:// with an optional schema (default public)', () => {
    const url = ok('postgres://alice:s3cret@db.local:5433/ledger?schema=net_a');
    expect(url).toMatchObject({
      kind: 'postgres',
      schema: 'net_a',
      connectionString: 'postgres://alice:s3cret@db.local:5433/ledger',
      display: 'postgres://alice:***@db.local:5433/ledger?schema=net_a',
    });
    expect(url.display).not.toMatch(/s3cret/);
    expect(ok('postgresql://bob@127.0.0.1/db')).toMatchObject({ kind: 'postgres', schema: 'public', connectTimeoutMs: undefined });
    expect(ok('postgres://bob@h/db?connect_timeout=2.5')).toMatchObject({ connectTimeoutMs: 2500 });
  });

  it('rejects bad schemas, parameters and hosts with one line, never echoing the password', () => {
    for (const schema of ['Public', '1abc', 'a-b', 'a;drop', '', 'x'.repeat(64)]) {
      const message = bad(`postgres://u:pw@h/db?schema=${encodeURIComponent(schema)}`);
      expect(message).toMatch(/not a plain identifier/);
      expect(message).not.toMatch(/pw@/);
    }
    expect(bad('postgres://u@h/db?sslmode=require')).toMatch(/unknown parameter "sslmode"/);
    expect(bad('postgres://u@h/db?connect_timeout=-1')).toMatch(/connect_timeout/);
    expect(bad('postgres:///db')).toMatch(/no host/);
  });

  it('rejects unknown schemes and scheme-less text, saying what to write', () => {
    expect(bad('ftp://x')).toMatch(/unknown scheme "ftp:": use memory:, sqlite:PATH or postgres:/);
    expect(bad('ledger.db')).toMatch(/no scheme/);
  });
});

describe('StoreUrlFromString (io-ts)', () => {
  it('decodes strings and reports the parse error as the failure message', () => {
    expect(isRight(StoreUrlFromString.decode('memory:'))).toBe(true);
    const result = StoreUrlFromString.decode('ftp://x');
    expect(result._tag === 'Left' && result.left[0]?.message).toMatch(/unknown scheme/);
    expect(StoreUrlFromString.decode(42)._tag).toBe('Left');
  });
});
