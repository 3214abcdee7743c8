/**
 * Distributions of per-worker (or per-staker) values: `{ fixed: x }`, `{ uniform: {min, max} }`,
 * `{ normal: {mean, sd, min?, max?} }` (clamped to [min, max] when given) and
 * `{ choice: [{value, weight}] }`. The simulation draws from them with the run's seeded Random;
 * here they are only checked.
 */
import * as t from 'io-ts';
import { oneKeyOf, refine, strict } from './combinators';
import { NonNegative } from './values.codec';

function rangeProblem(min: number | undefined, max: number | undefined): string | undefined {
  return min !== undefined && max !== undefined && min > max ? `min (${min}) must not exceed max (${max}); swap them` : undefined;
}

/**
 * A distribution over the values `value` accepts. `continuous: false` allows only `fixed` and
 * `choice` (for values such as confidence levels that have no in-between).
 */
export function distribution<C extends t.Mixed>(name: string, value: C, continuous: boolean) {
  const fixed = value;
  const choiceList = t.array(
    strict(`a choice of ${name}`, { value, weight: NonNegative }, {}, { value: `one possible ${name}`, weight: 'relative weight (any non-negative scale)' }),
    'a list of {value, weight}',
  );
  const choice = refine<typeof choiceList, { readonly Choice: unique symbol }>(
    choiceList,
    'a non-empty list of {value, weight} with a positive total weight',
    (items) => (items.length > 0 && items.some((i) => i.weight > 0) ? undefined : 'must list at least one value with a positive weight'),
    { minItems: 1 },
  );
  const uniformObject = strict(`a uniform range of ${name}`, { min: value, max: value }, {}, { min: 'lowest value (inclusive)', max: 'highest value (inclusive)' });
  const uniform = refine<typeof uniformObject, { readonly Uniform: unique symbol }>(uniformObject, 'a range with min ≤ max', (r) => rangeProblem(r.min, r.max), {});
  const normalObject = strict(
    `a normal distribution of ${name}`,
    { mean: value, sd: NonNegative },
    { min: value, max: value },
    { mean: 'mean', sd: 'standard deviation (0 gives the mean every time)', min: 'draws below are clamped to min', max: 'draws above are clamped to max' },
  );
  const normal = refine<typeof normalObject, { readonly Normal: unique symbol }>(normalObject, 'a normal distribution with min ≤ max', (r) => rangeProblem(r.min, r.max), {});
  const docs = {
    fixed: `every draw is this ${name}`,
    choice: 'a value picked with probability proportional to its weight',
    uniform: 'uniform over [min, max]',
    normal: 'normal with mean and sd, clamped to [min, max] when given',
  };
  return continuous
    ? oneKeyOf(`a distribution of ${name}`, { fixed, uniform, normal, choice }, docs)
    : oneKeyOf(`a distribution of ${name}`, { fixed, choice }, { fixed: docs.fixed, choice: docs.choice });
}

/** any distribution over numbers, as decoded */
export type NumberDistribution =
  | { readonly fixed: number }
  | { readonly uniform: { readonly min: number; readonly max: number } }
  | { readonly normal: { readonly mean: number; readonly sd: number; readonly min?: number; readonly max?: number } }
  | { readonly choice: readonly { readonly value: number; readonly weight: number }[] };
