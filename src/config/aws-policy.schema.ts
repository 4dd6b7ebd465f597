import { z } from 'zod';

/** `aws:` of the policy file: how Tally reaches the AWS accounts it covers besides the credentials' own. */
export interface AwsPolicy {
  /** Account id → the role ARN assumed there; wins over `TALLY_AWS_ROLE_NAME` for that account. */
  roles: Readonly<Record<string, string>>;
}

const ACCOUNT_RE = /^\d{12}$/;
const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/**
 * `aws:` of the policy file (README "Every account"): per-account role ARNs for recommendations and actions in
 * member accounts. Each key is a 12-digit account id and its role must belong to that account.
 *
 * @example
 * aws:
 *   roles:
 *     "222222222222": "arn:aws:iam::222222222222:role/TallyReadAndAct"
 */
export const awsSchema = z.preprocess(
  (v) => (v === null ? undefined : v),
  z
    .object({
      roles: z.preprocess(
        (v) => (v === null ? undefined : v),
        z
          .record(
            z.string().regex(ACCOUNT_RE, 'an account id is 12 digits, quoted ("222222222222")'),
            z.string().regex(ROLE_ARN_RE, 'expected a role ARN such as arn:aws:iam::222222222222:role/TallyRole'),
          )
          .default({})
          .superRefine((roles, ctx) => {
            for (const [account, arn] of Object.entries(roles)) {
              const owner = ROLE_ARN_RE.exec(arn)?.[1];
              if (owner !== undefined && owner !== account)
                ctx.addIssue({
                  code: 'custom',
                  path: [account],
                  message: `the role belongs to account ${owner}, not ${account}`,
                });
            }
          }),
      ),
    })
    .strict()
    .default({ roles: {} }),
);
