import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

/**
 * Code colours for chat messages: highlight.js core with the common languages of a developer
 * community. This module is imported only when the first code block is shown (see
 * `message-parts.tsx`), so the chat page does not load it before.
 *
 * highlight.js escapes the code it reads and marks tokens with classes only (no inline
 * styles), so the strict CSP holds and the colours come from chat.css.
 */
const LANGUAGES = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  python,
  ruby,
  rust,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** A block without a language is guessed among these only: a short list guesses better and faster. */
const DETECT_AMONG = ['javascript', 'typescript', 'python', 'bash', 'json', 'sql', 'go', 'rust', 'java', 'css', 'xml'];

/** Colours every not yet coloured code block under `root`. */
export function highlightWithin(root: HTMLElement): void {
  for (const code of root.querySelectorAll<HTMLElement>('pre > code:not(.hljs)')) {
    const text = code.textContent ?? '';
    const named = /\blanguage-([\w+#-]+)/.exec(code.className)?.[1];
    let html: string;
    if (named !== undefined) {
      // An unknown language stays plain rather than guessed wrong.
      if (hljs.getLanguage(named) === undefined) continue;
      html = hljs.highlight(text, { language: named, ignoreIllegals: true }).value;
    } else {
      html = hljs.highlightAuto(text, DETECT_AMONG).value;
    }
    code.innerHTML = html;
    code.classList.add('hljs');
  }
}
