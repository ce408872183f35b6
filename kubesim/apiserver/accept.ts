// Which representation a GET/LIST/WATCH asks for in its Accept header: plain JSON,
// a meta.k8s.io/v1 Table (kubectl get), or PartialObjectMetadata (metadata-only
// clients). The first media range we can serve wins, as content negotiation does.
// Source: k8s.io/apiserver/pkg/endpoints/handlers/response.go (transformObject)

export type Representation = 'json' | 'table' | 'partial';

export function representationOf(accept: string | undefined): Representation {
  if (!accept) return 'json';
  for (const range of accept.split(',')) {
    const [type, ...paramParts] = range.split(';').map((p) => p.trim());
    const params = new Map(paramParts.map((p) => {
      const [k, v] = p.split('=');
      return [(k ?? '').trim(), (v ?? '').trim()] as const;
    }));
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    const as = params.get('as');
    if (!as) return 'json';
    if (params.get('g') !== 'meta.k8s.io' || params.get('v') !== 'v1') continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'partial';
  }
  return 'json';
}
