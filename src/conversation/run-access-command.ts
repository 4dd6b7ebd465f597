import type { Identity } from '../approvals/approval.types.js';
import { describeScope, type ViewScope } from '../costs/view-scope.js';
import type { Reply } from '../shared/reply.types.js';
import { text } from '../shared/reply.types.js';
import type { Turn } from './turn.types.js';
import type { ViewerScopePolicy, ViewerScopes } from './viewer-scope.js';

/**
 * `access` and `access all` (docs/architecture.md#who-sees-what): what the asker may see where they ask, and for
 * admins the whole `access:` and `channels:` policy. `access all` is a policy-level command: admins only.
 */
export class AccessCommandService {
  constructor(
    private readonly scopes: ViewerScopes,
    private readonly policy: ViewerScopePolicy,
  ) {}

  async run(command: { all: boolean }, turn: Turn): Promise<Reply> {
    const identity: Identity = { platform: turn.location.platform, id: turn.user.id };
    const admin = await this.scopes.isAdmin(identity);
    if (command.all) {
      if (!admin)
        return {
          kind: 'notice',
          title: 'Admins only',
          text: '`access all` shows the whole policy; it is for admins (access.admins in the policy file). `access` shows what you may see.',
          visibility: 'ephemeral',
        };
      return this.everything();
    }
    const scope = await this.scopes.of(turn.user, turn.location);
    return {
      kind: 'answer',
      title: 'What you may see here',
      text: `${scope ? describeScope(scope) : 'You see all cost data, approvals and recommendations here.'}${admin ? ' You are an admin of Tally.' : ''}`,
      data: { scope: scope ?? null, admin },
      visibility: 'ephemeral',
    };
  }

  private everything(): Reply {
    const { access, channels } = this.policy;
    const cell = (s: ViewScope) =>
      text(
        describeScope(s)
          .replace(/^.*? only /, '')
          .replace(/\.$/, ''),
      );
    const rows = [
      ...[...channels].map(([id, s]) => [text(`channel ${id}`), cell(s)]),
      ...access.rules.map((r) => [text(r.who.join(', ')), cell(r.scope)]),
      [text('everyone else'), text(access.others === 'none' ? 'nothing' : 'everything')],
    ];
    return {
      kind: 'answer',
      title: 'Who sees what',
      tables: [
        {
          columns: [
            { header: 'Who', align: 'left' },
            { header: 'Sees only', align: 'left' },
          ],
          rows,
        },
      ],
      text: `Admins (see everything a channel allows): ${access.admins.length ? access.admins.join(', ') : 'none'}.`,
      visibility: 'ephemeral',
    };
  }
}
