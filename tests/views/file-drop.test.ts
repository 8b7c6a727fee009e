// @vitest-environment happy-dom
// Dropped folders: entries taken during the drop, read recursively in name order, batches included.

import { describe, expect, it } from 'vitest';
import { readDroppedEntries, takeDroppedEntries, type DroppedEntry } from '../../src/views/open/file-drop';

function fileEntry(path: string): DroppedEntry {
  const name = path.split('/').at(-1)!;
  return { isFile: true, isDirectory: false, name, fullPath: path, file: (ok) => ok(new File([path], name)) };
}

/** A folder whose reader answers in batches of `batch` entries, then an empty batch. */
function dirEntry(path: string, children: DroppedEntry[], batch = 2): DroppedEntry {
  return {
    isFile: false,
    isDirectory: true,
    name: path.split('/').at(-1)!,
    fullPath: path,
    createReader() {
      let at = 0;
      return {
        readEntries(ok) {
          const next = children.slice(at, at + batch);
          at += next.length;
          ok(next);
        },
      };
    },
  };
}

describe('dropped folders', () => {
  it('reads every file below the dropped folders, in name order, across reader batches', async () => {
    const entries = [
      fileEntry('/cpu.pb.gz'),
      dirEntry('/leak', [fileEntry('/leak/heap_t3.pb.gz'), dirEntry('/leak/day2', [fileEntry('/leak/day2/heap_fixed.pb.gz')]), fileEntry('/leak/heap_t0.pb.gz'), fileEntry('/leak/allocs.pb.gz')]),
    ];
    const files = await readDroppedEntries(entries);
    expect(await Promise.all(files.map((f) => f.text()))).toEqual([
      '/cpu.pb.gz',
      '/leak/allocs.pb.gz',
      '/leak/day2/heap_fixed.pb.gz',
      '/leak/heap_t0.pb.gz',
      '/leak/heap_t3.pb.gz',
    ]);
  });

  it('takes entries only when a folder was dropped (plain files keep the fast path)', () => {
    const transfer = (entries: DroppedEntry[]) =>
      ({ items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })) }) as unknown as DataTransfer;
    expect(takeDroppedEntries(transfer([fileEntry('/a.pb.gz')]))).toBeNull();
    const folder = dirEntry('/d', []);
    expect(takeDroppedEntries(transfer([fileEntry('/a.pb.gz'), folder]))).toHaveLength(2);
    expect(takeDroppedEntries(null)).toBeNull();
  });
});
