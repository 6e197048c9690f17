import { describe, expect, it } from 'vitest';
import { applyReactionsUpdate, isReactionEmoji } from './reactions.js';

describe('reaction emoji', () => {
  it('accepts one real emoji, including sequences', () => {
    for (const emoji of ['👍', '❤️', '🎉', '👩🏽‍💻', '🇩🇪', '👍🏿', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']) expect(isReactionEmoji(emoji), emoji).toBe(true);
  });

  it('refuses text, several emoji and look-alikes', () => {
    for (const value of ['a', 'ok', '👍👍', '👍 ', '<b>', '1', '#', '©', '\u200d', '👍\u202e', 'x'.repeat(16), '']) {
      expect(isReactionEmoji(value), JSON.stringify(value)).toBe(false);
    }
  });
});

describe('applyReactionsUpdate', () => {
  const ME = 7;
  it('keeps what the viewer knew and takes its own toggle from the event', () => {
    const before = [
      { emoji: '👍', count: 2, me: true },
      { emoji: '🎉', count: 1, me: false },
    ];
    const someoneElse = applyReactionsUpdate(
      before,
      {
        reactions: [
          { emoji: '👍', count: 3 },
          { emoji: '🎉', count: 1 },
        ],
        actor_id: 9,
        emoji: '👍',
        added: true,
      },
      ME,
    );
    expect(someoneElse).toEqual([
      { emoji: '👍', count: 3, me: true },
      { emoji: '🎉', count: 1, me: false },
    ]);
    const mineElsewhere = applyReactionsUpdate(
      someoneElse,
      {
        reactions: [
          { emoji: '👍', count: 2 },
          { emoji: '🎉', count: 2 },
        ],
        actor_id: ME,
        emoji: '🎉',
        added: true,
      },
      ME,
    );
    expect(mineElsewhere).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: '🎉', count: 2, me: true },
    ]);
  });
});
