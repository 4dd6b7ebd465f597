import type {
  ChatFile,
  ChatSurface,
  FormSpec,
  PersonalView,
  PostOptions,
  SurfaceCapabilities,
} from '../../src/conversation/chat-surface.port.js';
import type { MessageRef } from '../../src/conversation/inbound.types.js';
import type { Reply } from '../../src/shared/reply.types.js';

/** One thing a surface was asked to do, in order. */
export type SurfaceEvent =
  | { kind: 'private'; reply: Reply }
  | { kind: 'post'; reply: Reply; id: string; options: PostOptions }
  | { kind: 'update'; id: string; reply: Reply }
  | { kind: 'remove'; id: string }
  | { kind: 'form'; form: FormSpec }
  | { kind: 'file'; file: ChatFile; near?: string }
  | { kind: 'view'; reply: Reply; view: PersonalView };

/** The capabilities of a chat platform with every feature; tests switch single ones off. */
export const ALL_CAPABILITIES: SurfaceCapabilities = {
  privateReplies: true,
  updates: true,
  forms: true,
  charts: 'file',
  files: true,
  personalViews: false,
};

/** A hand-written `ChatSurface` that records what the core asked of it. */
export class RecordingSurface implements ChatSurface {
  readonly events: SurfaceEvent[] = [];
  /** What `openForm` answers. */
  formAnswer: 'opened' | 'expired' = 'opened';
  private next = 0;
  private waiting: { done: () => boolean; resolve: () => void }[] = [];

  constructor(readonly capabilities: SurfaceCapabilities = ALL_CAPABILITIES) {}

  /** Resolves once `count` events of `kind` were recorded. */
  until(kind: SurfaceEvent['kind'], count = 1): Promise<void> {
    const done = () => this.events.filter((e) => e.kind === kind).length >= count;
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ done, resolve }));
  }

  private record(event: SurfaceEvent): void {
    this.events.push(event);
    const ready = this.waiting.filter((w) => w.done());
    this.waiting = this.waiting.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  /** The replies, of any kind of event, in order. */
  replies(): Reply[] {
    return this.events.flatMap((e) => ('reply' in e ? [e.reply] : []));
  }

  async replyPrivately(reply: Reply): Promise<void> {
    this.record({ kind: 'private', reply });
  }

  async post(reply: Reply, options: PostOptions = {}): Promise<MessageRef> {
    const id = `m${++this.next}`;
    this.record({ kind: 'post', reply, id, options });
    return { id };
  }

  async update(message: MessageRef, reply: Reply): Promise<void> {
    this.record({ kind: 'update', id: message.id, reply });
  }

  async remove(message: MessageRef): Promise<void> {
    this.record({ kind: 'remove', id: message.id });
  }

  async openForm(form: FormSpec): Promise<'opened' | 'expired'> {
    this.record({ kind: 'form', form });
    return this.formAnswer;
  }

  async attachFile(file: ChatFile, near?: MessageRef): Promise<void> {
    this.record({ kind: 'file', file, ...(near ? { near: near.id } : {}) });
  }

  async showPersonalView(reply: Reply, view: PersonalView): Promise<void> {
    this.record({ kind: 'view', reply, view });
  }
}
