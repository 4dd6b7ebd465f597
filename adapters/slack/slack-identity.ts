import type { Identity } from '../../src/approvals/approval.types.js';

/** The Slack user of an interaction as an approvals `Identity`; the name is kept when Slack sent one. */
export function slackIdentity(user: { id: string; name?: string | undefined }): Identity {
  return { platform: 'slack', id: user.id, ...(user.name ? { name: user.name } : {}) };
}
