// `kubelab lti register|list|remove`: LMS platform registrations from the server's shell,
// the same records and rules as the admin API (/api/v1/lti/platforms). `register`
// prints the tool URLs to paste into the LMS and makes the tool key if there is none.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { NotFoundError } from '../db/errors.ts';
import { ToolKeys } from '../lti/keys.ts';
import { DuplicatePlatformError, NewPlatform, PlatformsRepo } from '../lti/platforms.ts';
import { toolUrls } from '../lti/service.ts';
import { table } from './table.ts';
import { withDataDatabase } from './data-database.ts';
import type { Io } from './io.ts';

export const LTI_USAGE = `Usage:
  kubelab lti register --name NAME --issuer ISS --client-id ID --auth-url URL
                       --token-url URL --jwks-url URL --deployment ID [--deployment ID...]
  kubelab lti list
  kubelab lti remove PLATFORM_ID
`;

const FLAG_OF: Record<string, string> = { name: 'name', issuer: 'issuer', clientId: 'client-id', authUrl: 'auth-url', tokenUrl: 'token-url', jwksUrl: 'jwks-url', deploymentIds: 'deployment' };

/** Exit 0 done, 1 refused (duplicate, unknown id), 2 bad usage. */
export async function runLtiCommand(io: Io, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'register' && sub !== 'list' && sub !== 'remove') {
    io.err(`kubelab lti: ${sub === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(sub)}`}\n\n${LTI_USAGE}`);
    return 2;
  }
  let input: unknown;
  let removeId: number | undefined;
  try {
    if (sub === 'register') input = registerInput(rest);
    if (sub === 'remove') removeId = platformId(rest);
    if (sub === 'list' && rest.length > 0) throw new Error(`lti list takes no arguments, got ${JSON.stringify(rest.join(' '))}`);
  } catch (error) {
    io.err(`kubelab lti ${sub}: ${error instanceof Error ? error.message : String(error)}\n\n${LTI_USAGE}`);
    return 2;
  }

  const config = loadConfig(io.env, { cwd: io.cwd });
  return withDataDatabase(
    io,
    config,
    async (db) => {
      const platforms = new PlatformsRepo(db.sqlite, Date.now);
      if (sub === 'list') {
        const rows = platforms.list().map((p) => [String(p.id), p.name, p.issuer, p.clientId, p.deploymentIds.join(',')]);
        io.out(table([['ID', 'NAME', 'ISSUER', 'CLIENT_ID', 'DEPLOYMENTS'], ...rows]));
        return 0;
      }
      if (sub === 'remove') {
        platforms.remove(removeId!);
        db.audit.record({ actorUserId: null, action: 'lti.platform.remove', target: `lti-platform:${removeId}`, details: { via: 'cli' } });
        io.out(`removed LTI platform ${removeId}\n`);
        return 0;
      }
      const parsed = NewPlatform.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = String(issue?.path[0] ?? '');
        io.err(`kubelab lti register: --${FLAG_OF[field] ?? field}: ${issue?.message ?? 'invalid'}\n`);
        return 2;
      }
      const platform = platforms.create(parsed.data);
      await new ToolKeys(db.sqlite, Date.now).signingKey();
      db.audit.record({ actorUserId: null, action: 'lti.platform.register', target: `lti-platform:${platform.id}`, details: { via: 'cli', issuer: platform.issuer, clientId: platform.clientId } });
      const urls = toolUrls(config.publicUrl);
      io.out(`registered LTI platform ${platform.id} (${platform.name})\n\nPaste into the LMS:\n` +
        `  login initiation URL  ${urls.loginUrl}\n  launch / redirect URL ${urls.launchUrl}\n  public JWKS URL       ${urls.jwksUrl}\n  deep linking URL      ${urls.deepLinkingUrl}\n`);
      return 0;
    },
    (error) => (error instanceof DuplicatePlatformError || error instanceof NotFoundError ? `kubelab lti ${sub}: ${error.message}` : undefined),
  );
}

function registerInput(args: readonly string[]): Record<string, unknown> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'auth-url': { type: 'string' },
      'token-url': { type: 'string' },
      'jwks-url': { type: 'string' },
      deployment: { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected ${JSON.stringify(positionals.join(' '))}`);
  return {
    name: values.name,
    issuer: values.issuer,
    clientId: values['client-id'],
    authUrl: values['auth-url'],
    tokenUrl: values['token-url'],
    jwksUrl: values['jwks-url'],
    deploymentIds: values.deployment ?? [],
  };
}

function platformId(args: readonly string[]): number {
  const [id, ...more] = args;
  if (id === undefined || !/^[1-9][0-9]{0,14}$/.test(id)) throw new Error(`PLATFORM_ID must be a number as \`kubelab lti list\` prints it, got ${JSON.stringify(id ?? '')}`);
  if (more.length > 0) throw new Error(`unexpected ${JSON.stringify(more.join(' '))}`);
  return Number(id);
}
