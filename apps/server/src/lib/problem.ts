import { PROBLEMS, type FieldError, type ProblemCode } from '@vigie/domain';

/** An error that maps to an RFC 9457 problem: thrown by services, rendered in one place by the HTTP layer. */
export class Problem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? code);
    this.name = 'Problem';
  }
  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

/** Shorthand for a one-field validation problem. */
export const fieldProblem = (field: string, message: string): Problem =>
  new Problem('validation_failed', message, [{ field, message }]);
