import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, CommandRejected, type CommandHandlers } from '../../src/core/dispatcher.js';
import { silentLogger } from '../../src/log/logger.js';
import { commands, ResponseEnvelope } from '../../src/contract/index.js';

function handlers(over: Partial<CommandHandlers> = {}): CommandHandlers {
  return {
    hello: () => {
      throw new Error('not used');
    },
    setLanguage: () => ({ ok: true }),
    input: () => ({ ok: true }),
    demo: () => ({ ok: true }),
    technician: () => ({ ok: true, result: { ok: true } }),
    ...over,
  };
}

describe('contract dispatcher', () => {
  const dispatch = createDispatcher(handlers(), silentLogger);

  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['no kind', { id: 1, command: 'hello', payload: {} }],
    ['a negative id', { kind: 'request', id: -1, command: 'hello', payload: {} }],
    ['a fractional id', { kind: 'request', id: 1.5, command: 'hello', payload: {} }],
  ])('answers %s with a typed "malformed" error', async (_label, raw) => {
    const res = ResponseEnvelope.parse(await dispatch(raw));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('malformed');
  });

  it('keeps the id of a malformed envelope when it has one', async () => {
    const res = await dispatch({ id: 7, command: 3 });
    expect(res).toMatchObject({ id: 7, ok: false, error: { code: 'malformed' } });
  });

  it('refuses unknown commands, including prototype keys', async () => {
    for (const command of ['shutdown', '__proto__', 'constructor', 'toString']) {
      const res = await dispatch({ kind: 'request', id: 2, command, payload: {} });
      expect(res).toMatchObject({ id: 2, ok: false, error: { code: 'unknown_command' } });
    }
  });

  it('validates payloads and never echoes their values', async () => {
    const res = await dispatch({
      kind: 'request',
      id: 3,
      command: 'input',
      payload: { input: { type: 'PIN_SUBMIT', pin: '98765' } },
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(JSON.stringify(res)).not.toContain('98765');
    const extra = await dispatch({
      kind: 'request',
      id: 4,
      command: 'setLanguage',
      payload: { language: 'ja', evil: true },
    });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const badLang = await dispatch({
      kind: 'request',
      id: 5,
      command: 'setLanguage',
      payload: { language: 'fr' },
    });
    expect(badLang).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('turns a handler crash into an internal error without throwing', async () => {
    const d = createDispatcher(
      handlers({
        input: () => {
          throw new TypeError('boom');
        },
      }),
      silentLogger,
    );
    await expect(
      d({ kind: 'request', id: 9, command: 'input', payload: { input: { type: 'START' } } }),
    ).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('passes rejections through as "rejected"', async () => {
    const d = createDispatcher(
      handlers({
        demo: () => {
          throw new CommandRejected('no simulators');
        },
      }),
      silentLogger,
    );
    const res = await d({
      kind: 'request',
      id: 1,
      command: 'demo',
      payload: { action: { type: 'removeCard' } },
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'rejected', message: 'no simulators' } });
  });

  it('routes a valid command to its handler with the parsed payload', async () => {
    const setLanguage = vi.fn(() => ({ ok: true as const }));
    const d = createDispatcher(handlers({ setLanguage }), silentLogger);
    const res = await d({ kind: 'request', id: 11, command: 'setLanguage', payload: { language: 'ko' } });
    expect(res).toEqual({ kind: 'response', id: 11, ok: true, result: { ok: true } });
    expect(setLanguage).toHaveBeenCalledWith({ language: 'ko' });
  });

  it('every command has a strict request schema', () => {
    for (const [name, c] of Object.entries(commands)) {
      expect(c.request.safeParse({ unexpected: 1 }).success, name).toBe(false);
    }
  });
});
