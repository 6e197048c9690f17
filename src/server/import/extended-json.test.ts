import { describe, expect, it } from 'vitest';
import { decodeExtendedJson, ExtendedJsonError, LegacyDate, parseLegacyTime } from './extended-json.js';

describe('decodeExtendedJson', () => {
  it('reads relaxed mode', () => {
    const doc = JSON.parse(
      '{"_id":{"$oid":"65B6A1F0C2D3E4F5A6B7C8D9"},"age":25,"at":{"$date":"2026-01-28T10:00:00.000Z"},"ok":true,"x":null}',
    ) as unknown;
    expect(decodeExtendedJson(doc)).toEqual({
      _id: '65b6a1f0c2d3e4f5a6b7c8d9',
      age: 25,
      at: new LegacyDate(Date.UTC(2026, 0, 28, 10)),
      ok: true,
      x: null,
    });
  });

  it('reads canonical mode', () => {
    const doc = JSON.parse(
      '{"age":{"$numberInt":"25"},"n":{"$numberLong":"9007199254740991"},"d":{"$numberDouble":"1.5"},"at":{"$date":{"$numberLong":"1769594400000"}}}',
    ) as unknown;
    expect(decodeExtendedJson(doc)).toEqual({
      age: 25,
      n: 9007199254740991,
      d: 1.5,
      at: new LegacyDate(1769594400000),
    });
  });

  it('refuses types it does not know and malformed wrappers', () => {
    expect(() => decodeExtendedJson({ b: { $binary: { base64: '', subType: '00' } } })).toThrow(
      /unknown field type \$binary/,
    );
    expect(() => decodeExtendedJson({ n: { $numberDecimal: '1.0' } })).toThrow(ExtendedJsonError);
    expect(() => decodeExtendedJson({ _id: { $oid: 'xyz' } })).toThrow(/24 hexadecimal/);
    expect(() => decodeExtendedJson({ at: { $date: 'yesterday' } })).toThrow(/not an ISO/);
  });
});

describe('parseLegacyTime', () => {
  it('reads an IST-aware value as the instant it names, and a naive one as UTC', () => {
    expect(parseLegacyTime('2026-01-28T15:30:00+05:30')).toBe(Date.UTC(2026, 0, 28, 10, 0));
    expect(parseLegacyTime('2026-01-28T10:00:00.123')).toBe(Date.UTC(2026, 0, 28, 10, 0, 0, 123));
    expect(parseLegacyTime('2026-01-28 10:00:00')).toBe(Date.UTC(2026, 0, 28, 10, 0));
    expect(parseLegacyTime('2026-01-28T10:00:00Z')).toBe(Date.UTC(2026, 0, 28, 10, 0));
  });
});
