import MarkdownIt, { type Env, type StateCore, type Token } from 'markdown-it';
import { HERE, MENTION_PATTERN } from '../../protocol/mentions.js';

/**
 * Chat messages as safe Markdown: emphasis, links, lists, quotes, inline code and fenced code
 * blocks. Raw HTML is escaped (`html: false`), images are off, and only http(s) and mailto
 * links become links (anything else, e.g. `javascript:`, stays text). Links open in a new tab
 * without a referrer or an opener. `@username` mentions are marked up from the text tokens,
 * never by editing the HTML.
 */
const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: true });
// Headings, rules and tables make no sense in a chat line; images are never loaded from messages.
md.disable(['image', 'heading', 'lheading', 'hr', 'table']);

const SAFE_LINK = /^(?:https?:|mailto:)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const defaultLinkOpen = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer nofollow');
  }
  return defaultLinkOpen ? defaultLinkOpen(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
};

// A fenced block gets a copy button; its colours come later, from `highlight.ts`, loaded on first use.
const defaultFence = md.renderer.rules.fence;
md.renderer.rules.fence = (tokens, idx, options, env, self) => {
  const block = defaultFence ? defaultFence(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  return `<div class="code-block">${block}<button type="button" class="code-copy">Copy code</button></div>`;
};

interface RenderEnv extends Env {
  /** The viewer's username, lower-case: mentions of it are marked `mention-me`. */
  me?: string | null;
}

function splitMentions(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    let linkDepth = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') linkDepth += 1;
      if (token.type === 'link_close') linkDepth -= 1;
      if (token.type !== 'text' || linkDepth > 0 || !token.content.includes('@')) {
        out.push(token);
        continue;
      }
      let last = 0;
      for (const match of token.content.matchAll(MENTION_PATTERN)) {
        const start = match.index;
        if (start > last) out.push(textToken(state, token.content.slice(last, start), token.level));
        const mention = new state.Token('mention', '', 0);
        mention.content = match[0];
        mention.meta = { username: (match[1] ?? '').toLowerCase() };
        mention.level = token.level;
        out.push(mention);
        last = start + match[0].length;
      }
      if (last === 0) {
        out.push(token);
      } else if (last < token.content.length) {
        out.push(textToken(state, token.content.slice(last), token.level));
      }
    }
    block.children = out;
  }
}

function textToken(state: StateCore, content: string, level: number): Token {
  const token = new state.Token('text', '', 0);
  token.content = content;
  token.level = level;
  return token;
}

md.core.ruler.push('mentions', splitMentions);
md.renderer.rules.mention = (tokens, idx, _options, env?: RenderEnv) => {
  const token = tokens[idx];
  if (!token) return '';
  const username = (token.meta as { username: string }).username;
  const mine = env?.me != null && env.me === username;
  const text = md.utils.escapeHtml(token.content);
  if (username === HERE) return `<span class="mention">${text}</span>`;
  // A button that opens the person's profile card (the page listens for clicks on `data-username`).
  return `<button type="button" class="${mine ? 'mention mention-me' : 'mention'}" data-username="${username}">${text}</button>`;
};

const cache = new Map<string, string>();
const CACHE_SIZE = 2000;

/** The HTML of a message; safe to put into the page as is. `me` is the viewer's username. */
export function renderMarkdown(source: string, me?: string | null): string {
  const viewer = me ? me.toLowerCase() : null;
  const key = `${viewer ?? ''}\u0000${source}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const html = md.render(source, { me: viewer } satisfies RenderEnv);
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, html);
  return html;
}
