// `npm run bench`: every benchmark, one after another, with the machine noted.
// Figures are medians and percentiles; compare them as ratios, not absolutes.
import { benchCluster } from './cluster.ts';
import { benchCpu } from './cpu.ts';
import { benchDurable } from './durable.ts';
import { benchExec } from './exec.ts';
import { benchGrading } from './grading.ts';
import { benchPortal } from './portal.ts';
import { benchPortForward } from './portforward.ts';
import { benchProvisioning, formatTable } from './provisioning.ts';
import { benchPace } from './pace.ts';
import { benchPool } from './pool.ts';
import { benchStartup } from './startup.ts';
import { benchTty } from './tty.ts';
import { machineNote } from './stats.ts';
import { benchWebhooks } from './webhooks.ts';

// `npm run bench -- grading exec` runs only those.
const only = new Set(process.argv.slice(2));
const want = (name: string) => only.size === 0 || only.has(name);

process.stdout.write(`kubelab benchmarks — ${machineNote()}\n\n`);
if (want('cluster')) process.stdout.write(`## embedded cluster\n${await benchCluster()}\n\n`);
if (want('durable')) process.stdout.write(`## durable embedded cluster\n${await benchDurable()}\n\n`);
if (want('exec')) process.stdout.write(`## pod exec\n${await benchExec()}\n\n`);
if (want('tty')) process.stdout.write(`## interactive exec\n${await benchTty()}\n\n`);
if (want('provisioning')) process.stdout.write(`## provisioning\n${formatTable(await benchProvisioning())}\n\n`);
if (want('grading')) process.stdout.write(`## grading\n${await benchGrading()}\n\n`);
if (want('portal')) process.stdout.write(`## portal\n${await benchPortal()}\n\n`);
if (want('startup')) process.stdout.write(`## start-up\n${await benchStartup()}\n\n`);
if (want('pool')) process.stdout.write(`## cluster pool (3 embedded clusters)\n${await benchPool()}\n\n`);
if (want('portforward')) process.stdout.write(`## kubectl port-forward\n${await benchPortForward()}\n\n`);
if (want('pace')) process.stdout.write(`## embedded cluster speed\n${await benchPace()}\n\n`);
if (want('webhooks')) process.stdout.write(`## webhooks\n${await benchWebhooks()}\n\n`);
if (want('cpu')) process.stdout.write(`## noisy neighbour (simulated CPU limits)\n${await benchCpu()}\n\n`);
