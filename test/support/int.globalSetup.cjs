// jest globalSetup of the int tier: the real servers its tests need, started side by side when
// scripts/services.mjs has not started them already (see postgres.globalSetup.cjs and
// kafka.globalSetup.cjs).
const postgres = require('./postgres.globalSetup.cjs');
const kafka = require('./kafka.globalSetup.cjs');

module.exports = async function globalSetup(globalConfig, projectConfig) {
  await Promise.all([postgres(globalConfig, projectConfig), kafka(globalConfig, projectConfig)]);
};
