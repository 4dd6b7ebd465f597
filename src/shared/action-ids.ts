/**
 * Action ids of the buttons Tally puts on replies, shared by every adapter (docs/architecture.md#the-reply-model). A
 * button's `value` is what the handler receives back.
 */
export const ACTIONS = {
  /** Re-run a command without truncation; value: the command text. */
  SHOW_ALL: 'tally_show_all',
  /** Run a follow-up command; value: the command text. */
  RUN_COMMAND: 'tally_run_command',
  /** Propose an action from a recommendation; value: the `propose …` command text. */
  REQUEST_APPROVAL: 'tally_request_approval',
  /** Dismiss a recommendation in this conversation; value: the `dismiss …` command text. */
  RECOMMENDATION_DISMISS: 'tally_recommendation_dismiss',
  /** Snooze a recommendation in this conversation; value: the `snooze …` command text. */
  RECOMMENDATION_SNOOZE: 'tally_recommendation_snooze',
  /** Vote to approve; value: the approval id. */
  APPROVE: 'tally_approval_approve',
  /** Vote to reject (a modal asks for the reason); value: the approval id. */
  REJECT: 'tally_approval_reject',
  /** Show an approval's details and audit trail to the clicker; value: the approval id. */
  DETAILS: 'tally_approval_details',
  /** Acknowledge an anomaly alert; value: the anomaly id. */
  ALERT_ACK: 'tally_alert_ack',
  /** Investigate an anomaly alert (answers in its thread); value: the anomaly id. */
  ALERT_INVESTIGATE: 'tally_alert_investigate',
  /** Mute the alert's series for 7 days; value: the anomaly id. */
  ALERT_MUTE: 'tally_alert_mute',
  /** Mute the alert's series until the same time tomorrow; value: the anomaly id. */
  ALERT_SNOOZE: 'tally_alert_snooze',
  /** Acknowledge a budget alert (a note in its thread); value: the crossing id `<budget>|<period>|<kind>|<percent>`. */
  BUDGET_ACK: 'tally_budget_ack',
  /** Investigate a budget alert: the comparison it carries runs in its thread; value: the command text. */
  BUDGET_INVESTIGATE: 'tally_budget_investigate',
  /** Ask for a larger budget (`budget request <name>`); value: the budget's name. */
  BUDGET_REQUEST: 'tally_budget_request',
  /** A person's current view of an approval message (a Teams card refresh); value: the approval id. */
  REFRESH: 'tally_approval_refresh',
} as const;

/** The id of the form that asks for a reject reason (a Slack modal). */
export const REJECT_REASON_VIEW = 'tally_reject_reason';
