import { describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from '../../../adapters/memory/memory-dedupe.store.js';
import { createSlackAdapter } from '../../../adapters/slack/slack-app.js';
import { ChatCore } from '../../../src/conversation/chat-core.js';
import { TallyError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.port.js';

const core = new ChatCore({
  handleTurn: async () => ({ kind: 'notice' as const, title: 't', visibility: 'channel' as const }),
  dedupe: new MemoryDedupeStore(),
  charts: null,
  logger: silentLogger,
});
const deps = { core, logger: silentLogger };

describe('createSlackAdapter', () => {
  it('serves /slack/events in HTTP mode', () => {
    const adapter = createSlackAdapter({ botToken: 'xoxb-1', signingSecret: 's' }, deps);
    expect(typeof adapter.requestListener).toBe('function');
  });

  it('uses Socket Mode when an app token is given: no HTTP endpoint', () => {
    const adapter = createSlackAdapter({ botToken: 'xoxb-1', appToken: 'xapp-1' }, deps);
    expect(adapter.requestListener).toBeNull();
  });

  it('refuses HTTP mode without a signing secret', () => {
    expect(() => createSlackAdapter({ botToken: 'xoxb-1' }, deps)).toThrow(TallyError);
    try {
      createSlackAdapter({ botToken: 'xoxb-1' }, deps);
    } catch (e) {
      expect((e as TallyError).code).toBe('CONFIG_INVALID');
    }
  });
});
