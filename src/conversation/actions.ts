/**
 * Action ids of the buttons Tally puts on replies, shared by every adapter (STYLE rule 11). A button's `value` is
 * what the handler receives back.
 */
export const ACTIONS = {
  /** Re-run a command without truncation; value: the command text. */
  SHOW_ALL: 'tally_show_all',
  /** Run a follow-up command; value: the command text. */
  RUN_COMMAND: 'tally_run_command',
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];
