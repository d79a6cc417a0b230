import { describe, it, expect } from 'vitest';
import { ChannelThrottle, CAP, WINDOW_MS, transitionKey } from '../../../server/notify/throttle.ts';

describe('channel throttle', () => {
  it('sends each transition once per channel; a re-fire after a resolve is new', () => {
    const t = new ChannelThrottle();
    const k = transitionKey('provider-down:a', 'firing', 1000);
    expect(t.admit('mail', k, 0)).toEqual({ send: true, heldBack: 0 });
    expect(t.admit('mail', k, 1)).toEqual({ send: false, why: 'duplicate' });
    expect(t.admit('sms', k, 1)).toEqual({ send: true, heldBack: 0 });
    expect(t.admit('mail', transitionKey('provider-down:a', 'resolved', 1000), 2).send).toBe(true);
    expect(t.admit('mail', transitionKey('provider-down:a', 'firing', 5000), 3).send).toBe(true);
  });

  it('caps a channel at CAP messages per window and counts what it held back into the next message', () => {
    const t = new ChannelThrottle();
    for (let i = 0; i < CAP; i++) expect(t.admit('mail', `a${i}`, i * 1000).send).toBe(true);
    expect(t.admit('mail', 'over-1', CAP * 1000)).toEqual({ send: false, why: 'capped' });
    expect(t.admit('mail', 'over-2', CAP * 1000)).toEqual({ send: false, why: 'capped' });
    expect(t.admit('other', 'b', CAP * 1000).send).toBe(true);
    // The first send leaves the window: one more may go, and says two were held back.
    expect(t.admit('mail', 'later', WINDOW_MS)).toEqual({ send: true, heldBack: 2 });
    expect(t.admit('mail', 'later-2', WINDOW_MS)).toEqual({ send: false, why: 'capped' });
    expect(t.admit('mail', 'much-later', WINDOW_MS * 3)).toEqual({ send: true, heldBack: 1 });
  });
});
