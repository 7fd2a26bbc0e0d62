// Column builders and Arrow vector construction.
//
// Dictionary-encoded columns are built against the store's global, append-only
// dictionaries (kept in the manifest) instead of per-batch dictionaries: an
// index means the same string in every part file of every run, so readers can
// compare codes across files without looking at strings. (apache-arrow's
// builders would assign fresh ids per batch/file — the known trap.)
import {
  Bool, Dictionary, Field, Float64, Int16, Int32, Int8, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray,
  type Data, type DataType, type Vector,
} from 'apache-arrow';

/** An append-only string dictionary whose codes never change once given. */
export class StableDictionary {
  private readonly codes = new Map<string, number>();
  constructor(readonly values: string[] = []) {
    values.forEach((v, i) => this.codes.set(v, i));
  }
  code(value: string): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(value);
      this.codes.set(value, c);
    }
    return c;
  }
  find(value: string): number | undefined {
    return this.codes.get(value);
  }
}

type NumArray = Int8Array | Int16Array | Int32Array | Float64Array | Uint8Array;
type NumCtor = { new (n: number): NumArray };

/** A growable typed array. */
export class NumColumn {
  data: NumArray;
  length = 0;
  constructor(private readonly ctor: NumCtor, capacity = 1024) {
    this.data = new ctor(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.ctor(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): NumArray {
    return this.data.subarray(0, this.length);
  }
}

export function validityBitmap(valid: (i: number) => boolean, length: number): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (valid(i)) bitmap[i >> 3] |= 1 << (i & 7);
    else nullCount++;
  }
  return { bitmap, nullCount };
}

export function dictType(id: number, index: 'i8' | 'i16' | 'i32'): Dictionary<Utf8, Int8 | Int16 | Int32> {
  const idx = index === 'i8' ? new Int8() : index === 'i16' ? new Int16() : new Int32();
  return new Dictionary(new Utf8(), idx, id);
}

/** The dictionary as one Vector, to be shared by every batch of a file (see dictData). */
export function dictVector(values: string[]): Vector<Utf8> {
  return vectorFromArray(values, new Utf8());
}

/**
 * A dictionary column over a shared dictionary Vector. Every batch of one file
 * must pass the same Vector object: the IPC writer emits a dictionary batch
 * whenever the object changes, which the file format forbids (replacement).
 */
export function dictData(type: Dictionary, dictionary: Vector<Utf8>, codes: Int8Array | Int16Array | Int32Array): Data {
  return makeData({ type, length: codes.length, nullCount: 0, data: codes, dictionary });
}

export function numData(type: Int8 | Int16 | Int32 | Float64, values: NumArray, nulls?: Uint8Array | null, nullCount = 0): Data {
  return makeData({ type, length: values.length, nullCount, data: values as never, nullBitmap: nullCount ? nulls ?? undefined : undefined } as never);
}

export function boolData(values: Uint8Array): Data {
  const bits = validityBitmap((i) => values[i] !== 0, values.length).bitmap;
  return makeData({ type: new Bool(), length: values.length, nullCount: 0, data: bits });
}

export function utf8Data(values: (string | null)[]): Data {
  return vectorFromArray(values, new Utf8()).data[0];
}

export function batchOf(schema: Schema, children: Data[]): RecordBatch {
  const length = children[0]?.length ?? 0;
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}

export function field(name: string, type: DataType, nullable = false): Field {
  return new Field(name, type, nullable);
}

export { Float64, Int16, Int32, Int8, Utf8, Bool, Schema };
