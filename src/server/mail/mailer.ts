import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends mail; the recovery and, later, other features depend on this only. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** Through the SMTP server of `SMTP_URL`, from `MAIL_FROM`. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}

/** Development without SMTP: the mail's text goes to the server log instead. */
export function createLogMailer(log: Pick<FastifyBaseLogger, 'info'>): Mailer {
  return {
    send(mail) {
      log.info({ to: mail.to, subject: mail.subject }, `mail not sent (no SMTP_URL), its text:\n${mail.text}`);
      return Promise.resolve();
    },
    close: () => undefined,
  };
}

/** SMTP when configured; the log in development; none in production without SMTP (no recovery then). */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'production'>, log: FastifyBaseLogger) {
  if (config.smtpUrl !== null) return createSmtpMailer(config.smtpUrl, config.mailFrom);
  return config.production ? null : createLogMailer(log);
}
