import { Type, type Static } from '@sinclair/typebox';
import { MESSAGE_MAX_LENGTH } from './limits.js';
import { Nullable, RowCursor, RowId, Timestamp } from './schema.js';
import { ONLINE_PAGE_MAX } from './presence.js';

export const MessageContent = Type.String({
  minLength: 1,
  maxLength: MESSAGE_MAX_LENGTH,
  pattern: '\\S',
  errorMessage: `Must be 1–${MESSAGE_MAX_LENGTH} characters and not blank`,
});
export const ClientId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  errorMessage: 'Must be 1–64 letters, digits, - or _',
});
/** One emoji (`isReactionEmoji` in `reactions.ts` decides which; the longest RGI sequence is 14 units). */
export const Emoji = Type.String({ minLength: 1, maxLength: 32, errorMessage: 'Must be one emoji' });

/**
 * A message id to reply to, or null. The Python version's pages send it as a digit string
 * (`"6"`); `minimum` binds only numbers and `pattern` only strings.
 */
export const ReplyToId = Type.Unsafe<number | string | null>({
  type: ['integer', 'string', 'null'],
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  pattern: '^[1-9][0-9]{0,14}$',
  errorMessage: 'Must be the id of a message',
});

export const ReactionSchema = Type.Object({ emoji: Type.String(), count: Type.Integer(), me: Type.Boolean() });
export type Reaction = Static<typeof ReactionSchema>;

export const ReplyPreviewSchema = Type.Object({
  id: Type.Integer(),
  sender_id: Type.Integer(),
  sender_name: Type.String(),
  excerpt: Type.String(),
});

/** A person's text, or a post the server makes for them: a group sprint's card, a focus check-in. */
export const MessageTypeSchema = Type.Union([Type.Literal('text'), Type.Literal('sprint'), Type.Literal('checkin')]);
export type MessageType = Static<typeof MessageTypeSchema>;

/** A message as the pages use it and live events carry it. */
export const MessageSchema = Type.Object({
  id: Type.Integer(),
  sender_id: Type.Integer(),
  sender_username: Nullable(Type.String()),
  sender_name: Type.String(),
  content: Type.String(),
  timestamp: Timestamp,
  edited_at: Nullable(Type.String({ format: 'date-time' })),
  room_id: Type.Literal('global'),
  message_type: MessageTypeSchema,
  reply_to_id: Nullable(Type.Integer()),
  reply_to: Type.Union([ReplyPreviewSchema, Type.Null()]),
  reactions: Type.Array(ReactionSchema),
  client_id: Nullable(Type.String()),
});
export type Message = Static<typeof MessageSchema>;

/**
 * A message as REST answers it: also `reply_to`'s name and excerpt again, where the Python
 * version's pages read them (live events leave them out: every socket would get them again).
 */
export const ApiMessageSchema = Type.Object({
  ...MessageSchema.properties,
  reply_to_username: Nullable(Type.String()),
  reply_to_content: Nullable(Type.String()),
});
export type ApiMessage = Static<typeof ApiMessageSchema>;

export const MessageListQuerySchema = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    before: Type.Optional(RowId),
    after: Type.Optional(RowCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** That message with neighbours on both sides (newest first; `has_newer` says whether more follow). */
    around: Type.Optional(RowId),
  },
  { additionalProperties: false },
);
export type MessageListQuery = Static<typeof MessageListQuerySchema>;

/** Newest first, except `after=` (catch-up), which is oldest first. */
export const MessageListSchema = Type.Object({
  messages: Type.Array(ApiMessageSchema),
  total_count: Type.Integer(),
  page: Type.Integer(),
  page_size: Type.Integer(),
  has_more: Type.Boolean(),
  /** Only with `around=`: newer messages exist past the newest one here. */
  has_newer: Type.Optional(Type.Boolean()),
});
export type MessageList = Static<typeof MessageListSchema>;

export const SendMessageBodySchema = Type.Object(
  {
    content: MessageContent,
    reply_to_id: Type.Optional(ReplyToId),
    client_id: Type.Optional(ClientId),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBodySchema>;

export const EditMessageBodySchema = Type.Object({ content: MessageContent }, { additionalProperties: false });
export const ReactionBodySchema = Type.Object({ emoji: Emoji }, { additionalProperties: false });
export const MessageIdParamsSchema = Type.Object({ id: RowId });

export const FocusingSchema = Type.Object({
  since: Timestamp,
  label: Type.String(),
  /** When the run reaches its target; null for an open-ended run. */
  ends_at: Nullable(Type.String({ format: 'date-time' })),
});
export const OnlineUserSchema = Type.Object({
  id: Type.Integer(),
  username: Nullable(Type.String()),
  display_name: Type.String(),
  status: Type.Union([Type.Literal('online'), Type.Literal('idle')]),
  focusing: Type.Union([FocusingSchema, Type.Null()]),
  /** Focusing with `quiet_while_focusing`: mentions wait for them (shown also when they do not share the run). */
  quiet: Type.Boolean(),
});
export type OnlineUser = Static<typeof OnlineUserSchema>;

/** `GET /api/chat/online`: a page of the list in its order (`protocol/presence.ts`), after `after`. */
export const OnlineQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ONLINE_PAGE_MAX })),
    after: Type.Optional(
      Type.String({ maxLength: 200, pattern: '^[0-9]{1,15}:', errorMessage: 'Must be a cursor: <id>:<display name>' }),
    ),
  },
  { additionalProperties: false },
);
export type OnlineQuery = Static<typeof OnlineQuerySchema>;

export const ChatStatusSchema = Type.Object({
  online_users: Type.Integer(),
  total_messages: Type.Integer(),
  websocket_ready: Type.Literal(true),
});

export interface TypingUser {
  id: number;
  display_name: string;
}

/** Reactions as broadcast: counts only (each client keeps its own `me`, see `reactions.ts`). */
export interface ReactionCount {
  emoji: string;
  count: number;
}

export const ClientEventSchema = Type.Union([
  Type.Object({
    type: Type.Literal('message.send'),
    ref: Type.String({ minLength: 1, maxLength: 64 }),
    content: MessageContent,
    reply_to_id: Type.Optional(Nullable(RowId)),
    client_id: Type.Optional(ClientId),
  }),
  Type.Object({ type: Type.Literal('typing') }),
  Type.Object({ type: Type.Literal('ping') }),
]);
export type ClientEvent = Static<typeof ClientEventSchema>;
