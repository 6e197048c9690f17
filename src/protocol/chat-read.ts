import { Type, type Static } from '@sinclair/typebox';
import { ApiMessageSchema } from './chat.js';
import { RowId } from './schema.js';

export const UnreadStateSchema = Type.Object({
  /** Every message up to this id has been read (0: none yet). */
  last_read_id: Type.Integer(),
  /** Others' live messages after it, up to UNREAD_COUNT_CAP. */
  unread_count: Type.Integer(),
  /** Of those, the ones that mention me, up to UNREAD_COUNT_CAP. */
  mentions_count: Type.Integer(),
});
export type UnreadState = Static<typeof UnreadStateSchema>;

export const ReadBodySchema = Type.Object(
  { last_read_id: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);

export const CursorQuerySchema = Type.Object(
  {
    before: Type.Optional(RowId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);

export const MentionListSchema = Type.Object({
  /** Newest first, with whether each is read (at or before my read position). */
  mentions: Type.Array(Type.Object({ message: ApiMessageSchema, read: Type.Boolean() })),
  has_more: Type.Boolean(),
});
export type MentionList = Static<typeof MentionListSchema>;

export const SearchQuerySchema = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, errorMessage: 'Must be 1–200 characters' }),
    before: Type.Optional(RowId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);

export const SearchResultsSchema = Type.Object({
  /** The words searched for, as the server read the query (see `protocol/search.ts`). */
  terms: Type.Array(Type.String()),
  /** Newest first; `marks` are the matched words in `message.content`, as `[start, end)` pairs. */
  results: Type.Array(
    Type.Object({
      message: ApiMessageSchema,
      marks: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()])),
    }),
  ),
  has_more: Type.Boolean(),
});
export type SearchResults = Static<typeof SearchResultsSchema>;
