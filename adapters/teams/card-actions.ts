/**
 * Reply buttons as Adaptive Card actions (Universal Actions). Each `ACTIONS` id maps to an
 * `Action.Execute` verb; the invoke handler routes on `action.verb` and reads `action.data`. Every `Action.Execute`
 * carries an `Action.Submit` fallback for clients without Universal Actions: a Submit has no verb, so its data
 * repeats it as `data.verb` (it arrives as a message activity with `value: data`).
 */
import { REJECT_REASON_FIELD } from '../../src/conversation/forms/reject-reason.form.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import type { ReplyButton } from '../../src/shared/reply.types.js';
import { truncateText } from '../../src/shared/text-fit.js';
import type { CardElement } from './render-card-table.js';
import { textBlock } from './render-card-table.js';

/**
 * Verbs of the buttons cards carried before verbs were action ids; kept, so that cards already posted keep working.
 * Any other button's verb is its action id.
 */
const VERB_OF: Readonly<Record<string, string>> = {
  [ACTIONS.APPROVE]: 'approve',
  [ACTIONS.REJECT]: 'reject',
  [ACTIONS.DETAILS]: 'details',
  [ACTIONS.ALERT_ACK]: 'alert_ack',
  [ACTIONS.ALERT_INVESTIGATE]: 'alert_investigate',
  [ACTIONS.ALERT_MUTE]: 'alert_mute',
  [ACTIONS.RUN_COMMAND]: 'run',
  [ACTIONS.REFRESH]: 'refresh',
};
const ACTION_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(VERB_OF).map(([a, v]) => [v, a]));

/** The verb of a button's action id. */
export function verbOf(actionId: string): string {
  return VERB_OF[actionId] ?? actionId;
}

/** The action id a card's verb stands for. */
export function actionOf(verb: string): string {
  return ACTION_OF[verb] ?? verb;
}

/** Buttons whose value is a command (`data: { command }`); every other button carries `data: { id }`. */
const COMMAND_ACTIONS: ReadonlySet<string> = new Set([ACTIONS.SHOW_ALL, ACTIONS.RUN_COMMAND, ACTIONS.REQUEST_APPROVAL]);

/** The value a card action carries back: `data.id`, else `data.command`. */
export function buttonValueOf(data: Record<string, unknown>): string {
  const value = typeof data.id === 'string' ? data.id : typeof data.command === 'string' ? data.command : '';
  return value.trim();
}

/** The id of the reject reason input: the reason arrives as `action.data.reason`. */
const REJECT_REASON_INPUT = REJECT_REASON_FIELD;

/** Limits Tally keeps to on actions. */
export const ACTION_LIMITS = {
  /** Button titles are cut to this (as in Slack). */
  title: 75,
  /** A button whose value is longer is left out, as in Slack: a cut value would act on other data. */
  value: 2000,
  /** The most characters of a reject reason. */
  reason: 500,
} as const;

/** What an action sends: `id` (approval or anomaly id) or `command`, plus `verb` in Submit fallbacks. */
type CardActionData = Record<string, string>;

interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: CardActionData;
  style?: ActionStyle;
}

interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: CardActionData;
  style?: ActionStyle;
  fallback?: SubmitAction;
}

interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  style?: ActionStyle;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions: CardAction[] };
}

export type CardAction = ExecuteAction | ShowCardAction | SubmitAction;
type ActionStyle = 'positive' | 'destructive';

const STYLES: Record<NonNullable<ReplyButton['style']>, ActionStyle> = { primary: 'positive', danger: 'destructive' };

/** An `Action.Execute` with its `Action.Submit` fallback (same title, style and data, plus `verb`). */
function executeAction(title: string, verb: string, data: CardActionData, style?: ActionStyle): ExecuteAction {
  const cut = truncateText(title, ACTION_LIMITS.title);
  const styled = style ? { style } : {};
  return {
    type: 'Action.Execute',
    title: cut,
    verb,
    data,
    ...styled,
    fallback: { type: 'Action.Submit', title: cut, data: { ...data, verb }, ...styled },
  };
}

/**
 * Reject as an `Action.ShowCard`: it opens a required reason input (`reason`, at most 500 characters) and a Reject
 * `Action.Execute` (verb `reject`, `data: { id }`), so the reason arrives with the vote in `action.data.reason`.
 */
function rejectAction(button: ReplyButton): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title: truncateText(button.label, ACTION_LIMITS.title),
    ...(button.style ? { style: STYLES[button.style] } : {}),
    card: {
      type: 'AdaptiveCard',
      body: [
        textBlock('Why do you reject this request?', { weight: 'Bolder' }),
        {
          type: 'Input.Text',
          id: REJECT_REASON_INPUT,
          label: 'Reason',
          placeholder: 'The reason is recorded in the audit trail',
          isMultiline: true,
          isRequired: true,
          maxLength: ACTION_LIMITS.reason,
          errorMessage: 'Give a reason to reject.',
        },
      ],
      actions: [executeAction(button.label, verbOf(ACTIONS.REJECT), { id: button.value }, 'destructive')],
    },
  };
}

/**
 * A reply button as a card action: Reject as {@link rejectAction}, any other as `Action.Execute` with its verb and
 * `data: { command }` for command buttons or `data: { id }`. `undefined` for a value longer than 2000 characters.
 */
export function cardAction(button: ReplyButton): CardAction | undefined {
  if (button.value.length > ACTION_LIMITS.value) return undefined;
  if (button.actionId === ACTIONS.REJECT) return rejectAction(button);
  const data: CardActionData = COMMAND_ACTIONS.has(button.actionId) ? { command: button.value } : { id: button.value };
  return executeAction(button.label, verbOf(button.actionId), data, button.style ? STYLES[button.style] : undefined);
}

/** The buttons that map to actions, in order. */
export function cardActions(buttons: ReplyButton[] | undefined): CardAction[] {
  return (buttons ?? []).flatMap((b) => {
    const action = cardAction(b);
    return action ? [action] : [];
  });
}
