// Every controller, in the order the runner drains their queues.

import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { nodeJoinController } from './nodejoin.ts';
import { serviceAccountController } from './serviceaccount.ts';

export function allControllers(ctx: ControllerContext): Controller[] {
  return [serviceAccountController(ctx), nodeJoinController(ctx)];
}
