import type { Mail } from '../mail/mailer.js';

/** The recovery mail: a plain-text and an HTML part with the same words and link. */
export function resetMail(to: string, siteName: string, link: string, minutes: number): Mail {
  const intro = `Someone (we hope you) asked to choose a new password for your ${siteName} account.`;
  const outro = `The link works once, for ${minutes} minutes. If you did not ask, ignore this mail: your password stays as it is.`;
  return {
    to,
    subject: `Choose a new password for ${siteName}`,
    text: `${intro}\n\nChoose a new password here:\n${link}\n\n${outro}\n`,
    html:
      `<p>${escapeHtml(intro)}</p>` +
      `<p><a href="${escapeHtml(link)}">Choose a new password</a></p>` +
      `<p>Or open this address: ${escapeHtml(link)}</p>` +
      `<p>${escapeHtml(outro)}</p>`,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
