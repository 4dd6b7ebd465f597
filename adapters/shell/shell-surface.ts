import type { Writable } from 'node:stream';
import type { ChatSurface, SurfaceCapabilities } from '../../src/conversation/chat-surface.port.js';
import type { MessageRef } from '../../src/conversation/inbound.types.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Reply, ReplyButton } from '../../src/shared/reply.types.js';
import { renderText, typedCommand } from '../../src/shared/reply-text.js';

/**
 * The shell's way back (docs/architecture.md#the-chat-core): every reply printed as text. Buttons with a typed
 * equivalent print it (`→ approve apr_1`); the others are numbered, and `press N` clicks them.
 */
export class ShellSurface implements ChatSurface {
  readonly capabilities: SurfaceCapabilities = {
    privateReplies: false,
    updates: false,
    forms: false,
    charts: 'none',
    files: false,
    personalViews: false,
  };
  private pressable: ReplyButton[] = [];
  private printed = 0;

  constructor(private readonly output: Writable) {}

  /** The button `press N` clicks (1-based), from the last reply that had any. */
  button(n: number): ReplyButton | undefined {
    return this.pressable[n - 1];
  }

  async replyPrivately(reply: Reply): Promise<void> {
    await this.post(reply);
  }

  async post(reply: Reply): Promise<MessageRef> {
    const buttons = [
      ...(reply.buttons ?? []),
      ...(reply.items ?? []).flatMap((i) => [...(i.button ? [i.button] : []), ...(i.buttons ?? [])]),
    ];
    const untyped = buttons.filter((b) => typedCommand(b) === null);
    if (untyped.length) this.pressable = untyped;
    const press = untyped.map((b, i) => `press ${i + 1}: ${b.label}`).join(' · ');
    this.output.write(`${renderText(reply)}\n${press ? `${press}\n` : ''}\n`);
    this.printed += 1;
    return { id: String(this.printed) };
  }

  /** A terminal cannot replace what it printed: the new version is printed. */
  async update(_message: MessageRef, reply: Reply): Promise<void> {
    await this.post(reply);
  }

  async remove(): Promise<void> {}

  async openForm(): Promise<'opened' | 'expired'> {
    return 'expired';
  }

  async attachFile(): Promise<void> {
    throw new TallyError('CHAT_FAILED', 'the shell takes no files');
  }

  async showPersonalView(reply: Reply): Promise<void> {
    await this.post(reply);
  }
}
