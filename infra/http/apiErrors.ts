/**
 * The API's errors: one JSON shape, `{ "error": { "code", "message", "parameter" } }` (issue 7
 * item 4), and the status each kind of failure maps to. `parameter` names the query parameter
 * (or `id`) that was refused, null when the failure is not about a parameter.
 */
import { BlockNotProjected, CorruptProjectionRow } from '../../projections';
import { ProblemError, UsageError } from '../cli/errors';
import type { BadParameter } from '../cli/commands/queryParams';

/** The error codes the API answers with. */
export type ApiErrorCode =
  | 'InvalidParameter'
  | 'UnknownParameter'
  | 'ParameterNotApplicable'
  | 'InvalidRange'
  | 'UnknownResource'
  | 'NotFound'
  | 'CorruptProjection'
  | 'Internal';

/** An error answer: HTTP status and body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly parameter: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The JSON body. */
  body(): { error: { code: ApiErrorCode; message: string; parameter: string | null } } {
    return { error: { code: this.code, message: this.message, parameter: this.parameter } };
  }
}

/** A refused query parameter as a 400, worded with the HTTP spelling of parameter names. */
export function badParameterError(resource: string, bad: BadParameter): ApiError {
  const p = bad.parameter;
  switch (bad.reason) {
    case 'unknown':
      return new ApiError(400, 'UnknownParameter', `unknown query parameter "${p}" for ${resource}`, p);
    case 'not-applicable': {
      const takes = bad.expected === 'none' ? 'no parameters' : bad.expected.split(',').join(', ');
      return new ApiError(400, 'ParameterNotApplicable', `parameter "${p}" does not apply to ${resource} (it takes ${takes})`, p);
    }
    case 'order':
      return new ApiError(400, 'InvalidRange', `parameter "${p}" = ${JSON.stringify(bad.value)} is not ${bad.expected}`, p);
    case 'invalid':
      return new ApiError(400, 'InvalidParameter', `parameter "${p}" = ${JSON.stringify(bad.value)} is not ${bad.expected}`, p);
    default: {
      const never: never = bad.reason;
      return never;
    }
  }
}

/** Maps what an answer threw to an API error; the CLI's wording loses its `query:` prefix. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const text = (error instanceof Error ? error.message : String(error)).replace(/^query: /, '');
  if (error instanceof ProblemError || error instanceof BlockNotProjected) return new ApiError(404, 'NotFound', text);
  if (error instanceof CorruptProjectionRow) return new ApiError(500, 'CorruptProjection', text);
  // a UsageError from the shared query code is still about a flag: name the parameter when it does
  if (error instanceof UsageError) return new ApiError(400, 'InvalidParameter', text.replace(/--([a-z-]+)/g, (_m, f: string) => f.replace(/-([a-z])/g, (_x, c: string) => c.toUpperCase())));
  return new ApiError(500, 'Internal', text);
}
