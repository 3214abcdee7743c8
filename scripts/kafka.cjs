// A throw-away single-node Apache Kafka broker (KRaft) for the tests and the benchmark (INFRA.md
// "Apache Kafka broker without Docker"), shared by scripts/services.mjs, the jest globalSetup of
// the int tier and bench/kafka.bench.ts. No dependencies: Node, Java 17 and Maven only.
//
// jars(): collect the broker's jars (scripts/kafka/pom.xml) into .cache/kafka/<version>/lib with
// Maven, once. start(stateFile): pick two free loopback ports, write server.properties and a
// log4j2 config into a fresh directory beside the state file, format the storage with a random
// cluster id, start the JVM, and wait until a client can describe the cluster (scripts/kafka/
// probe.ts, through the Kafka adapter: kafkajs is imported nowhere else). Records
// { pid, dir, port, brokers } in stateFile. stop(stateFile): SIGTERM by PID, SIGKILL after a
// timeout, remove the directory. A stale state file (a crashed earlier run) is stopped first.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { freePort, isAlive, readState, stopProcess } = require('./processes.cjs');

/** the pinned broker version; kafkajs 2.2.4 was smoke-tested against it (README, issue 8) */
const VERSION = '4.1.1';
const root = path.join(__dirname, '..');
const log = (line) => process.stderr.write(`[kafka] ${line}\n`);

/** The broker's jars, downloaded by Maven into the cache on first use; returns the lib directory. */
function jars(version = VERSION) {
  const lib = path.join(root, '.cache', 'kafka', version, 'lib');
  if (fs.existsSync(path.join(lib, '.complete'))) return lib;
  const tmp = `${lib}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const t0 = Date.now();
  log(`collecting Kafka ${version} jars with Maven into ${lib} (once)`);
  const pom = path.join(__dirname, 'kafka', 'pom.xml');
  const args = ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-Dkafka.version=${version}`, `-DoutputDirectory=${tmp}`];
  const r = spawnSync('mvn', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`cannot run mvn (Maven is needed to fetch the Kafka broker): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`mvn could not collect the Kafka ${version} jars:\n${tail(`${r.stdout}\n${r.stderr}`, 30)}`);
  fs.writeFileSync(path.join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  fs.rmSync(lib, { recursive: true, force: true });
  fs.renameSync(tmp, lib);
  log(`jars ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return lib;
}

function tail(textOrFile, lines) {
  let text = textOrFile;
  if (fs.existsSync(textOrFile)) text = fs.readFileSync(textOrFile, 'utf8');
  return text.split('\n').slice(-lines).join('\n');
}

/** true if pid is a running Kafka broker (so a recycled PID is never killed) */
function isBroker(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return false;
  }
}

function serverProperties({ port, controllerPort, dataDir }) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

function log4j2Properties(logFile) {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    // the request log and the state change log are chatty and say nothing a test needs
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    '',
  ].join('\n');
}

/** A cluster id: 16 random bytes, base64url without padding (22 characters). */
const clusterId = () => randomBytes(16).toString('base64url');

/**
 * Waits until a client can describe the cluster, through scripts/kafka/probe.ts (the adapter's
 * probe, run by tsx). Fails early when the JVM exits.
 */
function waitReady(brokers, child, timeoutMs) {
  return new Promise((resolve, reject) => {
    const probe = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'kafka', 'probe.ts'), brokers, String(timeoutMs)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    probe.stdout.on('data', (d) => (out += d));
    probe.stderr.on('data', (d) => (out += d));
    const onExit = () => {
      probe.kill('SIGKILL');
      reject(new Error(`the broker exited with code ${child.exitCode} before it answered`));
    };
    child.once('exit', onExit);
    probe.once('exit', (code) => {
      child.off('exit', onExit);
      if (code === 0) resolve();
      else reject(new Error(`no answer from ${brokers} within ${timeoutMs / 1000} s: ${out.trim()}`));
    });
  });
}

/**
 * Starts a broker; returns { pid, dir, port, brokers } and writes it to stateFile.
 * options: { version, heapMb: [min, max], readyTimeoutMs }
 */
