/**
 * Helpers of the Slack ack benchmark (slack-ack.bench.ts): signed slash-command requests as Slack sends them, one timed
 * POST, and the child processes (the Slack Web API fake, Tally, the bare Bolt app). Self-contained, because bench/ is
 * compiled without tests/ (tests/support holds the fuller versions used by the end-to-end tests).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import type { FakeStats } from './slack-ack-fake.js';

/** A slash command ready to POST: form body and Slack's signed headers. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Fields of a `/cost` slash command that vary per request. */
export interface SlashFields {
  text: string;
  channel_id: string;
  trigger_id: string;
  response_url: string;
}

/**
 * A form-urlencoded `/cost` slash command in Slack's field order, signed like Slack (`v0=` HMAC-SHA256 of
 * `v0:<timestamp>:<body>`).
 */
export function signedSlashCommand(secret: string, fields: SlashFields): SignedRequest {
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    team_domain: 'tally-bench',
    channel_id: fields.channel_id,
    channel_name: 'finops',
    user_id: 'U0001',
    user_name: 'alice',
    command: '/cost',
    text: fields.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id,
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${signature}`,
    },
  };
}

/** One request's outcome: HTTP status (0 on a network error), response body and ms from send to the response's end. */
export interface AckResult {
  status: number;
  body: string;
  ms: number;
}

/**
 * A new connection per request (no keep-alive, no socket limit), so that N requests sent together are N concurrent
 * requests and no idle socket can be closed under a request between rounds.
 */
export const benchAgent = (): Agent => new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

/** POSTs `req` to `url` and times it until the whole response (the ack) has arrived. */
export function timedPost(agent: Agent, url: string, req: SignedRequest): Promise<AckResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (status: number, body: string) => resolve({ status, body, ms: performance.now() - started });
    const outgoing = request(url, { method: 'POST', agent, headers: req.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      res.on('error', (error) => done(0, String(error)));
    });
    outgoing.on('error', (error) => done(0, String(error)));
    outgoing.end(req.body);
  });
}

/**
 * Peak (VmHWM) and current (VmRSS) resident set of process `pid` in bytes, from /proc/<pid>/status; NaN where there
 * is no /proc (not Linux) or the process is gone.
 */
export function processRss(pid: number | undefined): { peak: number; current: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peak: kb('VmHWM') * 1024, current: kb('VmRSS') * 1024 };
  } catch {
    return { peak: Number.NaN, current: Number.NaN };
  }
}

/** A free loopback TCP port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Stops a child: SIGTERM, then SIGKILL when it has not exited after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = new Promise((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([exited, timer]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** An HTTP server running as a child process. */
export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Its stdout and stderr so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs `node <args>` with `PORT` set to a free port and `env`, and waits until its `/healthz` answers 200. */
export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const server: ServerProcess = {
    name,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    stop: () => stopChild(child),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${server.url}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} did not answer /healthz within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The forked Slack Web API fake (slack-ack-fake.ts). */
export interface FakeProcess {
  /** `http://127.0.0.1:P`; the Web API base is `${origin}/api/`. */
  origin: string;
  stats: () => Promise<FakeStats>;
  stop: () => Promise<void>;
}

/** Forks slack-ack-fake.js (next to this file) and waits until it listens. */
export async function startFake(): Promise<FakeProcess> {
  const child = fork(new URL('./slack-ack-fake.js', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const origin = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { origin: string }) => resolve(m.origin));
    child.once('exit', (code) => reject(new Error(`the Slack fake exited with ${code} before listening`)));
  });
  const stats = () =>
    new Promise<FakeStats>((resolve) => {
      child.once('message', (m: FakeStats) => resolve(m));
      child.send({ type: 'stats' });
    });
  return { origin, stats, stop: () => stopChild(child) };
}
