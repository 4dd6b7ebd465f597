import { describe, expect, it } from 'vitest';
import { installProcessGuards } from '../../../src/bootstrap/process-guards.js';
import type { Logger } from '../../../src/shared/logger.port.js';

/** The handlers are called directly: emitting on the test runner's own process would reach its handlers too. */
const added = (event: 'uncaughtException' | 'unhandledRejection', before: unknown[]) =>
  (process.listeners(event as 'uncaughtException') as unknown[]).filter((l) => !before.includes(l)) as ((
    err: unknown,
  ) => void)[];

describe('installProcessGuards', () => {
  it('logs what reaches the last-resort handlers with an error id, counts it, and is removed again', () => {
    const errors: Record<string, unknown>[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (obj) => void errors.push(obj) };
    const before = { ex: process.listeners('uncaughtException'), rej: process.listeners('unhandledRejection') };
    const guards = installProcessGuards(logger);
    const [onException] = added('uncaughtException', before.ex);
    const [onRejection] = added('unhandledRejection', before.rej);
    const boom = new Error('boom');
    onException?.(boom);
    onRejection?.('a rejected value');
    expect(guards.caught()).toBe(2);
    expect(errors.map((e) => [e.err, e.kind])).toEqual([
      [boom, 'uncaught exception'],
      ['a rejected value', 'unhandled rejection'],
    ]);
    for (const e of errors) expect(e.errorId).toMatch(/^err_[0-9a-f]{8}$/);
    guards.remove();
    expect(added('uncaughtException', before.ex)).toEqual([]);
    expect(added('unhandledRejection', before.rej)).toEqual([]);
  });
});
