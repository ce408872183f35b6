// LimitRanger admission for Pods: per-container `default` limits and `defaultRequest`
// requests from every LimitRange of type Container, then min/max checks with the
// real refusal text ("maximum cpu usage per Container is 2, but limit is 4").
// Source: plugin/pkg/admission/limitranger/admission.go (defaultContainerResourceRequirements,
//         minConstraint, maxConstraint), pkg/apis/core/v1/defaults.go (SetDefaults_LimitRangeItem)

import { forbidden } from '../../core/errors.ts';
import type { AdmissionPlugin } from '../../core/strategy.ts';
import { at, child, rec, recs, str } from '../util/obj.ts';
import { parseQuantity } from './quantity.ts';

export const limitRangerAdmission: AdmissionPlugin = {
  name: 'LimitRanger',
  admit(operation, obj, _old, ctx) {
    if (operation !== 'CREATE' || ctx.resource.key !== 'pods') return;
    const ranges = ctx.store.list('limitranges', obj.metadata.namespace ?? '');
    const errors: string[] = [];
    for (const lr of ranges) {
      for (const item of recs(at(lr, 'spec', 'limits'))) {
        if (str(item.type) !== 'Container') continue;
        const max = rec(item.max) ?? {};
        // A Container item's default falls back to max, defaultRequest to default.
        const def = rec(item.default) ?? max;
        const defReq = rec(item.defaultRequest) ?? def;
        const min = rec(item.min) ?? {};
        for (const c of recs(at(obj, 'spec', 'containers'))) {
          const res = child(c, 'resources');
          const limits = child(res, 'limits');
          const requests = child(res, 'requests');
          for (const [r, v] of Object.entries(def)) if (limits[r] === undefined) limits[r] = v;
          for (const [r, v] of Object.entries(defReq)) if (requests[r] === undefined) requests[r] = v;
          for (const [r, v] of Object.entries(min)) {
            const want = parseQuantity(v) ?? 0;
            const req = parseQuantity(requests[r]);
            if (req === undefined) errors.push(`minimum ${r} usage per Container is ${String(v)}.  No request is specified`);
            else if (req < want) errors.push(`minimum ${r} usage per Container is ${String(v)}, but request is ${String(requests[r])}`);
          }
          for (const [r, v] of Object.entries(max)) {
            const cap = parseQuantity(v) ?? 0;
            const lim = parseQuantity(limits[r]);
            if (lim === undefined) errors.push(`maximum ${r} usage per Container is ${String(v)}.  No limit is specified`);
            else if (lim > cap) errors.push(`maximum ${r} usage per Container is ${String(v)}, but limit is ${String(limits[r])}`);
          }
          if (Object.keys(requests).length === 0) delete res.requests;
          if (Object.keys(limits).length === 0) delete res.limits;
        }
      }
    }
    if (errors.length > 0) {
      const joined = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
      throw forbidden(`pods "${obj.metadata.name ?? ''}" is forbidden: ${joined}`, { name: obj.metadata.name, kind: 'pods' });
    }
  },
};
