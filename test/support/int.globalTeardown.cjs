// jest globalTeardown of the int tier: stops what int.globalSetup.cjs started (if anything).
const postgres = require('./postgres.globalTeardown.cjs');
const kafka = require('./kafka.globalSetup.cjs');

module.exports = async function globalTeardown() {
  await Promise.all([postgres(), kafka.stop()]);
};
