import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../../src/shared/logger.port.js';

export interface McpHttpConfig {
  /** `TALLY_MCP_TOKEN`: the bearer token every request must carry. */
  token: string;
  /** A fresh server per request (stateless streamable HTTP). */
  server: () => McpServer;
  logger: Logger;
}

/**
 * `/mcp`: MCP over streamable HTTP, stateless (docs/mcp.md). A request without `Authorization: Bearer <TALLY_MCP_TOKEN>`
 * gets 401 before anything is read; only POST carries MCP messages (405 otherwise: there are no sessions to stream).
 */
export function mcpHttpListener(config: McpHttpConfig): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const expected = digest(config.token);
  return async (req, res) => {
    if (!bearerMatches(req.headers.authorization, expected))
      return send(res, 401, 'a bearer token is required (TALLY_MCP_TOKEN)', {
        'www-authenticate': 'Bearer realm="tally-mcp"',
      });
    if (req.method !== 'POST') return send(res, 405, 'method not allowed', { allow: 'POST' });
    const server = config.server();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      transport.close().catch((err: unknown) => config.logger.warn({ err }, 'mcp transport did not close'));
      server.close().catch((err: unknown) => config.logger.warn({ err }, 'mcp server did not close'));
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };
}

/** Compares in constant time: both sides are hashed to the same length first. */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), expected);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function send(res: ServerResponse, status: number, error: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error }));
}
