import type { RenderedChart } from '../reports/chart-renderer.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { MessageRef } from './inbound.types.js';

/** What a platform can do for one inbound event; the core asks these instead of testing the platform's name. */
export interface SurfaceCapabilities {
  /** Shows a message to the person alone (Slack ephemeral, the answer to a Teams card action). */
  privateReplies: boolean;
  /** Replaces a posted message, so a slow answer shows "working on it" first and is updated in place. */
  updates: boolean;
  /** Opens a separate form (a Slack modal). Without it, a form's fields come inline with the click (Teams cards). */
  forms: boolean;
  /** How a chart reaches people: an image file after the answer, drawn inside the answer, or not at all. */
  charts: 'file' | 'inline' | 'none';
  /** Takes files (the full table of "Show all" as CSV). Without it, "Show all" posts the next page. */
  files: boolean;
  /** Shows each person their own view of a message (Teams Universal Actions), e.g. the vote buttons only to voters. */
  personalViews: boolean;
}

/** Options of a post or an update. */
export interface PostOptions {
  /** The reply's chart, drawn, for a surface that shows charts inside the answer. */
  chart?: RenderedChart;
}

/** A form to open (docs/architecture.md#clicks): one text field, and what comes back with the submission. */
export interface FormSpec {
  id: string;
  title: string;
  intro: string;
  submitLabel: string;
  field: { id: string; label: string; placeholder: string; maxLength: number };
  meta: Record<string, string>;
}

/** A file to attach: a chart image or a table as CSV. */
export interface ChatFile {
  filename: string;
  title: string;
  content: Uint8Array | string;
  altText?: string;
}

/** A person's own view of a message (Teams): the click their client sends to ask for it again when it shows it. */
export interface PersonalView {
  refresh: { actionId: string; value: string };
}

/**
 * One inbound event's way back to the platform (docs/architecture.md#the-chat-core). Each adapter implements it
 * per event; `post` writes into the event's conversation (its thread when it has one).
 */
export interface ChatSurface {
  readonly capabilities: SurfaceCapabilities;
  /** To the person alone where `privateReplies`; otherwise posted. */
  replyPrivately(reply: Reply): Promise<void>;
  post(reply: Reply, options?: PostOptions): Promise<MessageRef>;
  update(message: MessageRef, reply: Reply, options?: PostOptions): Promise<void>;
  remove(message: MessageRef): Promise<void>;
  /** Opens a form (`forms`); `expired` when the platform no longer allows it (Slack's trigger expired). */
  openForm(form: FormSpec): Promise<'opened' | 'expired'>;
  /** Attaches a file into the event's thread, or into the thread of `near` when the event has none. */
  attachFile(file: ChatFile, near?: MessageRef): Promise<void>;
  /** The person's own view of a message, which their client refreshes (`personalViews`). */
  showPersonalView(reply: Reply, view: PersonalView): Promise<void>;
}
