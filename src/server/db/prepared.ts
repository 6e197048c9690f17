import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './database.js';

/** Stands for the value at `index` while a statement is built once (`prepared`). */
class Placeholder {
  constructor(readonly index: number) {}
}

interface Template {
  sql: string;
  /** Per parameter: the index of the value it takes, or -1 for a value fixed in the statement. */
  slots: number[];
  fixed: readonly unknown[];
}

/**
 * A statement of a hot path that Kysely builds and compiles once per database, then runs with new
 * values: building and compiling it again on every call was about 80 µs of CPU per chat send,
 * nearly a third of its database work (docs/performance.md). `build` gets a stand-in for each value,
 * to put where that value goes; nothing else in it may depend on the values. Run what it returns on
 * that database or on one of its transactions (`db.executeQuery` / `trx.executeQuery`).
 */
export function prepared<Values extends readonly unknown[], Row>(
  build: (db: Db, ...values: Values) => Compilable<Row>,
): (db: Db, ...values: Values) => CompiledQuery<Row> {
  const templates = new WeakMap<Db, Template>();
  return (db, ...values) => {
    let template = templates.get(db);
    if (template === undefined) {
      const stand = values.map((_, index) => new Placeholder(index)) as unknown as Values;
      const { sql, parameters } = build(db, ...stand).compile();
      const slots = parameters.map((parameter) => (parameter instanceof Placeholder ? parameter.index : -1));
      template = { sql, slots, fixed: parameters };
      templates.set(db, template);
    }
    const { sql, slots, fixed } = template;
    return CompiledQuery.raw(
      sql,
      slots.map((slot, i) => (slot === -1 ? fixed[i] : values[slot])),
    );
  };
}
