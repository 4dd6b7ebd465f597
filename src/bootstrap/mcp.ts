import { mcpHttpListener } from '../../adapters/mcp/mcp-http.js';
import { createMcpServer } from '../../adapters/mcp/mcp-server.js';
import { serveStdio } from '../../adapters/mcp/mcp-stdio.js';
import type { Config } from '../config/env.js';
import type { Logger } from '../shared/logger.port.js';
import { type CliContext, clockFor } from './cli-context.js';
import { type AppDeps, createDeps } from './deps.js';
import type { RouteHandler } from './http-guard.js';

/** What the MCP server says it is (package.json's name and version). */
const SERVER_INFO = { version: '0.1.0' };

/**
 * `tally mcp`: the MCP server over stdio (docs/mcp.md), as `TALLY_MCP_AS` or the operator, until the client closes
 * stdin. Needs neither Redis nor a chat platform; stdout carries only the protocol (logs go to the log file).
 */
export async function mcpCommand(ctx: CliContext, opts: { focus?: string }): Promise<void> {
  const { createMessengers } = await import('./messengers.js');
  const deps = await createDeps(ctx.config, {
    focusPath: opts.focus,
    clock: clockFor(ctx.config),
    logger: ctx.logger,
    // Slack user groups named in access.scopes are read through the messengers, as for every other surface.
    messengers: (await createMessengers(ctx.config, ctx.logger)).factory,
  });
  try {
    if (deps.initialImport) ctx.logger.info({ run: deps.initialImport.source }, 'mcp: export imported');
    await serveStdio(createMcpServer(deps.queries(ctx.config.mcp.as), SERVER_INFO));
  } finally {
    await deps.close();
  }
}

/**
 * The `/mcp` route of `tally start` (streamable HTTP behind `TALLY_MCP_TOKEN`); null when no token is configured, so
 * that `/mcp` answers 404.
 *
 * @throws TallyError `CONFIG_INVALID` when `TALLY_MCP_AS` is not a person of the policy file.
 */
export function mcpRoute(config: Config, deps: AppDeps, logger: Logger): RouteHandler | null {
  if (!config.mcp.token) return null;
  const queries = deps.queries(config.mcp.as);
  return mcpHttpListener({ token: config.mcp.token, server: () => createMcpServer(queries, SERVER_INFO), logger });
}
