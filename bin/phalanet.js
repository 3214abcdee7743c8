#!/usr/bin/env node
// Runs the compiled CLI (built into dist/ by `npm run prepare`, which `npm ci` runs).
let cli;
try {
  cli = require('../dist/infra/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist\/infra\/cli\/main/.test(String(err.message))) {
    process.stderr.write('phalanet: the compiled CLI is missing (dist/). Run `npm ci` or `npm run build` in the phalanet checkout.\n');
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv).then((code) => { process.exitCode = code; });
