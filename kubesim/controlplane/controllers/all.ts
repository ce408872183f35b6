// Every controller, in the order the runner drains their queues.

import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { kubeletController } from '../kubelet/kubelet.ts';
import { deploymentController } from './deployment.ts';
import { endpointsController, endpointSliceController } from './endpointsync.ts';
import { garbageCollector } from './gc.ts';
import { namespaceController } from './namespace.ts';
import { nodeJoinController } from './nodejoin.ts';
import { quotaController } from './quota.ts';
import { statefulSetController } from './statefulset.ts';
import { replicaSetController } from './replicaset.ts';
import { schedulerController } from './scheduler.ts';
import { serviceAccountController } from './serviceaccount.ts';

export function allControllers(ctx: ControllerContext): Controller[] {
  return [
    serviceAccountController(ctx),
    nodeJoinController(ctx),
    deploymentController(ctx),
    replicaSetController(ctx),
    schedulerController(ctx),
    kubeletController(ctx),
    endpointSliceController(ctx),
    endpointsController(ctx),
    statefulSetController(ctx),
    garbageCollector(ctx),
    namespaceController(ctx),
    quotaController(ctx),
  ];
}
