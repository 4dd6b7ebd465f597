import type { Reply } from '../shared/reply.types.js';
import type { CrossingAlert } from './budget-crossings.js';
import type { BudgetDrivers } from './budget-drivers.js';
import type { BudgetStatus } from './budget-status.js';

/** One budget alert (docs/budgets.md#alerts): a threshold crossed, the status then, and what drove the spend. */
export interface BudgetAlert {
  /** The crossing's id (`<budget>|<period>|<kind>|<percent>`), the value of Acknowledge. */
  id: string;
  status: BudgetStatus;
  crossing: CrossingAlert;
  /** The top three drivers (service and account) since the last alert of the period, or its start. */
  drivers: BudgetDrivers;
  /** The comparison Investigate runs in the alert's thread. */
  investigate: string;
  /** 100% (or more) of the spend: also by email and SMS to the owners. */
  critical: boolean;
}

/**
 * How budget alerts read. The budget alert service owns this port; the chat layer implements it
 * (src/conversation/replies/budget-alert.reply.ts), so replies are built in one place.
 */
export interface BudgetAlertMessages {
  /** The alert in chat (the budget's channel and its owners' DMs): figures, drivers and buttons. */
  alert(alert: BudgetAlert): Reply;
  /** The alert as an email or SMS to the owners (no buttons). */
  page(alert: BudgetAlert): Reply;
}
