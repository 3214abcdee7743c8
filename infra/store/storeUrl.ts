/**
 * Store URLs (README "Store URLs"): which EventStore adapter to open and where.
 *
 * `memory:` · `sqlite:PATH` (relative paths resolve against the working directory) ·
 * `postgres://user:pass@host:port/db?schema=NAME` (or `postgresql://`), one ledger per schema.
 * `kurrentdb://…` / `kurrentdb+discover://…` / `esdb://…` (`?ledger=NAME`), one ledger per stream prefix.
 * Decoded by an io-ts codec from the raw string, so a bad URL is a one-line error naming the
 * problem and the fix, never an exception from deep inside a driver.
 */
import { resolve } from 'node:path';
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';

/** A decoded store URL; `display` is safe to print (no password). */
export type StoreUrl =
  | { readonly kind: 'memory'; readonly display: string }
  | { readonly kind: 'sqlite'; readonly path: string; readonly display: string }
  | {
      readonly kind: 'postgres';
      /** what the pg driver gets: the URL without phalanet's own query parameters */
      readonly connectionString: string;
      readonly schema: string;
      /** from `?connect_timeout=SECONDS` (libpq's name); undefined = the adapter's default */
      readonly connectTimeoutMs: number | undefined;
      readonly display: string;
    }
  | {
      readonly kind: 'kurrentdb';
      /** what the client gets: the URL without phalanet's own `ledger` parameter */
      readonly connectionString: string;
      /** stream-name prefix of the ledger (`?ledger=NAME`, default `phalanet`) */
      readonly ledger: string;
      readonly display: string;
    };

/** Schema names we accept: a plain lower-case SQL identifier, so it never needs quoting tricks. */
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;
const postgresParams = new Set(['schema', 'connect_timeout']);
const examples = 'use memory:, sqlite:PATH or postgres://user@host:port/db?schema=NAME, or kurrentdb://host:2113?tls=false';

function parseSqlite(text: string, cwd: string): StoreUrl | string {
  const path = text.slice('sqlite:'.length);
  if (path.trim() === '') return `store URL "${text}" has an empty path: write sqlite:PATH, e.g. sqlite:ledger.db`;
  if (path.startsWith('//')) {
    return `store URL "${text}": write sqlite:/absolute/path or sqlite:relative/path (no "//")`;
  }
  const absolute = resolve(cwd, path);
  return { kind: 'sqlite', path: absolute, display: `sqlite:${absolute}` };
}

function parsePostgres(text: string): StoreUrl | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `store URL "${redactLoosely(text)}" is not a valid URL: ${examples}`;
  }
  if (url.hostname === '') return `store URL "${redactLoosely(text)}" has no host: write postgres://user@host:port/db`;
  for (const key of url.searchParams.keys()) {
    if (!postgresParams.has(key)) {
      return `store URL "${redactLoosely(text)}": unknown parameter "${key}" (allowed: ${[...postgresParams].join(', ')})`;
    }
  }
  const schema = url.searchParams.get('schema') ?? 'public';
  if (!schemaPattern.test(schema)) {
    return `store URL "${redactLoosely(text)}": schema "${schema}" is not a plain identifier (lower-case letters, digits, _; not starting with a digit; at most 63 characters)`;
  }
  const timeoutText = url.searchParams.get('connect_timeout');
  const connectTimeoutSeconds = timeoutText === null ? undefined : Number(timeoutText);
  if (connectTimeoutSeconds !== undefined && !(Number.isFinite(connectTimeoutSeconds) && connectTimeoutSeconds > 0)) {
    return `store URL "${redactLoosely(text)}": connect_timeout "${timeoutText}" must be a positive number of seconds`;
  }
  const driverUrl = new URL(url.href);
  driverUrl.search = '';
  const shown = new URL(url.href);
  if (shown.password !== '') shown.password = '***';
  return {
    kind: 'postgres',
    connectionString: driverUrl.href,
    schema,
    connectTimeoutMs: connectTimeoutSeconds === undefined ? undefined : Math.round(connectTimeoutSeconds * 1000),
    display: shown.href,
  };
}

/**
 * `kurrentdb://`, `kurrentdb+discover://`, `esdb://`, `esdb+discover://`: the client's own
 * connection strings (its parameters such as `tls=false` pass through; hosts may be a list), plus
 * `ledger=NAME`. Parsed by hand because a host list is not a WHATWG URL.
 */
function parseKurrent(text: string): StoreUrl | string {
  const match = /^([a-z+]+):\/\/(?:([^@/?]*)@)?([^/?]*)\/?(?:\?(.*))?$/i.exec(text);
  if (match === null) return `store URL "${redactLoosely(text)}" is not a connection string: write kurrentdb://host:2113?tls=false`;
  const [, scheme, userInfo, hosts, query] = match;
  if (!hosts) return `store URL "${redactLoosely(text)}" has no host: write kurrentdb://host:2113`;
  const params = new URLSearchParams(query ?? '');
  const ledger = params.get('ledger') ?? 'phalanet';
  if (!schemaPattern.test(ledger)) {
    return `store URL "${redactLoosely(text)}": ledger "${ledger}" is not a plain identifier (lower-case letters, digits, _; not starting with a digit)`;
  }
  params.delete('ledger');
  const rest = params.toString();
  const user = userInfo === undefined ? '' : `${userInfo}@`;
  const shownUser = userInfo === undefined ? '' : `${userInfo.replace(/:.*$/, ':***')}@`;
  const base = `${scheme!.toLowerCase()}://`;
  return {
    kind: 'kurrentdb',
    connectionString: `${base}${user}${hosts}${rest ? `?${rest}` : ''}`,
    ledger,
    display: `${base}${shownUser}${hosts}?${rest ? `${rest}&` : ''}ledger=${ledger}`,
  };
}

/** Hides anything between `//user:` and `@` for error messages about unparseable URLs. */
function redactLoosely(text: string): string {
  return text.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
}

/** Parses a store URL; the error string is one line: what, where, what to do. */
export function parseStoreUrl(text: string, cwd: string = process.cwd()): StoreUrl | string {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'memory':
      return text.toLowerCase() === 'memory:' ? { kind: 'memory', display: 'memory:' } : `store URL "${text}": write just memory:`;
    case 'sqlite':
      return parseSqlite(text, cwd);
    case 'postgres':
    case 'postgresql':
      return parsePostgres(text);
    case 'kurrentdb':
    case 'kurrentdb+discover':
    case 'esdb':
    case 'esdb+discover':
      return parseKurrent(text);
    case undefined:
      return `store URL "${text}" has no scheme: ${examples}`;
    default:
      return `store URL "${redactLoosely(text)}" has unknown scheme "${scheme}:": ${examples}`;
  }
}

/** io-ts codec from the raw string (CLI flag, config file) to a `StoreUrl`; relative to the cwd. */
export const StoreUrlFromString = new t.Type<StoreUrl, string, unknown>(
  'StoreUrl',
  (u): u is StoreUrl => typeof u === 'object' && u !== null && 'kind' in u && 'display' in u,
  (u, context) => {
    if (typeof u !== 'string') return t.failure(u, context, 'a store URL must be a string');
    const parsed = parseStoreUrl(u);
    return typeof parsed === 'string' ? t.failure(u, context, parsed) : t.success(parsed);
  },
  (url) => url.display,
);

/** Decodes with the codec and returns the first error message, for callers that throw. */
export function decodeStoreUrl(text: string): StoreUrl | string {
  const result = StoreUrlFromString.decode(text);
  if (isLeft(result)) return result.left[0]?.message ?? `bad store URL "${text}"`;
  return result.right;
}
