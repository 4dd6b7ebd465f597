import type { TurnLocation } from './turn.types.js';

/** Who acted, as the platform names them (a Slack user id, a Teams AAD object id). */
export interface ChatUser {
  id: string;
  name?: string;
}

/**
 * A message Tally posted, as the platform identifies it within the event's conversation (a Slack `ts`, a Teams
 * activity id). `thread` is the thread it sits in (its own id when it starts one).
 */
export interface MessageRef {
  id: string;
  thread?: string;
}

/**
 * One click of a button Tally put on a reply (docs/architecture.md#clicks), whatever the platform: the shared action
 * id and the button's value, who clicked, where, and the message holding the button.
 */
export interface ButtonClick {
  /** The platform's id of this delivery (`slack:action:<trigger_id>`); a repeat is handled once. Absent: never deduplicated. */
  deliveryId?: string;
  /** One of `ACTIONS` (src/shared/action-ids.ts). */
  actionId: string;
  value: string;
  user: ChatUser;
  location: TurnLocation;
  /** The message holding the button; absent when it cannot be addressed (an ephemeral Slack message). */
  message?: MessageRef;
  /** Values of inputs shown inline with the button (a Teams card's reject reason). */
  fields?: Readonly<Record<string, string>>;
  /** `automatic`: the platform asks for the person's current view (a Teams card refresh); only reads. */
  trigger?: 'manual' | 'automatic';
}

/** A form Tally opened (a Slack modal), submitted: its id, its fields, and what Tally stored in it when opening it. */
export interface FormSubmit {
  deliveryId?: string;
  formId: string;
  fields: Readonly<Record<string, string>>;
  /** What the form carried from the click to the submission; `null` when unreadable (a stale or forged form). */
  meta: Readonly<Record<string, string>> | null;
  user: ChatUser;
  location: TurnLocation;
}
