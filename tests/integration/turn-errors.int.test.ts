import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import { createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import { fixedClock } from '../../src/shared/clock.js';
import { testDataDir } from '../support/data-dir.js';
import { mongoUrl, uniqueName } from '../support/services.js';

const MONGODB_URI = `${mongoUrl()}/${uniqueName('turn_errors')}`;

afterAll(async () => {
  const conn = await mongoose.createConnection(MONGODB_URI).asPromise();
  await conn.dropDatabase();
  await conn.close();
});

describe('a turn that fails unexpectedly', () => {
  it('is answered with a short apology and an error id, and logged with that id and context', async () => {
    const lines: string[] = [];
    const logger = createPinoLogger({ level: 'info', stream: { write: (line: string) => lines.push(line) } });
    const deps = await createDeps(loadConfig({ MONGODB_URI, TALLY_DATA_DIR: testDataDir() }), {
      clock: fixedClock(new Date('2026-11-18T12:00:00Z')),
      logger,
    });
    const turn = { user: { id: 'U1' }, location: { platform: 'shell' as const }, text: 'cost last month by service' };
    expect((await deps.turns.handle(turn)).kind).toBe('answer');
    await deps.close(); // the store goes away under a running handler
    const reply = await deps.turns.handle(turn);
    expect(reply.kind).toBe('error');
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.errorId).toMatch(/^err_[0-9a-f]{8}$/);
    expect(reply.text).toContain(reply.errorId);
    expect(`${reply.title} ${reply.text}`).not.toMatch(/\bat .+:\d+:\d+|Mongo/);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.errorId === reply.errorId);
    expect(logged).toMatchObject({ level: 50, platform: 'shell', user: 'U1' });
    expect(JSON.stringify(logged)).toContain('stack');
  });
});
