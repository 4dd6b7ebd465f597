import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/shared/logger.port.js';

/** Bolt's logger interface on top of Tally's logger, so that Bolt's own messages land in the same log. */
export function toSlackLogger(logger: Logger): SlackLogger {
  let level: LogLevel = LogLevel.INFO;
  const write =
    (fn: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      logger[fn]({ module: 'bolt' }, msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
