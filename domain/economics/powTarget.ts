/**
 * The heartbeat challenge target (`computation.rs` `pow_target`, DOMAIN.md §5.5), in U32F32 with
 * truncation throughout, returned as a U256 `bigint`.
 */
import { u32f32Div, u32f32FromInt, u32f32Mul, u32f32Shl, u32f32ToInt } from '../fixed';

/** `U256::MAX`. */
export const U256_MAX = (1n << 256n) - 1n;

/**
 * `pow_target(num_tx, num_workers, secs_per_block)`: at most 2 challenges per worker-hour, at most
 * `num_tx` expected hits per block. Inputs are `u32`s; `secsPerBlock` must be positive (Rust
 * panics on the division by zero).
 */
export function powTarget(expectedHeartbeatCount: number, onlineWorkers: number, secsPerBlock: number): bigint {
  for (const [name, v] of [['expectedHeartbeatCount', expectedHeartbeatCount], ['onlineWorkers', onlineWorkers], ['secsPerBlock', secsPerBlock]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`powTarget: ${name} must be a u32, got ${v}`);
  }
  if (onlineWorkers === 0) return 0n;
  if (secsPerBlock === 0) throw new RangeError('powTarget: secsPerBlock must be positive');
  const n = u32f32FromInt(onlineWorkers);
  const numTx = u32f32FromInt(expectedHeartbeatCount);
  const blocksPerHour = u32f32FromInt(Math.floor(3600 / secsPerBlock));
  const maxTx = u32f32Div(u32f32Mul(n, u32f32FromInt(2)), blocksPerHour);
  let targetTx = maxTx;
  if (numTx < maxTx) targetTx = numTx;
  const frac = u32f32ToInt(u32f32Shl(u32f32Div(targetTx, n), 24n));
  return (U256_MAX >> 24n) * frac;
}
