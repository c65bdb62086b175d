// A short fuzz run of the browser host (`madoguchi fuzz host` runs it longer).
import { describe, expect, it } from 'vitest';
import { fuzzHost } from '../../src/fuzz/host.js';
import { httpRequest, mutate, seededRng } from '../../src/fuzz/generators.js';

describe('fuzz host', () => {
  it('generators are reproducible from the seed', () => {
    const a = seededRng(7);
    const b = seededRng(7);
    expect(Array.from({ length: 20 }, () => httpRequest(a, 't'))).toEqual(
      Array.from({ length: 20 }, () => httpRequest(b, 't')),
    );
    expect(mutate(seededRng(1), 'GET / HTTP/1.1')).not.toBe('GET / HTTP/1.1');
  });

  it('survives random and mutated traffic: no crash, no 5xx, bounded memory', async () => {
    const r = await fuzzHost({ seconds: 4, seed: 20261130, concurrency: 4 });
    expect(r.requests, JSON.stringify(r)).toBeGreaterThan(100);
    expect(r.wsMessages).toBeGreaterThan(100);
    expect(r.crashes, JSON.stringify(r)).toBe(0);
    expect(r.serverErrors, JSON.stringify(r)).toBe(0);
    expect(r.rssGrowthMb, JSON.stringify(r)).toBeLessThan(150);
  }, 60_000);
});
