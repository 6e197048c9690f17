import type { ComponentChildren } from 'preact';
import { Brand } from './brand.js';
import './auth-layout.css';

interface AuthLayoutProps {
  title: string;
  subtitle?: ComponentChildren;
  children: ComponentChildren;
  /** Below the card, e.g. "No account yet? Create one". */
  footer?: ComponentChildren;
  /** Top right of the page, e.g. a logout button during onboarding. */
  actions?: ComponentChildren;
  wide?: boolean;
}

/** The centred glass card of the sign-in, registration and onboarding pages. */
export function AuthLayout({ title, subtitle, children, footer, actions, wide }: AuthLayoutProps) {
  return (
    <div class="auth-page">
      <header class="auth-header">
        <Brand href="/" />
        {actions}
      </header>
      <main id="main" class="auth-main">
        <section class={wide ? 'glass-card auth-card auth-card-wide' : 'glass-card auth-card'} aria-labelledby="title">
          <h1 id="title" class="auth-title">
            {title}
          </h1>
          {subtitle && <p class="auth-subtitle">{subtitle}</p>}
          {children}
        </section>
        {footer && <p class="auth-footer">{footer}</p>}
      </main>
    </div>
  );
}
