/**
 * Small Block Kit pieces shared by the renderers: mrkdwn text objects, field texts and buttons, each kept within
 * Slack's limits (`SLACK_LIMITS`).
 */
import type { types } from '@slack/bolt';
import type { ReplyButton, ReplyField } from '../../src/shared/reply.types.js';
import { fitMrkdwn, SLACK_LIMITS, truncateText } from './slack-text.js';

/** A mrkdwn text object; `text` must already be escaped. */
export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });

/** A field as `*label*\nvalue`, both escaped, within the 2000-character field limit. */
export function fieldText(f: ReplyField): string {
  const label = f.label ? `*${fitMrkdwn(f.label, 200)}*\n` : '';
  return `${label}${fitMrkdwn(f.value, SLACK_LIMITS.fieldText - label.length)}`;
}

/** Whether a button can be sent as is: a value cut to fit would act on other data, so a longer one is not sent. */
export function fitsButton(b: ReplyButton): boolean {
  return b.value.length <= SLACK_LIMITS.buttonValue;
}

/** A button element: the label cut to 75 characters, the value unchanged (check {@link fitsButton} first). */
export function buttonElement(b: ReplyButton): types.Button {
  return {
    type: 'button',
    action_id: b.actionId,
    text: { type: 'plain_text', text: truncateText(b.label, SLACK_LIMITS.buttonText), emoji: true },
    value: b.value,
    ...(b.style ? { style: b.style } : {}),
  };
}
