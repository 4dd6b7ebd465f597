import { describe, expect, it } from 'vitest';
import type { ActionKind, ResourceFacts, TargetRef } from '../../../src/actions/action.types.js';
import {
  baseRisk,
  buildAction,
  monthlySavingsOf,
  proposeCommandOf,
  riskOf,
  summaryOf,
} from '../../../src/actions/action-catalog.js';
import { TallyError } from '../../../src/shared/errors.js';
import { testAddress, testInstance, testVolume } from '../../support/memory-inventory.js';

const cents = (x: number) => Math.round(x * 100) / 100;

const target = (facts: ResourceFacts, region = 'us-east-1'): TargetRef => ({
  provider: 'AWS',
  accountId: '123456789012',
  region,
  resourceType: facts.resourceType,
  resourceId: facts.id,
});

const web = testInstance('i-0abc', 't3.large', { name: 'web-1' });
const big = testInstance('i-0big', 'm5.xlarge');
const vol = testVolume('vol-0abc', 100, 'gp2');
const eip = testAddress('eipalloc-0abc', '54.1.2.3');

describe('risk', () => {
  it('has a base risk per kind', () => {
    expect(baseRisk('release_address')).toBe('low');
    expect(baseRisk('stop_instance')).toBe('medium');
    expect(baseRisk('resize_instance')).toBe('medium');
    expect(baseRisk('delete_volume')).toBe('high');
  });

  it('raises the risk one level on a resource tagged as production, whatever the case', () => {
    const prod = (key: string, value: string) => [{ key, value }];
    expect(riskOf('release_address', testAddress('eipalloc-1', '1.2.3.4', { tags: prod('env', 'prod') }))).toBe(
      'medium',
    );
    expect(riskOf('stop_instance', testInstance('i-1', 't3.large', { tags: prod('Environment', 'Production') }))).toBe(
      'high',
    );
    expect(riskOf('delete_volume', testVolume('vol-1', 10, 'gp3', { tags: prod('STAGE', 'PROD') }))).toBe('high');
  });

  it('keeps the base risk for other tags and values', () => {
    const tags = [
      { key: 'env', value: 'staging' },
      { key: 'team', value: 'prod' },
      { key: 'environment', value: 'preprod' },
    ];
    expect(riskOf('stop_instance', testInstance('i-1', 't3.large', { tags }))).toBe('medium');
    expect(riskOf('release_address', eip)).toBe('low');
  });
});

describe('monthlySavingsOf', () => {
  it('stopping saves the hourly price for 730 hours', () => {
    expect(monthlySavingsOf('stop_instance', web, {})).toBe(cents(0.0832 * 730));
  });

  it('resizing saves the price difference for 730 hours', () => {
    expect(monthlySavingsOf('resize_instance', big, { instanceType: 'm5.large' })).toBe(cents((0.192 - 0.096) * 730));
  });

  it('deleting a volume saves its storage minus a full-size snapshot', () => {
    expect(monthlySavingsOf('delete_volume', vol, {})).toBe(cents(100 * 0.1 - 100 * 0.05));
    expect(monthlySavingsOf('delete_volume', testVolume('vol-2', 500, 'io2'), {})).toBe(cents(500 * (0.125 - 0.05)));
  });

  it('releasing an address saves 0.005 USD an hour', () => {
    expect(monthlySavingsOf('release_address', eip, {})).toBe(cents(0.005 * 730));
  });

  it('is null when a price is unknown or the facts do not fit', () => {
    expect(monthlySavingsOf('stop_instance', testInstance('i-1', 'p5.48xlarge'), {})).toBeNull();
    expect(monthlySavingsOf('resize_instance', big, { instanceType: 'x9.large' })).toBeNull();
    expect(monthlySavingsOf('resize_instance', big, {})).toBeNull();
    expect(monthlySavingsOf('delete_volume', testVolume('vol-1', 10, 'magnetic-x'), {})).toBeNull();
    expect(monthlySavingsOf('stop_instance', vol, {})).toBeNull();
  });
});

