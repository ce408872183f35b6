import { CONFIG_VARIABLES } from '../config/config.ts';

export const USAGE = `Usage: kubelab <command>

Commands:
  serve                        run the lab server (settings from environment variables)
  exercises list               list the exercise catalog
  exercises validate [DIR...]  check exercise folders or an exercises root
                               (default: the catalog); exit 1 on any problem
  users add NAME [--role R]    create (or find) a user and print a new API token
                               (R: learner (default), instructor, admin)
  sim [...]                    run the embedded cluster on its own
  grade EXERCISE [...]         grade a namespace once (exit 0 passed, 1 failed, 2 error)
  help                         show this help
  version                      show the version

Environment: ${CONFIG_VARIABLES.join(', ')}
`;
