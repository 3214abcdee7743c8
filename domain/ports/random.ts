/**
 * Random port. In a simulation every stream derives from the scenario seed (pure-rand); in a
 * cluster it is the OS CSPRNG. `fork(label)` gives each actor its own stream, so adding an actor
 * does not shift the numbers any other actor draws.
 */
export interface Random {
  /** uniform integer in [0, 2^32) */
  nextU32(): number;
  /** uniform integer in [min, max], both inclusive; `max - min < 2^32` */
  nextInt(min: number, max: number): number;
  /** uniform float in [0, 1) */
  nextFloat(): number;
  /** `n` uniform bytes */
  bytes(n: number): Uint8Array;
  /** an independent stream named by `label`; the same label on the same parent gives the same stream */
  fork(label: string): Random;
}