describe('summaryOf', () => {
  it('says what each kind does', () => {
    expect(summaryOf('stop_instance', target(web), web, {})).toBe(
      'Stop i-0abc (t3.large, web-1) in us-east-1, account 123456789012',
    );
    expect(summaryOf('resize_instance', target(big, 'eu-west-1'), big, { instanceType: 'm5.large' })).toBe(
      'Resize i-0big from m5.xlarge to m5.large in eu-west-1, account 123456789012',
    );
    expect(summaryOf('resize_instance', target(web), web, { instanceType: 't3.medium' })).toBe(
      'Resize i-0abc (web-1) from t3.large to t3.medium in us-east-1, account 123456789012',
    );
    expect(summaryOf('delete_volume', target(vol), vol, {})).toBe(
      'Snapshot and delete vol-0abc (100 GiB gp2) in us-east-1, account 123456789012',
    );
    expect(summaryOf('release_address', target(eip), eip, {})).toBe(
      'Release 54.1.2.3 (eipalloc-0abc) in us-east-1, account 123456789012',
    );
  });

  it('adds the Name tag where there is one', () => {
    const named = testVolume('vol-1', 8, 'gp3', { name: 'scratch' });
    expect(summaryOf('delete_volume', target(named), named, {})).toBe(
      'Snapshot and delete vol-1 (8 GiB gp3, scratch) in us-east-1, account 123456789012',
    );
    expect(summaryOf('stop_instance', target(big), big, {})).toBe(
      'Stop i-0big (m5.xlarge) in us-east-1, account 123456789012',
    );
  });
});

describe('buildAction', () => {
  it('builds a proposed action with savings, risk and summary', () => {
    const r = buildAction('stop_instance', target(web), web, {});
    expect(r).toEqual({
      ok: true,
      action: {
        kind: 'stop_instance',
        target: target(web),
        facts: web,
        params: {},
        monthlySavings: cents(0.0832 * 730),
        currency: 'USD',
        risk: 'medium',
        summary: 'Stop i-0abc (t3.large, web-1) in us-east-1, account 123456789012',
      },
    });
  });

  it('keeps the new type for a resize and drops parameters other kinds do not use', () => {
    const resize = buildAction('resize_instance', target(big), big, { instanceType: 'm5.large' });
    expect(resize.ok && resize.action.params).toEqual({ instanceType: 'm5.large' });
    const del = buildAction('delete_volume', target(vol), vol, { instanceType: 'm5.large' });
    expect(del.ok && del.action.params).toEqual({});
  });

  it('copies the facts so that later changes do not alter the proposal', () => {
    const facts = testInstance('i-9', 't3.large');
    const r = buildAction('stop_instance', target(facts), facts, {});
    facts.state = 'stopped';
    expect(r.ok && r.action.facts).toMatchObject({ state: 'running' });
  });

  it('refuses a kind that does not act on the resource type', () => {
    const cases: [ActionKind, ResourceFacts][] = [
      ['stop_instance', vol],
      ['resize_instance', eip],
      ['delete_volume', web],
      ['release_address', vol],
    ];
    for (const [kind, facts] of cases) {
      expect(buildAction(kind, target(facts), facts, { instanceType: 't3.small' })).toMatchObject({
        ok: false,
        reason: 'WRONG_RESOURCE',
      });
    }
  });

  it('refuses a target that names another resource than the facts', () => {
    const other = { ...target(web), resourceId: 'i-other' };
    expect(buildAction('stop_instance', other, web, {})).toMatchObject({ ok: false, reason: 'WRONG_RESOURCE' });
    const asVolume = { ...target(web), resourceType: 'volume' as const };
    expect(buildAction('stop_instance', asVolume, web, {})).toMatchObject({ ok: false, reason: 'WRONG_RESOURCE' });
  });

  it('refuses actions that do not apply to the resource as it is', () => {
    const stopped = testInstance('i-1', 't3.large', { state: 'stopped' });
    const attached = testVolume('vol-1', 10, 'gp2', { state: 'in-use', attachedTo: ['i-1'] });
    const associated = testAddress('eipalloc-1', '1.2.3.4', { associationId: 'eipassoc-1', instanceId: 'i-1' });
    const terminated = testInstance('i-2', 'm5.xlarge', { state: 'shutting-down' });
    const na = { ok: false, reason: 'NOT_APPLICABLE' };
    expect(buildAction('stop_instance', target(stopped), stopped, {})).toMatchObject(na);
    expect(buildAction('delete_volume', target(attached), attached, {})).toMatchObject(na);
    expect(buildAction('release_address', target(associated), associated, {})).toMatchObject(na);
    expect(buildAction('resize_instance', target(big), big, {})).toMatchObject(na);
    expect(buildAction('resize_instance', target(big), big, { instanceType: 'm5.xlarge' })).toMatchObject(na);
    expect(buildAction('resize_instance', target(big), big, { instanceType: 'm5.unknown' })).toMatchObject(na);
    expect(buildAction('resize_instance', target(big), big, { instanceType: 'm5.2xlarge' })).toMatchObject(na);
    expect(buildAction('resize_instance', target(web), web, { instanceType: 't4g.large' })).toMatchObject(na);
    expect(buildAction('resize_instance', target(terminated), terminated, { instanceType: 'm5.large' })).toMatchObject(
      na,
    );
  });

  it('resizes a stopped instance, and to a type of the same price', () => {
    const stopped = testInstance('i-1', 'm5.xlarge', { state: 'stopped' });
    expect(buildAction('resize_instance', target(stopped), stopped, { instanceType: 'm5.large' }).ok).toBe(true);
    const same = buildAction('resize_instance', target(big), big, { instanceType: 'm6i.xlarge' });
    expect(same.ok && same.action.monthlySavings).toBe(0);
  });

  it('refuses a resource whose price is unknown', () => {
    const gpu = testInstance('i-1', 'p5.48xlarge');
    expect(buildAction('stop_instance', target(gpu), gpu, {})).toMatchObject({ ok: false, reason: 'UNKNOWN_PRICE' });
    const odd = testVolume('vol-1', 10, 'gp9');
    expect(buildAction('delete_volume', target(odd), odd, {})).toMatchObject({ ok: false, reason: 'UNKNOWN_PRICE' });
  });
});

