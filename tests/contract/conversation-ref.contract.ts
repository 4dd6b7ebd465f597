import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRefStore } from '../../src/conversation/conversation-ref.port.js';

/** A serialised Teams conversation reference like the ones the Teams adapter stores. */
export function testReference(conversationId: string, serviceUrl = 'https://smba.trafficmanager.net/emea/'): string {
  return JSON.stringify({
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversationId, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
    bot: { id: '28:bot-app-id', name: 'Tally' },
  });
}

/**
 * The contract every `ConversationRefStore` must pass. `make` returns an empty store and a cleanup for it; it is
 * called before each test.
 */
export function conversationRefContract(
  name: string,
  make: () => Promise<{ store: ConversationRefStore; cleanup: () => Promise<void> }>,
): void {
  describe(`ConversationRefStore contract: ${name}`, () => {
    let store: ConversationRefStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('has no reference for a key never saved', async () => {
      expect(await store.get('teams/conv/19:unknown@thread.tacv2')).toBeNull();
    });

    it('returns exactly the string saved, whatever it contains', async () => {
      const channel = testReference('19:abc@thread.tacv2');
      // Keys and values FerretDB would refuse as field names (`.`, `$`), unicode, quotes and newlines, an empty value.
      const odd = JSON.stringify({ 'a.b': '$where', name: 'Zoë "ops" ✓', text: 'line 1\nline 2' });
      await store.save('teams/conv/19:abc@thread.tacv2', channel);
      await store.save('teams/user/00000000-0000-0000-0000-0000000000a1', odd);
      await store.save('teams/conv/empty', '');
      expect(await store.get('teams/conv/19:abc@thread.tacv2')).toBe(channel);
      expect(await store.get('teams/user/00000000-0000-0000-0000-0000000000a1')).toBe(odd);
      expect(await store.get('teams/conv/empty')).toBe('');
    });

    it('replaces the reference saved under the same key', async () => {
      const key = 'teams/user/00000000-0000-0000-0000-0000000000b2';
      await store.save(key, testReference('a:1old', 'https://smba.trafficmanager.net/amer/'));
      await store.save(key, testReference('a:1new', 'https://smba.trafficmanager.net/emea/'));
      expect(await store.get(key)).toBe(testReference('a:1new', 'https://smba.trafficmanager.net/emea/'));
    });

    it('keeps keys apart: exact match only, case and prefix matter', async () => {
      await store.save('teams/conv/19:abc@thread.tacv2', 'conversation');
      await store.save('teams/user/19:abc@thread.tacv2', 'user');
      await store.save('teams/conv/19:ABC@thread.tacv2', 'upper');
      expect(await store.get('teams/conv/19:abc@thread.tacv2')).toBe('conversation');
      expect(await store.get('teams/user/19:abc@thread.tacv2')).toBe('user');
      expect(await store.get('teams/conv/19:ABC@thread.tacv2')).toBe('upper');
      expect(await store.get('teams/conv/19:abc')).toBeNull();
      expect(await store.get('teams/conv/19:abc@thread.tacv2;messageid=1')).toBeNull();
    });

    it('settles concurrent first saves of one key on one of the saved references', async () => {
      const key = 'teams/user/00000000-0000-0000-0000-0000000000c3';
      const saved = Array.from({ length: 8 }, (_, i) => testReference(`a:1race${i}`));
      await Promise.all(saved.map((reference) => store.save(key, reference)));
      expect(saved).toContain(await store.get(key));
    });
  });
}
