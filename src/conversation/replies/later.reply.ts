import type { LaterFeature } from '../../commands/command.types.js';
import type { Reply } from '../../shared/reply.types.js';

const FEATURE_TEXT: Record<LaterFeature, string> = {
  anomalies: 'Anomaly detection and alerts',
  digest: 'Scheduled digests',
};

/** The answer for a feature this installation does not provide yet. */
export function notConfiguredReply(feature: LaterFeature): Reply {
  return {
    kind: 'notice',
    title: `${FEATURE_TEXT[feature]}: not configured yet`,
    text: `${FEATURE_TEXT[feature]} are not configured in this Tally yet. Cost questions work now: try \`help\`.`,
    visibility: 'ephemeral',
  };
}
