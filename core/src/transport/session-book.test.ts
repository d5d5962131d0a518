import { describe, expect, it } from 'vitest';
import { SessionBook } from './session-book.js';

const session = () => {
  const state = { closed: false };
  return { state, close: async () => void (state.closed = true) };
};

describe('SessionBook', () => {
  it('closes a session nobody used for idleTimeoutSeconds, and keeps one in use', async () => {
    const book = new SessionBook<ReturnType<typeof session>>({ idleTimeoutSeconds: 1, perIdentity: 5, max: 5 });
    const idle = session();
    const busy = session();
    book.add('idle', idle, 'owner', 'id');
    book.add('busy', busy, 'owner', 'id');
    const keepAlive = setInterval(() => book.use('busy', 'owner'), 100);
    try {
      await expect.poll(() => idle.state.closed, { timeout: 10_000 }).toBe(true);
      expect(busy.state.closed).toBe(false);
      expect(book.use('idle', 'owner')).toBeUndefined();
    } finally {
      clearInterval(keepAlive);
      await book.close();
    }
  });

  it('answers another owner like an unknown id', async () => {
    const book = new SessionBook<ReturnType<typeof session>>({ idleTimeoutSeconds: 60, perIdentity: 5, max: 5 });
    book.add('s', session(), 'apikey\nops\nfp1', 'apikey\nops');
    expect(book.use('s', 'basic\nops\nfp2')).toBeUndefined();
    expect(book.use('s', 'apikey\nops\nfp1')).toBeDefined();
    await book.close();
  });
});
