/**
 * JSON text of a document in pieces of about `size` characters, an element of each top-level array at a
 * time. Joined, the pieces are exactly `JSON.stringify(document, null, space)`; but a whole export (the
 * service directory's HSDS file of 200,000 facilities) can be larger than the longest string V8 makes
 * (about 512 MiB), so it goes out as a stream of these instead.
 */
export function* jsonChunks(document: Record<string, unknown>, options: { space?: 0 | 2; size?: number } = {}): Generator<string> {
  const { space = 0, size = 64 * 1024 } = options;
  const newline = space === 0 ? '' : '\n';
  const [inner, innermost] = [' '.repeat(space), ' '.repeat(space * 2)];
  const text = (value: unknown, indent: string) => (JSON.stringify(value, null, space === 0 ? undefined : space) ?? 'null').replace(/\n/g, `\n${indent}`);
  const entries = Object.entries(document).filter(([, value]) => value !== undefined && typeof value !== 'function');
  let pending = '{';
  for (const [index, [key, value]] of entries.entries()) {
    pending += `${index === 0 ? '' : ','}${newline}${inner}${JSON.stringify(key)}:${space === 0 ? '' : ' '}`;
    if (!Array.isArray(value) || value.length === 0) {
      pending += text(value, inner);
      continue;
    }
    pending += '[';
    for (const [position, item] of value.entries()) {
      pending += `${position === 0 ? '' : ','}${newline}${innermost}${text(item, innermost)}`;
      if (pending.length >= size) {
        yield pending;
        pending = '';
      }
    }
    pending += `${newline}${inner}]`;
  }
  pending += entries.length === 0 ? '}' : `${newline}}`;
  yield pending;
}
