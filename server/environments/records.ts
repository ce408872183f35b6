// The environments table as this module needs it: the db's repository plus the one
// query it lacks (every live row, for reconciliation at start). Kept here, read-only,
// until EnvironmentsRepo grows a listLive(); rows go through the repository's own schema.
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { EnvironmentRow, type Environment } from '../db/environments.ts';

export type { Environment };

const toEnvironment = EnvironmentRow.transform(
  (r): Environment => ({
    id: r.id,
    userId: r.user_id,
    exerciseId: r.exercise_id,
    namespace: r.namespace,
    status: r.status,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
  }),
);

/** Rows that still hold, or may hold, a namespace. */
export function listLiveEnvironments(db: Db): Environment[] {
  const rows = db.sqlite.prepare(`SELECT * FROM environments WHERE status != 'deleted' ORDER BY id`).all();
  return z.array(toEnvironment).parse(rows);
}
