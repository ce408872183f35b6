-- Cluster pools: every environment records the pool member (cluster) it lives on, so
-- grading, kubeconfigs, the reaper and start-up reconciliation reach the right cluster
-- after a restart. Rows from before pools ran on the only cluster there was, which a
-- pool of one calls 'default'.
ALTER TABLE environments ADD COLUMN cluster TEXT NOT NULL DEFAULT 'default';
CREATE INDEX environments_by_cluster ON environments (cluster, status);

-- A cordoned member takes no new environments. Kept here, not in memory, so a restart
-- (or `kubelab clusters cordon` against the data dir) keeps the operator's decision.
CREATE TABLE cluster_cordons (
  cluster      TEXT    PRIMARY KEY,
  cordoned_at  INTEGER NOT NULL
) STRICT;

-- Warm environments: namespaces provisioned ahead for an exercise (setup applied), owned
-- by nobody yet. Start claims one by deleting its row and inserting the learner's
-- environment in the same transaction, so two learners can never claim the same one.
CREATE TABLE warm_environments (
  id           INTEGER PRIMARY KEY,
  exercise_id  TEXT    NOT NULL,
  cluster      TEXT    NOT NULL,
  namespace    TEXT    NOT NULL UNIQUE,
  status       TEXT    NOT NULL CHECK (status IN ('provisioning', 'ready', 'failed')),
  error        TEXT,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX warm_by_exercise ON warm_environments (exercise_id, status, cluster);