async function start(stateFile, options = {}) {
  await stop(stateFile);
  const lib = jars(options.version ?? VERSION);
  const dir = path.join(path.dirname(stateFile), `kafka-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  // write the state first, so a crash from here on still leaves something for stop() to clean
  fs.writeFileSync(stateFile, JSON.stringify({ dir }));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const props = path.join(dir, 'server.properties');
  const log4j = path.join(dir, 'log4j2.properties');
  fs.writeFileSync(props, serverProperties({ port, controllerPort, dataDir: path.join(dir, 'data') }));
  fs.writeFileSync(log4j, log4j2Properties(path.join(dir, 'server.log')));
  const cp = `${lib}/*`;
  const t0 = Date.now();
  const logOpt = `-Dlog4j2.configurationFile=${log4j}`;
  const format = spawnSync('java', [logOpt, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', props, '--ignore-formatted'], {
    encoding: 'utf8',
  });
  if (format.error) throw new Error(`cannot run java (Java 17 is needed for the Kafka broker): ${format.error.message}`);
  if (format.status !== 0) throw new Error(`kafka storage format failed:\n${tail(`${format.stdout}\n${format.stderr}`, 20)}`);
  const formatted = Date.now();
  const { pid } = await launch(stateFile, { dir, port, lib, options });
  const took = (from, to) => ((to - from) / 1000).toFixed(1);
  log(`Kafka ${options.version ?? VERSION} ready on 127.0.0.1:${port} (pid ${pid}; format ${took(t0, formatted)} s, start ${took(formatted, Date.now())} s)`);
  return { pid, dir, port, brokers: `127.0.0.1:${port}` };
}

/** Runs the broker of `dir` (formatted, configured) and waits until it answers; records it in stateFile. */
async function launch(stateFile, { dir, port, lib, options }) {
  const log4j = path.join(dir, 'log4j2.properties');
  const serverLog = path.join(dir, 'server.log');
  const out = fs.openSync(path.join(dir, 'stdout.log'), 'a');
  const [xms, xmx] = options.heapMb ?? [256, 512];
  const args = [`-Xms${xms}m`, `-Xmx${xmx}m`, `-Dlog4j2.configurationFile=${log4j}`, '-cp', `${lib}/*`, 'kafka.Kafka', path.join(dir, 'server.properties')];
  const child = spawn('java', args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const brokers = `127.0.0.1:${port}`;
  fs.writeFileSync(stateFile, JSON.stringify({ pid: child.pid, dir, port, brokers, version: options.version ?? VERSION }));
  child.unref();
  try {
    await waitReady(brokers, child, options.readyTimeoutMs ?? 180_000);
  } catch (error) {
    const logs = `${tail(serverLog, 25)}\n${tail(path.join(dir, 'stdout.log'), 10)}`;
    await stop(stateFile);
    throw new Error(`Kafka broker did not become ready: ${error.message}\n--- broker log tail ---\n${logs}`);
  }
  return { pid: child.pid };
}

/**
 * Restarts the broker stateFile describes in place (same port, same data: what it acknowledged
 * survives): SIGTERM (a clean shutdown), `downMs` with no broker, then the same server again.
 * For the failover suite. Resolves to { stoppedMs, startedMs }: how long each half took.
 */
async function restart(stateFile, { downMs = 0 } = {}) {
  const state = readState(stateFile);
  const { pid, dir, port } = state;
  if (!Number.isInteger(pid) || !isAlive(pid) || !isBroker(pid)) throw new Error(`no running broker in ${stateFile}`);
  const t0 = Date.now();
  await stopProcess(pid, 'SIGTERM', 30_000, log);
  const stoppedMs = Date.now() - t0;
  await new Promise((r) => setTimeout(r, downMs));
  const t1 = Date.now();
  const version = state.version ?? VERSION;
  await launch(stateFile, { dir, port, lib: jars(version), options: { version } });
  log(`Kafka restarted on 127.0.0.1:${port} (down ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { stoppedMs, startedMs: Date.now() - t1 };
}

/** Stops what stateFile describes (if anything) and removes its directory. */
async function stop(stateFile) {
  if (!fs.existsSync(stateFile)) return;
  const state = readState(stateFile);
  const { pid, dir } = state;
  if (Number.isInteger(pid) && isAlive(pid) && isBroker(pid)) {
    await stopProcess(pid, 'SIGTERM', 20_000, log);
  }
  if (typeof dir === 'string' && path.basename(dir).startsWith('kafka-')) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(stateFile, { force: true });
}

module.exports = { start, stop, restart, jars, VERSION };
