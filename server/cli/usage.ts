import { CONFIG_VARIABLES } from '../config/variables.ts';

export const USAGE = `Usage: kubelab <command>

Commands:
  serve                        run the lab server (settings from environment variables)
  exercises list               list the exercise catalog
  exercises validate [DIR...]  check exercise folders or an exercises root
                               (default: the catalog); exit 1 on any problem
  users add NAME [--role R]    create (or find) a user and print a new API token
                               (R: learner (default), instructor, admin)
  users list                   every user: id, name, role, status, last seen
  users tokens USER_ID         a user's API tokens (never the secret)
  users revoke TOKEN_ID        revoke an API token; it stops working at once
  users disable USER_ID        switch an account off: sessions end, tokens refused
  users enable USER_ID         switch it on again
  users role USER_ID ROLE      make a user a learner, instructor or admin
  classes add NAME --owner USER
                               create a class owned by USER (an instructor) with
                               every exercise, and print its join link
  api-keys create NAME --by USER --scopes SCOPE[,SCOPE...] [--class CLASS_ID]
                               a service API key (klk_...) for an integration, with
                               USER's standing; printed once. SCOPE: results:read,
                               classes:write, environments:write. Without --class:
                               the whole server (USER must be an admin)
  api-keys list                every service API key (never the secret)
  api-keys revoke KEY_ID       revoke a service API key; it stops working at once
  clusters [list]              the cluster pool: capacity, used, warm, cordoned
                               (health: GET /api/v1/admin/clusters or /readyz)
  clusters cordon NAME         take no new environments on that cluster
  clusters uncordon NAME       take new environments there again
                               (drain: POST /api/v1/admin/clusters/NAME/drain)
  lti register|list|remove     LMS platforms for LTI 1.3 (\`kubelab lti\` for flags)
  sim [...]                    run the embedded cluster on its own
  grade EXERCISE [...]         grade a namespace once (exit 0 passed, 1 failed, 2 error)
  help                         show this help
  version                      show the version

Environment: ${CONFIG_VARIABLES.join(', ')}
`;
