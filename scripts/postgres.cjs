// A throw-away PostgreSQL server for the tests (INFRA.md "PostgreSQL without Docker"), shared by
// scripts/services.mjs and the jest globalSetup of the int tier. No dependencies: Node only.
//
// start(stateFile): probe /usr/lib/postgresql/*/bin (installing Debian's `postgresql` when
// missing), initdb a fresh data directory beside the state file, run the server as the
// `postgres` user on a free loopback port with trust auth, wait until it answers, and record
// { pid, dataDir, port, url } in stateFile. stop(stateFile): fast shutdown by PID, SIGKILL after
// a timeout, remove the data directory. A stale state file (a crashed earlier run) is stopped
// before anything new starts.
'use strict';
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort, isAlive, readState, stopProcess } = require('./processes.cjs');

const log = (line) => process.stderr.write(`[postgres] ${line}\n`);

function findBinDir() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (['initdb', 'postgres', 'pg_isready'].every((f) => fs.existsSync(path.join(bin, f)))) return bin;
  }
  return undefined;
}

function installServer() {
  if (process.getuid?.() !== 0) throw new Error('PostgreSQL server binaries are missing and we are not root: apt-get install postgresql');
  log('server binaries missing: apt-get install -y postgresql');
  // keep the package's own cluster from being started by its install script
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
  const bin = findBinDir();
  if (!bin) throw new Error('apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found');
  return bin;
}

/** uid/gid to run the server as: the postgres user when we are root (the server refuses root). */
function serverUser() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root but there is no `postgres` user to run the server as (apt-get install postgresql creates it)');
  }
}

/** true if pid is a running postgres server (so a recycled PID is never killed). */
function isPostgres(pid) {
  try {
    return /postgres/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return isAlive(pid);
  }
}

async function waitReady(bin, port, dataDir, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode} (log: ${dataDir}.log)`);
    const r = spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-t', '2']);
    if (r.status === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`postgres did not answer on port ${port} within 60 s (log: ${dataDir}.log)`);
}

/** true if the server's user can write dataDir (every ancestor must be searchable by it). */
function writableBy(user, dataDir) {
  return spawnSync('test', ['-w', dataDir, '-a', '-x', dataDir], user).status === 0;
}

/**
 * The data directory: beside the state file, or under the temp directory when the server's user
 * cannot reach that place (a checkout under /root, mode 0700).
 */
function makeDataDir(dir, user) {
  const name = `pg-${randomBytes(6).toString('hex')}`;
  const temp = () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'phalanet-'));
    fs.chmodSync(parent, 0o755); // mkdtemp makes it 0700: the server's user must get through
    return parent;
  };
  for (const place of [() => dir, temp]) {
    const parent = place();
    const dataDir = path.join(parent, name);
    fs.mkdirSync(dataDir, { mode: 0o700 });
    if (user.uid !== undefined) fs.chownSync(dataDir, user.uid, user.gid);
    if (writableBy(user, dataDir)) return dataDir;
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (parent !== dir) fs.rmSync(parent, { recursive: true, force: true });
  }
  throw new Error(`the server's user cannot write a data directory under ${dir} nor under ${os.tmpdir()}`);
}

/** Starts a server; returns { pid, dataDir, port, url } and writes it to stateFile. */
async function start(stateFile) {
  await stop(stateFile);
  const bin = findBinDir() ?? installServer();
  const user = serverUser();
  const dir = path.dirname(stateFile);
  fs.mkdirSync(dir, { recursive: true });
  const dataDir = makeDataDir(dir, user);
  // write the state first, so a crash from here on still leaves something for stop() to clean
  fs.writeFileSync(stateFile, JSON.stringify({ dataDir }));
  const initdb = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...user, encoding: 'utf8' },
  );
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr || initdb.error}`);
  const port = await freePort();
  const { pid, url } = await launch(stateFile, { bin, user, dataDir, port });
  log(`PostgreSQL ${path.basename(path.dirname(bin))} ready on 127.0.0.1:${port} (pid ${pid})`);
  return { pid, dataDir, port, url };
}

/** Runs the server over `dataDir` on `port` and waits until it answers; records it in stateFile. */
async function launch(stateFile, { bin, user, dataDir, port }) {
  const logFd = fs.openSync(`${dataDir}.log`, 'a');
  // durability off: the data directory is thrown away after the run
  const args = ['-D', dataDir, '-k', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200');
  const child = spawn(path.join(bin, 'postgres'), args, { ...user, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  fs.writeFileSync(stateFile, JSON.stringify({ pid: child.pid, dataDir, port, url }));
  child.unref();
  await waitReady(bin, port, dataDir, child);
  return { pid: child.pid, url };
}

/**
 * Restarts the server stateFile describes in place (same port, same data): a fast shutdown
 * (SIGINT: every client is disconnected), `downMs` with no server, then the same server again.
 * For the failover suite. Resolves to { stoppedMs, startedMs }.
 */
async function restart(stateFile, { downMs = 0 } = {}) {
  const { pid, dataDir, port } = readState(stateFile);
  if (!Number.isInteger(pid) || !isAlive(pid) || !isPostgres(pid)) throw new Error(`no running PostgreSQL in ${stateFile}`);
  const t0 = Date.now();
  await stopProcess(pid, 'SIGINT', 15_000, log);
  const stoppedMs = Date.now() - t0;
  await new Promise((r) => setTimeout(r, downMs));
  const t1 = Date.now();
  await launch(stateFile, { bin: findBinDir() ?? installServer(), user: serverUser(), dataDir, port });
  log(`PostgreSQL restarted on 127.0.0.1:${port} (down ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { stoppedMs, startedMs: Date.now() - t1 };
}

/** Stops what stateFile describes (if anything) and removes its data directory. */
async function stop(stateFile) {
  if (!fs.existsSync(stateFile)) return;
  const state = readState(stateFile);
  const { pid, dataDir } = state;
  if (Number.isInteger(pid) && isAlive(pid) && isPostgres(pid)) {
    // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for every client
    await stopProcess(pid, 'SIGINT', 15_000, log);
  }
  if (typeof dataDir === 'string' && path.basename(dataDir).startsWith('pg-')) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.log`, { force: true });
    // the fallback lives in its own temp directory: remove that too
    if (path.basename(path.dirname(dataDir)).startsWith('phalanet-')) fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  }
  fs.rmSync(stateFile, { force: true });
}

module.exports = { start, stop, restart, findBinDir };
