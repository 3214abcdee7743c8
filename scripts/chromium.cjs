// Headless Chromium for the browser tests (INFRA.md "Toolchain facts"): Debian's `chromium`
// package, driven by playwright-core (`npx playwright install` cannot download browsers here).
// ensure() is idempotent: it returns the binary when it is there, and otherwise installs the
// package with apt-get (root only; `apt-get update` and a retry when the first install fails).
// Used by scripts/services.mjs start and by the browser test itself. No dependencies: Node only.
//
//   node scripts/chromium.cjs        prints the binary's path, installing it first when missing
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

/** Where Debian puts the browser; the first one that exists wins. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The flags INFRA.md gives for headless Chromium on these machines (no sandbox: we run as root). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const log = (line) => process.stderr.write(`[chromium] ${line}\n`);

function find() {
  return CANDIDATES.find((p) => fs.existsSync(p));
}

function aptInstall() {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  try {
    apt(['install', '-y', 'chromium']);
  } catch {
    // a fresh machine's package lists may be missing or stale
    log('apt-get install failed: apt-get update, then again');
    apt(['update']);
    apt(['install', '-y', 'chromium']);
  }
}

/** The Chromium binary, installed from Debian's packages first when it is missing. */
function ensure() {
  const found = find();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error(`Chromium is missing (${CANDIDATES.join(', ')}) and we are not root: run apt-get install -y chromium as root`);
  log('not installed: apt-get install -y chromium');
  aptInstall();
  const installed = find();
  if (!installed) throw new Error(`apt-get installed chromium but none of ${CANDIDATES.join(', ')} exists`);
  return installed;
}

module.exports = { ensure, find, CHROMIUM_ARGS };

if (require.main === module) {
  try {
    process.stdout.write(`${ensure()}\n`);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
