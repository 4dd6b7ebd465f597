/**
 * Helpers of the Teams benchmark (teams.bench.ts): personal-chat message activities as the Bot Connector delivers
 * them, the forked Bot Connector fake, and the Redis facts and clean-up of a run. Self-contained, because bench/ is
 * compiled without tests/ (tests/support/teams-activities.ts holds the fuller builders the tests use).
 */
import { fork } from 'node:child_process';
import { Redis } from 'ioredis';
import { stopChild } from './slack-ack-support.js';
import type { ConnectorStats } from './teams-connector-fake.js';

/** The fake tenant and bot of the benchmark (the ids of tests/support/teams-activities.ts). */
const BENCH_TEAMS = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  botAppId: '00000000-0000-0000-0000-0000000000b0',
} as const;

/** What varies between the benchmark's activities. */
export interface MessageFields {
  /** Unique per activity (Tally deduplicates on conversation and id). */
  id: string;
  text: string;
  /** The personal chat, `a:1…`. */
  conversationId: string;
  /** The user's index: gives the `29:` id and the AAD object id. */
  user: number;
  serviceUrl: string;
  /** `expectReplies` makes the replies the HTTP body of the request instead of posts to the connector. */
  deliveryMode?: 'expectReplies';
}

/** A message in a user's personal chat with the bot, shaped like `personalMessage` of tests/support. */
export function messageActivity(f: MessageFields): Record<string, unknown> {
  const user = String(f.user).padStart(12, '0');
  return {
    type: 'message',
    id: f.id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: f.serviceUrl,
    from: {
      id: `29:1bench-user-${user}`,
      name: `Bench User ${f.user}`,
      aadObjectId: `6b7c8d9e-0000-4000-8000-${user}`,
    },
    recipient: { id: `28:${BENCH_TEAMS.botAppId}`, name: 'Tally' },
    locale: 'en-US',
    ...(f.deliveryMode ? { deliveryMode: f.deliveryMode } : {}),
    text: f.text,
    textFormat: 'plain',
    conversation: { conversationType: 'personal', tenantId: BENCH_TEAMS.tenantId, id: f.conversationId },
    channelData: { tenant: { id: BENCH_TEAMS.tenantId } },
  };
}

/** A JSON POST ready for `timedPost`. */
export function jsonRequest(value: unknown): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(value);
  return {
    body,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
  };
}

/** The forked Bot Connector fake (teams-connector-fake.ts). */
export interface ConnectorProcess {
  /** `http://127.0.0.1:P/`: the `serviceUrl` of the activities. */
  serviceUrl: string;
  stats: () => Promise<ConnectorStats>;
  stop: () => Promise<void>;
}

/** Forks teams-connector-fake.js (next to this file) and waits until it listens. */
export async function startConnector(): Promise<ConnectorProcess> {
  const child = fork(new URL('./teams-connector-fake.js', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const origin = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { origin: string }) => resolve(m.origin));
    child.once('exit', (code) => reject(new Error(`the Bot Connector fake exited with ${code} before listening`)));
  });
  const stats = () =>
    new Promise<ConnectorStats>((resolve) => {
      child.once('message', (m: ConnectorStats) => resolve(m));
      child.send({ type: 'stats' });
    });
  return { serviceUrl: `${origin}/`, stats, stop: () => stopChild(child) };
}

/** Removes every Redis key matching each glob `pattern` (SCAN, then DEL); returns how many. */
export async function dropKeys(redisUrl: string, patterns: string[]): Promise<number> {
  const redis = new Redis(redisUrl);
  let dropped = 0;
  try {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) dropped += await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return dropped;
}

/** The Redis server's version (from INFO), for the machine line. */
export async function redisVersion(redisUrl: string): Promise<string> {
  const redis = new Redis(redisUrl);
  try {
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}
