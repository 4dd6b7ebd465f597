import { describe, expect, it } from 'vitest';
import {
  applyScope,
  describeScope,
  intersectScopes,
  NOTHING,
  scopeAllows,
  scopeCovers,
} from '../../../src/costs/view-scope.js';

describe('view scope', () => {
  const web = { tags: [{ key: 'team', values: ['web', 'api'] }], of: 'you' as const };
  it('adds a tag scope to the filter as allowed values, and refuses a filter on another value', () => {
    expect(applyScope({ services: ['S3'] }, web)).toEqual({
      services: ['S3'],
      tagsIn: [{ key: 'team', values: ['web', 'api'] }],
    });
    expect(applyScope({ tags: [{ key: 'team', value: 'web' }] }, web)?.tags).toEqual([{ key: 'team', value: 'web' }]);
    expect(applyScope({ tags: [{ key: 'team', value: 'payments' }] }, web)).toBeNull();
  });
  it('lets nothing through a scope that allows nothing', () => {
    expect(applyScope({}, NOTHING)).toBeNull();
    expect(scopeAllows(NOTHING, { provider: 'AWS', accountId: '1' })).toBe(false);
    expect(describeScope(NOTHING)).toBe('You see no cost data.');
  });
  it('intersects a channel scope and a person scope', () => {
    const both = intersectScopes(
      { providers: ['AWS', 'Microsoft'], subAccountIds: ['1', '2'], of: 'channel' },
      { subAccountIds: ['2', '3'], ...web },
    );
    expect(both).toEqual({
      providers: ['AWS', 'Microsoft'],
      subAccountIds: ['2'],
      tags: [{ key: 'team', values: ['web', 'api'] }],
      of: 'both',
    });
    expect(intersectScopes(undefined, web)).toBe(web);
    expect(intersectScopes({ providers: ['AWS'] }, { providers: ['Microsoft'] })?.providers).toEqual([]);
  });
  it('allows a resource only with every tag the scope requires; unknown tags never do', () => {
    expect(scopeAllows(web, { provider: 'AWS', accountId: '1', tags: [{ key: 'team', value: 'api' }] })).toBe(true);
    expect(scopeAllows(web, { provider: 'AWS', accountId: '1', tags: [{ key: 'team', value: 'data' }] })).toBe(false);
    expect(scopeAllows(web, { provider: 'AWS', accountId: '1' })).toBe(false);
    expect(scopeAllows(undefined, { provider: 'AWS', accountId: '1' })).toBe(true);
  });
  it('tells whether one scope is inside another', () => {
    expect(scopeCovers({ subAccountIds: ['1', '2'] }, { subAccountIds: ['1'] })).toBe(true);
    expect(scopeCovers({ subAccountIds: ['1'] }, { subAccountIds: ['1', '2'] })).toBe(false);
    expect(scopeCovers({ subAccountIds: ['1'] }, undefined)).toBe(false);
    expect(scopeCovers(undefined, { subAccountIds: ['1'] })).toBe(true);
  });
  it('says whose scope narrowed the answer', () => {
    expect(describeScope({ providers: ['AWS'], of: 'channel' })).toBe('This channel sees only providers AWS.');
    expect(describeScope({ subAccountIds: ['1'], ...web })).toBe('You see only accounts 1 and tag team=web|api.');
    expect(describeScope({ subAccountIds: ['1'], of: 'both' })).toBe('Here you see only accounts 1.');
  });
});
