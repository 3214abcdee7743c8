'use strict';
// Process helpers shared by the test-server harnesses (scripts/postgres.cjs, scripts/kafka.cjs).
const net = require('node:net');

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** true if a process with this pid exists. */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks `pid` to stop with `signal`, waits up to `timeoutMs`, then SIGKILLs it. `log` says when
 * the process ignored the request.
 */
async function stopProcess(pid, signal, timeoutMs, log) {
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) {
    log(`pid ${pid} ignored ${signal}: SIGKILL`);
    process.kill(pid, 'SIGKILL');
  }
}

/** The harness state a `start` recorded, or `{}` when the file is missing or unreadable. */
function readState(stateFile) {
  try {
    return JSON.parse(require('node:fs').readFileSync(stateFile, 'utf8'));
  } catch {
    return {}; // missing or unreadable state: nothing we can safely kill
  }
}

module.exports = { freePort, isAlive, readState, stopProcess };
