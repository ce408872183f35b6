// The cluster-access interface is the graders' (graders/cluster/types.ts): they define
// what they need from a cluster, and server/cluster implements it for everyone.
export type * from '../../graders/cluster/types.ts';
