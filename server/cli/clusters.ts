// `kubelab clusters [list|cordon NAME|uncordon NAME]`: the cluster pool from the data
// directory, without starting a server or touching a cluster. Cordons live in SQLite and
// placement reads them on every Start, so a running server obeys them at once. Health
// needs the clusters themselves: the running server reports it (admin API, /readyz).
import { poolMembers } from '../cluster/pool/config.ts';
import { loadConfig } from '../config/config.ts';
import type { Command } from './args.ts';
import { CliError } from './errors.ts';
import { table } from './table.ts';
import { withDataDatabase } from './data-database.ts';
import type { Io } from './io.ts';

type ClustersCommand = Extract<Command, { name: 'clusters list' | 'clusters cordon' | 'clusters uncordon' }>;

export async function runClustersCommand(io: Io, command: ClustersCommand): Promise<number> {
  const config = loadConfig(io.env, { cwd: io.cwd });
  const members = poolMembers(config);
  return withDataDatabase(io, config, (db) => {
    if (command.name !== 'clusters list') {
      if (!members.some((m) => m.name === command.cluster)) {
        throw new CliError(`no cluster named "${command.cluster}" in the pool (${members.map((m) => m.name).join(', ')})`, 1);
      }
      if (command.name === 'clusters cordon') db.clusterPool.cordon(command.cluster);
      else db.clusterPool.uncordon(command.cluster);
      db.audit.record({ actorUserId: null, action: command.name.replace(' ', '.'), target: `cluster:${command.cluster}`, details: { via: 'cli' } });
      io.err(`cluster ${command.cluster} ${command.name === 'clusters cordon' ? 'cordoned: no new environments go there' : 'uncordoned: it takes new environments again'}\n`);
      return 0;
    }
    const live = db.environments.countLiveByCluster();
    const warm = db.clusterPool.countWarmByCluster();
    const cordoned = db.clusterPool.cordoned();
    const rows = members.map((m) => {
      const used = (live.get(m.name) ?? 0) + (warm.get(m.name) ?? 0);
      return [m.name, m.connect.mode, String(m.capacity), String(m.weight), String(used), String(warm.get(m.name) ?? 0), cordoned.has(m.name) ? 'yes' : 'no'];
    });
    io.out(table([['NAME', 'MODE', 'CAPACITY', 'WEIGHT', 'USED', 'WARM', 'CORDONED'], ...rows]));
    return 0;
  });
}
