import { Bird } from 'lucide';
import { Icon } from './icon.js';

/** The logo and name; a link home when `href` is given. */
export function Brand({ href }: { href?: string }) {
  const content = (
    <>
      <span class="brand-mark" aria-hidden="true">
        <Icon icon={Bird} size={20} />
      </span>
      <span class="brand-name">CodeChicks</span>
    </>
  );
  return href ? (
    <a class="brand" href={href}>
      {content}
    </a>
  ) : (
    <span class="brand">{content}</span>
  );
}
