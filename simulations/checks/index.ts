/**
 * The invariant checkers of issue 6, in the fixed order their verdicts appear in `summary.json`
 * (the order the issue lists them). Each checker sees every block with its state and keeps only
 * what it needs; see each file's comment for what it checks and how it stays cheap.
 */
import type { Checker } from './api';
import { chainNeverForks } from './chainNeverForks';
import { contractsAgree } from './contractsAgree';
import { emissionAudit } from './emissionAudit';
import { gatekeepersAgree } from './gatekeepersAgree';
import { type LeakScanner, leakScanner } from './leakScanner';
import { mqSequencesContiguous } from './mqSequencesContiguous';
import { noDoublePayout } from './noDoublePayout';
import { noSecretLeaked } from './noSecretLeaked';
import { phaIssuanceConstant } from './phaIssuanceConstant';
import { wphaBacked } from './wphaBacked';

export type { BlockFacts, Checker, DriverFacts } from './api';
export { type LeakFinding, type LeakScanner, leakScanner, type SecretHolder } from './leakScanner';
export { chainNeverForks, contractsAgree, emissionAudit, gatekeepersAgree, mqSequencesContiguous, noDoublePayout, noSecretLeaked, phaIssuanceConstant, wphaBacked };

/** The checkers' names, in summary order. */
export const CHECK_NAMES = [
  'noDoublePayout',
  'phaIssuanceConstant',
  'wphaBacked',
  'mqSequencesContiguous',
  'gatekeepersAgree',
  'chainNeverForks',
  'noSecretLeaked',
  'emissionAudit',
  'contractsAgree',
] as const;

/** Options of {@link createCheckers}. */
export interface CheckersOptions {
  /** the scanner the driver feeds enclave objects to (default: a new, empty one) */
  readonly leakScanner?: LeakScanner;
  /** blocks between full-storage verifications (default 600) */
  readonly fullScanEvery?: number;
  /** relative tolerance of the emission audit (default 0.15) */
  readonly emissionTolerance?: number;
}

/** Every checker, fresh, in {@link CHECK_NAMES} order. */
export function createCheckers(options: CheckersOptions = {}): Checker[] {
  const scan = options.fullScanEvery === undefined ? {} : { fullScanEvery: options.fullScanEvery };
  return [
    noDoublePayout(),
    phaIssuanceConstant(scan),
    wphaBacked(scan),
    mqSequencesContiguous(scan),
    gatekeepersAgree(),
    chainNeverForks(),
    noSecretLeaked(options.leakScanner ?? leakScanner()),
    emissionAudit(options.emissionTolerance === undefined ? {} : { tolerance: options.emissionTolerance }),
    contractsAgree(),
  ];
}
