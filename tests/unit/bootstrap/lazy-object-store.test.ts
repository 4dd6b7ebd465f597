import { describe, expect, it } from 'vitest';
import { LazyObjectStore } from '../../../src/bootstrap/lazy-object-store.js';
import type { ObjectStore, StoredObject } from '../../../src/costs/object-store.port.js';

/** A store over a few objects in memory, as the loaded SDK store would be; counts how often it is loaded. */
function lazyOver(objects: Record<string, string>) {
  let loads = 0;
  const store: ObjectStore = {
    handles: () => true,
    list: async (prefix) =>
      Object.keys(objects)
        .filter((uri) => uri.startsWith(prefix))
        .map((uri): StoredObject => ({ uri, etag: `e-${uri}`, size: objects[uri]!.length })),
    download: async () => {},
    readText: async (uri) => objects[uri] ?? '',
  };
  const lazy = new LazyObjectStore(/^s3:\/\//i, async () => {
    loads++;
    return store;
  });
  return { lazy, loads: () => loads };
}

describe('LazyObjectStore', () => {
  it('answers which URIs it reads without loading its SDK', () => {
    const { lazy, loads } = lazyOver({});
    expect(lazy.handles('s3://bucket/focus/')).toBe(true);
    expect(lazy.handles('gs://bucket/focus/')).toBe(false);
    expect(lazy.handles('/data/exports')).toBe(false);
    expect(loads()).toBe(0);
  });

  it('loads it once, on the first request, however many requests run at once', async () => {
    const { lazy, loads } = lazyOver({ 's3://b/focus/a.csv': 'x,y', 's3://b/focus/manifest.json': '{"v":1}' });
    const [listed, text] = await Promise.all([
      lazy.list('s3://b/focus/'),
      lazy.readText('s3://b/focus/manifest.json'),
      lazy.download('s3://b/focus/a.csv', '/tmp/unused'),
    ]);
    expect(listed.map((o) => o.uri)).toEqual(['s3://b/focus/a.csv', 's3://b/focus/manifest.json']);
    expect(text).toBe('{"v":1}');
    await lazy.list('s3://b/');
    expect(loads()).toBe(1);
  });
});
