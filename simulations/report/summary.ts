/**
 * The run summary: what `phalanet simulate --json` prints and what `--out` writes as
 * `summary.json` (issue 6). It is a contract with scripts and CI, so one io-ts codec here is used
 * by the CLI to produce it and by tests and readers to check it. Unknown keys are rejected.
 */
import * as t from 'io-ts';
import { WORKER_STATES } from './series';

const pattern = (name: string, re: RegExp) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && re.test(u),
    (u, c) => (typeof u === 'string' && re.test(u) ? t.success(u) : t.failure(u, c, `expected ${name}`)),
    (a) => a,
  );

const nonNegativeInt = new t.Type<number, number, unknown>(
  'NonNegativeInteger',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c, 'expected a non-negative integer')),
  (a) => a,
);

/** `t.strict`, but an unknown key is an error (with its path) instead of being dropped. */
function closed<P extends t.Props>(name: string, props: P) {
  const inner = t.strict(props);
  return new t.Type<t.TypeOf<typeof inner>, t.OutputOf<typeof inner>, unknown>(
    name,
    inner.is,
    (u, c) => {
      if (typeof u === 'object' && u !== null && !Array.isArray(u)) {
        const unknown = Object.keys(u).filter((k) => !Object.hasOwn(props, k));
        if (unknown.length > 0) return t.failure(u, c, `unknown key(s): ${unknown.join(', ')}`);
      }
      return inner.validate(u, c);
    },
    inner.encode,
  );
}

/** `0x` + 64 lowercase or uppercase hex digits (a blake2b-256 hash). */
export const Hash32Hex = pattern('Hash32Hex', /^0x[0-9a-fA-F]{64}$/);
/** A non-negative PHA amount as decimal text, at most 12 decimals. */
export const PhaDecimal = pattern('PhaDecimal', /^[0-9]+(\.[0-9]{1,12})?$/);

// one key per entry of WORKER_STATES (a test checks the two agree)
const workersShape = {
  Unbound: nonNegativeInt,
  Ready: nonNegativeInt,
  WorkerIdle: nonNegativeInt,
  WorkerUnresponsive: nonNegativeInt,
  WorkerCoolingDown: nonNegativeInt,
};

/** One invariant check's verdict; `block` and `detail` say where and why it failed. */
export const CheckResult = t.exact(
  t.intersection([t.type({ name: t.string, passed: t.boolean }), t.partial({ block: nonNegativeInt, detail: t.string })]),
);
/** One invariant check's verdict. */
export type CheckResult = t.TypeOf<typeof CheckResult>;

/** The summary object (`--json`, `summary.json`). */
export const RunSummary = closed('RunSummary', {
  seed: nonNegativeInt,
  scenario: t.string,
  blocks: nonNegativeInt,
  events: nonNegativeInt,
  store: t.string,
  head: closed('Head', { number: nonNegativeInt, hash: Hash32Hex, stateRoot: Hash32Hex }),
  workers: closed('Workers', workersShape),
  rewards: closed('Rewards', { payout: PhaDecimal, treasury: PhaDecimal }),
  checks: t.array(CheckResult),
  durationMs: t.number,
});
/** The summary object (`--json`, `summary.json`). */
export type RunSummary = t.TypeOf<typeof RunSummary>;

/** True when every check passed (and there is at least one). */
export function summaryPassed(s: RunSummary): boolean {
  return s.checks.length > 0 && s.checks.every((c) => c.passed);
}

/** The summary as `--json` prints it and `summary.json` stores it: key order fixed, 2-space indent. */
export function summaryJson(s: RunSummary): string {
  return `${JSON.stringify(RunSummary.encode(s), null, 2)}\n`;
}

/**
 * The summary as a few lines for a terminal: verdict, head, workers, rewards, then each failed
 * check with its block and detail.
 */
export function formatSummary(s: RunSummary): string {
  const failed = s.checks.filter((c) => !c.passed);
  const verdict = summaryPassed(s) ? 'PASSED' : failed.length > 0 ? `FAILED (${failed.length} of ${s.checks.length} checks)` : 'NO CHECKS';
  const workers = WORKER_STATES.map((st) => `${st} ${s.workers[st]}`).join(', ');
  const lines = [
    `${verdict}: scenario ${s.scenario}, seed ${s.seed}, ${s.blocks} blocks, ${s.events} events in ${(s.durationMs / 1000).toFixed(1)} s`,
    `head #${s.head.number} ${s.head.hash} (state root ${s.head.stateRoot})`,
    `workers: ${workers}`,
    `rewards: payout ${s.rewards.payout} PHA, treasury ${s.rewards.treasury} PHA`,
    `store: ${s.store}`,
  ];
  for (const c of failed) lines.push(`  ✗ ${c.name}${c.block === undefined ? '' : ` at block ${c.block}`}${c.detail === undefined ? '' : `: ${c.detail}`}`);
  return `${lines.join('\n')}\n`;
}
