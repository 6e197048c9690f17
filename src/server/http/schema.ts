import { Type } from '@sinclair/typebox';

export const ErrorSchema = Type.Object(
  {
    detail: Type.Union([
      Type.String(),
      Type.Array(
        Type.Object({
          loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
          msg: Type.String(),
          type: Type.String(),
        }),
      ),
    ]),
    code: Type.String(),
    request_id: Type.Optional(Type.String()),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { description: 'Every error: a human sentence (or validation items) and a stable code' },
);

/** Response schemas for the errors a route can give, by status. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorSchema]));
}

/** Routes that need a session: a Bearer token, or the token Swagger UI's "Authorize" gets from /auth/login. */
export const SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { password: [] }];
