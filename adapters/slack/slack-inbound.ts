import type { App, BlockAction, ButtonAction, RespondArguments, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ButtonClick } from '../../src/conversation/inbound.types.js';
import { renderHomeView, renderMessage } from './render-blocks.js';
import { readFormFields, readFormMeta } from './render-form.js';
import type { SlackDeps } from './slack-deps.types.js';
import { type PrivateRoute, SlackSurface } from './slack-surface.js';
import { slackLocation, stripMention } from './slack-turn.js';

/**
 * Slack's events as the core's models (docs/architecture.md#adapters-only-translate): `/cost`, mentions and DMs as
 * turns, block actions as clicks, modal submissions as forms, the Home tab as a home view. Every listener
 * acknowledges first (Slack waits 3 seconds), then hands the event to the core with a surface to answer on.
 */
export function registerInbound(app: App, { core, logger }: SlackDeps): void {
  /** A message to Tally as a turn of `user` at (team, channel, thread), answered on a surface routing private answers. */
  const answer = (p: {
    client: WebClient;
    deliveryId: string;
    team: string | undefined;
    channel: string;
    user: string;
    text: string;
    /** Where answers go; absent: the channel. */
    thread?: string | undefined;
    /** The conversation of the agent's memory, when it is not the thread (a DM without one). */
    conversation?: string | undefined;
    privately: PrivateRoute;
  }) => {
    const { client, channel, thread, user, privately } = p;
    const surface = new SlackSurface({ client, logger, channel, thread, user, privately });
    const location = slackLocation(p.team, channel, p.conversation ?? thread);
    return core.turn({ user: { id: user }, location, text: p.text }, surface, { deliveryId: p.deliveryId });
  };

  let busyAck: RespondArguments | undefined; // the busy notice as an ack body, rendered once (always the same words)
  app.command('/cost', async ({ command, ack, client, respond }) => {
    const { team_id: team, channel_id: channel, user_id: user, text = '', trigger_id: trigger } = command;
    // Busy: the notice rides on the ack itself, so a flood costs no request to Slack and nothing reaches the core.
    const busy = core.refuseIfBusy({ id: user }, slackLocation(team, channel));
    if (busy) {
      busyAck ??= { response_type: 'ephemeral', ...renderMessage(busy) };
      return ack(busyAck);
    }
    await ack();
    const deliveryId = trigger ? `slack:command:${trigger}` : ''; // '': no key, so the core does not deduplicate
    await answer({ client, deliveryId, team, channel, user, text, privately: { kind: 'respond', respond } });
  });

  app.event('app_mention', async ({ event, body, client, context }) => {
    await answer({
      client,
      deliveryId: `slack:event:${body.event_id}`,
      team: body.team_id,
      channel: event.channel,
      user: event.user ?? 'unknown',
      text: stripMention(event.text, context.botUserId),
      thread: event.thread_ts ?? event.ts,
      privately: { kind: 'ephemeral', dmFallback: false },
    });
  });

  app.message(async ({ message, body, client, context }) => {
    // Only plain user messages in DMs: edits, joins and bot messages carry a subtype.
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('text' in message) || !message.text) return;
    const thread = 'thread_ts' in message ? message.thread_ts : undefined;
    await answer({
      client,
      deliveryId: `slack:event:${body.event_id}`,
      team: body.team_id,
      channel: message.channel,
      user: message.user,
      text: stripMention(message.text, context.botUserId),
      thread,
      conversation: thread ?? 'dm',
      // In a DM only the asker reads the answer anyway, so help and errors are posted like any answer.
      privately: { kind: 'none' },
    });
  });

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    try {
      const sections = await core.home({ id: event.user }, slackLocation(body.team_id));
      await client.views.publish({ user_id: event.user, view: renderHomeView(sections, { updatedAt: new Date() }) });
    } catch (err) {
      logger.error({ err, user: event.user }, 'app home failed');
    }
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const channel = body.channel?.id;
    const ts = body.message?.ts;
    // An ephemeral message can be neither updated nor answered in a thread.
    const addressable = channel && ts && !body.container?.is_ephemeral;
    const thread = addressable ? (body.message?.thread_ts ?? ts) : undefined;
    const name = body.user.name ?? body.user.username;
    const click: ButtonClick = {
      deliveryId: `slack:action:${body.trigger_id}`,
      actionId: action.action_id,
      value: action.value ?? '',
      user: { id: body.user.id, ...(name ? { name } : {}) },
      location: slackLocation(body.team?.id, channel, thread),
      ...(addressable && ts ? { message: { id: ts, ...(thread ? { thread } : {}) } } : {}),
    };
    const surface = new SlackSurface({
      client,
      logger,
      channel,
      thread,
      user: body.user.id,
      privately: { kind: 'respond', respond },
      triggerId: body.trigger_id,
    });
    await core.click(click, surface);
  });

  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: /^tally_/ },
    async ({ ack, body, view, client }) => {
      const meta = readFormMeta(view.private_metadata);
      const submit = {
        deliveryId: `slack:view:${view.id}`,
        formId: view.callback_id,
        fields: readFormFields(view.state.values),
        meta,
        user: { id: body.user.id, ...(body.user.name ? { name: body.user.name } : {}) },
        location: slackLocation(body.team?.id, meta?.channel),
      };
      const errors = core.formErrors(submit);
      // A form with errors stays open, each error under its field (block ids are the field ids).
      if (errors) return ack({ response_action: 'errors', errors });
      await ack();
      const surface = new SlackSurface({
        client,
        logger,
        channel: meta?.channel,
        user: body.user.id,
        privately: { kind: 'ephemeral', dmFallback: true },
      });
      await core.submitForm(submit, surface);
    },
  );
}
