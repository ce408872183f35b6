// Pool failures as environment errors, so every route that already maps environment
// errors (environments, grading, live view) tells the learner plainly.
import { EnvironmentError } from '../../environments/errors.ts';

/** The member holding the learner's environment is down: their namespace is still there, only unreachable. */
export class MemberUnavailableError extends EnvironmentError {
  override readonly name = 'MemberUnavailableError';
  readonly statusCode = 503;
  readonly code = 'cluster_member_unavailable';
  constructor() {
    super('the cluster your lab runs on is not answering; your work is kept. Try again in a few minutes');
  }
}

/** Every member is full, cordoned or down: no cluster can take a new environment. */
export class PoolFullError extends EnvironmentError {
  override readonly name = 'PoolFullError';
  readonly statusCode = 429;
  readonly code = 'environment_capacity_reached';
  constructor() {
    super("the lab is full (every cluster is at capacity): try again when another learner's environment expires");
  }
}

/** An admin named a member the pool does not have. */
export class UnknownMemberError extends EnvironmentError {
  override readonly name = 'UnknownMemberError';
  readonly statusCode = 404;
  readonly code = 'cluster_not_found';
  constructor(name: string) {
    super(`no cluster named "${name}" in the pool`, { cluster: name });
  }
}
