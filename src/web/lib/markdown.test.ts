import { describe, expect, it } from 'vitest';
import { mentionsUsername as mentions } from '../../protocol/mentions.js';
import { renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('shows raw HTML as text', () => {
    expect(renderMarkdown('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(renderMarkdown(`"'><svg onload=alert(1)>`)).not.toMatch(/<svg/);
  });

  it('makes only http(s) and mailto links, opening safely in a new tab', () => {
    expect(renderMarkdown('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n');
    expect(renderMarkdown('[x](data:text/html,hi) <javascript:alert(1)>')).not.toMatch(/<a /);
    expect(renderMarkdown('[docs](https://example.com/a?b=1)')).toBe(
      '<p><a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow">docs</a></p>\n',
    );
    expect(renderMarkdown('see https://example.org')).toContain('href="https://example.org"');
    expect(renderMarkdown('write to a@example.com')).toContain('href="mailto:a@example.com"');
  });

  it('loads no images', () => {
    expect(renderMarkdown('![cat](https://example.com/cat.png)')).not.toMatch(/<img/);
  });

  it('renders emphasis, inline code, fenced code and line breaks', () => {
    expect(renderMarkdown('**bold** _it_ `a <b>`')).toBe(
      '<p><strong>bold</strong> <em>it</em> <code>a &lt;b&gt;</code></p>\n',
    );
    expect(renderMarkdown('```ts\nconst a = "<b>";\n```')).toBe(
      '<div class="code-block"><pre><code class="language-ts">const a = &quot;&lt;b&gt;&quot;;\n</code></pre>\n' +
        '<button type="button" class="code-copy">Copy code</button></div>',
    );
    expect(renderMarkdown('one\ntwo')).toBe('<p>one<br>\ntwo</p>\n');
  });

  it('highlights @mentions from the text, more when they are of the viewer', () => {
    expect(renderMarkdown('hi @Ann_1 and @bob, @here', 'bob')).toBe(
      '<p>hi <button type="button" class="mention" data-username="ann_1">@Ann_1</button> and ' +
        '<button type="button" class="mention mention-me" data-username="bob">@bob</button>, ' +
        '<span class="mention">@here</span></p>\n',
    );
    // Not in code, links, e-mail addresses or words, and not too short or long for a username.
    const plain = renderMarkdown('`@bob` [@bob](https://x.org) bob@bob.org x@bob @b @' + 'a'.repeat(31), 'bob');
    expect(plain).not.toContain('class="mention');
    // Escaped like any text.
    expect(renderMarkdown('@bob<b>', 'bob')).toContain('data-username="bob">@bob</button>&lt;b&gt;');
  });

  it('knows whether a message mentions someone', () => {
    expect(mentions('ping @Bob please', 'bob')).toBe(true);
    expect(mentions('mail bob@example.com', 'bob')).toBe(false);
    expect(mentions('hi', null)).toBe(false);
    expect(mentions('in code: `@bob` and ```\n@bob\n```', 'bob')).toBe(false);
  });
});
