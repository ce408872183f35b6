// `kubelab classes add NAME --owner USER`: a class with every exercise in the catalog,
// owned by an instructor, and its join link printed once (only its hash is stored;
// rotating the link makes a new one).
import { loadCatalog } from '../catalog/loader.ts';
import { loadConfig } from '../config/config.ts';
import { withDataDatabase } from './data-database.ts';
import type { Io } from './io.ts';

export interface AddClass {
  readonly name: string;
  /** The owner's local user name (`users add`), an instructor or admin. */
  readonly owner: string;
}

export async function addClass(io: Io, command: AddClass): Promise<number> {
  const config = loadConfig(io.env, { cwd: io.cwd });
  const catalog = await loadCatalog(config.exercisesDir);
  return withDataDatabase(io, config, (db) => {
    const owner = db.users.selectOptionalByExternalKey(`local:${command.owner}`);
    if (!owner) {
      io.err(`kubelab: no user ${JSON.stringify(command.owner)}: create one with \`kubelab users add ${command.owner} --role instructor\`\n`);
      return 1;
    }
    if (owner.role === 'learner') {
      io.err(`kubelab: ${command.owner} is a learner; a class needs an instructor or admin (\`kubelab users add ${command.owner} --role instructor\`)\n`);
      return 1;
    }
    const { joinCode, class: created } = db.transaction(() => {
      const made = db.classes.create({ name: command.name, ownerUserId: owner.id, exerciseIds: catalog.exercises.map((e) => e.id) });
      db.audit.record({ actorUserId: owner.id, action: 'class.create', target: `class:${made.class.id}`, details: { via: 'cli' } });
      return made;
    });
    io.err(`class ${JSON.stringify(created.name)} (id ${created.id}), owned by ${owner.displayName}: join link below, shown once\n`);
    io.out(`${config.publicUrl.replace(/\/$/, '')}/join/${joinCode}\n`);
    return 0;
  });
}