describe('proposeCommandOf', () => {
  it('writes the propose command in the grammar of each kind', () => {
    expect(proposeCommandOf('stop_instance', target(web), {}, 'idle for two weeks')).toBe(
      'propose stop i-0abc in us-east-1 account 123456789012 because idle for two weeks',
    );
    expect(proposeCommandOf('resize_instance', target(big, 'eu-west-1'), { instanceType: 'm5.large' }, 'low CPU')).toBe(
      'propose resize i-0big to m5.large in eu-west-1 account 123456789012 because low CPU',
    );
    expect(proposeCommandOf('delete_volume', target(vol), {}, 'unattached')).toBe(
      'propose delete vol-0abc in us-east-1 account 123456789012 because unattached',
    );
    expect(proposeCommandOf('release_address', target(eip), {}, 'unused')).toBe(
      'propose release eipalloc-0abc in us-east-1 account 123456789012 because unused',
    );
  });

  it('keeps the reason on one line without quotes', () => {
    expect(proposeCommandOf('stop_instance', target(web), {}, ' it\'s "idle"\n  since May ')).toBe(
      'propose stop i-0abc in us-east-1 account 123456789012 because its idle since May',
    );
  });

  it('throws INTERNAL for a resize without a type or an empty reason', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof TallyError ? err.code : 'not a TallyError';
      }
      return 'no error';
    };
    expect(codeOf(() => proposeCommandOf('resize_instance', target(big), {}, 'x'))).toBe('INTERNAL');
    expect(codeOf(() => proposeCommandOf('stop_instance', target(web), {}, '  '))).toBe('INTERNAL');
  });
});
