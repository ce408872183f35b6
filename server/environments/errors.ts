// What can go wrong with an environment, as named errors carrying their HTTP status
// and a stable machine-readable code; routes map them in one place (http-errors.ts).

export interface InputProblem {
  /** 1-based YAML document number; 0 for the request as a whole. */
  document: number;
  field: string;
  message: string;
}

export abstract class EnvironmentError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.details = details;
  }
}

export class EnvironmentNotFoundError extends EnvironmentError {
  override readonly name = 'EnvironmentNotFoundError';
  readonly statusCode = 404;
  readonly code = 'environment_not_found';
  constructor(exerciseId: string) {
    super(`you have no environment for exercise "${exerciseId}": create one with PUT first`);
  }
}

export class ExerciseNotFoundError extends EnvironmentError {
  override readonly name = 'ExerciseNotFoundError';
  readonly statusCode = 404;
  readonly code = 'exercise_not_found';
  constructor(exerciseId: string) {
    super(`no exercise with id "${exerciseId}"`);
  }
}

export class LearnerLimitError extends EnvironmentError {
  override readonly name = 'LearnerLimitError';
  readonly statusCode = 429;
  readonly code = 'learner_environment_limit';
  constructor(limit: number) {
    super(`you already have ${limit} environment(s), the most allowed per learner: delete one you no longer need`, { limit });
  }
}

export class CapacityError extends EnvironmentError {
  override readonly name = 'CapacityError';
  readonly statusCode = 429;
  readonly code = 'environment_capacity_reached';
  constructor(limit: number) {
    super(`the lab is full (${limit} environments in use): try again when another learner's environment expires`, { limit });
  }
}

export class EnvironmentNotReadyError extends EnvironmentError {
  override readonly name = 'EnvironmentNotReadyError';
  readonly statusCode = 409;
  readonly code = 'environment_not_ready';
  constructor(status: string, error?: string | null) {
    super(
      status === 'failed'
        ? `your environment failed to start${error ? `: ${error}` : ''}; reset it or create it again with PUT`
        : `your environment is ${status}, not ready yet`,
      { status },
    );
  }
}

/** A namespace with our name exists but belongs to someone else (or to no kubelab learner). */
export class NamespaceConflictError extends EnvironmentError {
  override readonly name = 'NamespaceConflictError';
  readonly statusCode = 409;
  readonly code = 'namespace_conflict';
  constructor(namespace: string) {
    super(`namespace ${namespace} already exists and is not yours; kubelab will not take it over`);
  }
}

export class ApplyInputError extends EnvironmentError {
  override readonly name = 'ApplyInputError';
  readonly statusCode = 400;
  readonly code = 'invalid_manifest';
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    const first = problems[0];
    const where = first && first.document > 0 ? `document ${first.document}, ${first.field}: ` : '';
    super(`${where}${first?.message ?? 'invalid manifest'}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''}`, { problems });
    this.problems = problems;
  }
}

export class UnsupportedKindError extends EnvironmentError {
  override readonly name = 'UnsupportedKindError';
  readonly statusCode = 422;
  readonly code = 'unsupported_kind';
  constructor(problems: InputProblem[]) {
    super(problems.map((p) => `document ${p.document}: ${p.message}`).join('; '), { problems });
  }
}

/** Waiting for the cluster took longer than we are willing to hold a request. */
export class EnvironmentTimeoutError extends EnvironmentError {
  override readonly name = 'EnvironmentTimeoutError';
  readonly statusCode = 504;
  readonly code = 'environment_timeout';
}

/** The cluster refused part of the environment (its Status message is kept); recorded as failed. */
export class ProvisioningFailedError extends EnvironmentError {
  override readonly name = 'ProvisioningFailedError';
  readonly statusCode = 502;
  readonly code = 'provisioning_failed';
}
