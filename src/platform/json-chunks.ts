/**
 * Indented JSON text of a document in pieces of about `size` characters, an element of each top-level
 * array at a time. Joined, the pieces are exactly `JSON.stringify(document, null, 2)`; but a whole
 * export (the service directory's HSDS file of 200,000 facilities) can be larger than the longest
 * string V8 makes (about 512 MiB), so it goes out as a stream of these instead.
 */
export function* indentedJsonChunks(document: Record<string, unknown>, size = 64 * 1024): Generator<string> {
  let pending = '';
  const entries = Object.entries(document).filter(([, value]) => value !== undefined && typeof value !== 'function');
  pending += '{';
  for (const [index, [key, value]] of entries.entries()) {
    pending += `${index === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (!Array.isArray(value) || value.length === 0) {
      pending += (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, '\n  ');
      continue;
    }
    pending += '[';
    for (const [position, item] of value.entries()) {
      pending += `${position === 0 ? '' : ','}\n    ${(JSON.stringify(item, null, 2) ?? 'null').replace(/\n/g, '\n    ')}`;
      if (pending.length >= size) {
        yield pending;
        pending = '';
      }
    }
    pending += '\n  ]';
  }
  pending += entries.length === 0 ? '}' : '\n}';
  yield pending;
}
