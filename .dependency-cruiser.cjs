/**
 * The layer table of ARCHITECTURE.md §2: dependencies point inward.
 * A forbidden import fails `npm run lint`, and so `npm test`.
 */
const layers = ['domain', 'enclave', 'actors', 'projections', 'simulations', 'infra'];
const allowed = {
  domain: [],
  enclave: ['domain'],
  projections: ['domain'],
  actors: ['domain', 'enclave'],
  simulations: ['domain', 'enclave', 'actors', 'projections'],
  infra: layers,
};
const libs = {
  domain: ['fp-ts', 'io-ts', 'scale-ts', '@noble/hashes', '@polkadot/util-crypto', '@polkadot/util', '@scure/sr25519', 'node:buffer'],
  projections: ['fp-ts', 'io-ts', 'scale-ts', '@noble/hashes', '@polkadot/util'],
};
const forbidden = [];
for (const layer of layers) {
  const others = layers.filter((l) => l !== layer && !allowed[layer].includes(l));
  if (others.length > 0) {
    forbidden.push({
      name: `${layer}-layer`,
      comment: `${layer}/ may import only ${allowed[layer].join(', ') || 'nothing of ours'} (ARCHITECTURE.md §2)`,
      severity: 'error',
      from: { path: `^${layer}/`, pathNot: '(\\.test\\.ts$|/testing/)' },
      to: { path: `^(${others.join('|')})/` },
    });
  }
}
for (const [layer, ok] of Object.entries(libs)) {
  forbidden.push({
    name: `${layer}-libraries`,
    comment: `${layer}/ may use only these libraries: ${ok.join(', ')}`,
    severity: 'error',
    from: { path: `^${layer}/`, pathNot: '(\\.test\\.ts$|/testing/)' },
    to: { dependencyTypes: ['npm', 'npm-dev', 'core'], pathNot: `^node_modules/(${ok.map((l) => l.replace('/', '\\/')).join('|')})/` },
  });
}
forbidden.push({
  name: 'kafkajs-only-in-adapter',
  comment: 'kafkajs is imported only by the Kafka bus adapter (issue 8)',
  severity: 'error',
  from: { pathNot: '^infra/bus/kafkaBus\\.ts$' },
  to: { path: '^node_modules/kafkajs/' },
});
// The enclave's record of held secrets is read only through the test-only door, and the door is
// open only to tests and to the simulation's leak checker (enclave/testing/secretsForLeakScan.ts).
forbidden.push({
  name: 'enclave-leak-registry',
  comment: 'only enclave/ may touch the record of held secrets (enclave/leakRegistry.ts)',
  severity: 'error',
  from: { pathNot: '^enclave/' },
  to: { path: '^enclave/leakRegistry\\.ts$' },
});
forbidden.push({
  name: 'enclave-testing-door',
  comment: 'enclave/testing/ lists raw secrets: only *.test.ts files and simulations/ checkers may import it',
  severity: 'error',
  from: { pathNot: '(\\.test\\.ts$|^simulations/|^enclave/testing/)' },
  to: { path: '^enclave/testing/' },
});
// Test-only doors (e.g. the enclave vault's secret listing for the leak scan) live in testing/
// directories: production code can never import them, and the build leaves them out.
forbidden.push({
  name: 'testing-only-from-tests',
  comment: 'a testing/ module may be imported only by tests, benches and other testing/ modules',
  severity: 'error',
  from: { path: '^(domain|enclave|actors|projections|infra|simulations)/', pathNot: '(\\.test\\.ts$|/testing/)' },
  // the simulation's "no secret leaked" checker may read the enclave's leak-scan door (insecure by design there)
  to: { path: '/testing/', pathNot: '^enclave/testing/' },
});
forbidden.push({
  name: 'no-circular',
  severity: 'error',
  from: {},
  to: { circular: true },
});
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    preserveSymlinks: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    exclude: { path: '^(dist|node_modules|runs|\\.cache|test/fixtures|coverage)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
