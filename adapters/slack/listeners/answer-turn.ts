import type { WebClient } from '@slack/web-api';
import type { Turn } from '../../../src/conversation/turn.types.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { type PostResult, type PostTarget, ProgressMessage, postAnswer } from '../post-reply.js';
import type { SlackListenerDeps } from '../slack-deps.types.js';

/**
 * Runs a turn and posts its answer to `target`, showing progress in the "working on it" message. `ephemeral` takes
 * answers meant for the asker only; with `allVisible` (a DM, where only the asker reads anyway) everything is posted.
 */
export function answerTurn(
  deps: SlackListenerDeps,
  client: WebClient,
  p: { target: PostTarget; turn: Turn; ephemeral: (reply: Reply) => Promise<void>; allVisible?: boolean },
): Promise<PostResult> {
  const progress = new ProgressMessage();
  const work = deps.handleTurn(p.turn, { onProgress: progress.report });
  return postAnswer(p.target, p.allVisible ? work.then((r) => ({ ...r, visibility: 'channel' as const })) : work, {
    client,
    progress,
    charts: deps.charts,
    logger: deps.logger,
    progressAfterMs: deps.progressAfterMs ?? 1000,
    ephemeral: p.ephemeral,
  });
}
