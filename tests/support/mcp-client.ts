import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import { TALLY_BIN, TEST_DATA_DIR } from './run-cli.js';

/** A connected MCP client (the SDK's own) and how to get a tool's figures from it. */
export interface McpTestClient {
  client: Client;
  /** Calls a tool and returns its structured result, checking that the JSON text says the same. */
  call(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

function wrap(client: Client): McpTestClient {
  return {
    client,
    call: async (name, args) => {
      const result = await client.callTool({ name, arguments: args });
      const content = result.content as { type: string; text: string }[];
      expect(result.isError ?? false, content[0]?.text).toBe(false);
      const structured = result.structuredContent as Record<string, unknown>;
      expect(JSON.parse(content[0]?.text ?? 'null')).toEqual(structured);
      return structured;
    },
    close: () => client.close(),
  };
}

/** Spawns the built `tally mcp` with `args` and a clean environment plus `env`, and connects to it over stdio. */
export async function connectStdio(args: string[], env: Record<string, string>): Promise<McpTestClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [TALLY_BIN, 'mcp', ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TALLY_DATA_DIR: TEST_DATA_DIR, ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'tally-tests', version: '1.0.0' });
  await client.connect(transport);
  return wrap(client);
}

/** Connects to `url` (a `/mcp` endpoint) over streamable HTTP with `Authorization: Bearer <token>`. */
export async function connectHttp(url: string, token: string): Promise<McpTestClient> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'tally-tests', version: '1.0.0' });
  await client.connect(transport);
  return wrap(client);
}
