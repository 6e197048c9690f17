import type { ComponentChild } from 'preact';
import { render } from 'preact';
import '../styles/index.css';

/** Renders a page into its `#app` element. */
export function mount(page: ComponentChild): void {
  const root = document.getElementById('app');
  if (root === null) throw new Error('the page has no #app element');
  render(page, root);
}
