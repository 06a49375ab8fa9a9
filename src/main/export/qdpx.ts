/**
 * `gloss export --format qdpx`: a REFI-QDA project (`.qdpx`), a zip of `project.qde` (written by
 * the pure `common/export/qdpx.ts`) and one `sources/<guid>.txt` per document (its canonical text,
 * UTF-8), which the selections' positions count in.
 *
 * The folder is `sources/`, lower case: the standard names it so, ATLAS.ti refuses `Sources/`, and
 * the readers that accept both (QualCoder, Gloss) read it too.
 *
 * Streamed like the other exports: fflate's streaming `Zip` deflates each entry as its pieces come
 * (the sources one document at a time, then the project as the serializer yields it), and the
 * compressed chunks go to `write` with backpressure awaited, so memory holds one document's text
 * and one chunk, not the archive. GUIDs are derived from what they name (a tag path, a content
 * hash, an annotation id), so exporting twice gives the same project.
 */
import { strToU8, Zip, ZipDeflate } from 'fflate';
import type { Color } from '../../common/model.js';
import { HIGHLIGHT_CSS } from '../../common/export/palette.js';
import { guidKey, qdeProject, type QdpxCode } from '../../common/export/qdpx.js';
import type { ExportSection } from '../../common/export/types.js';
import { canonicalText } from '../../common/text/canonical.js';
import { tagAncestors } from '../../common/tag-path.js';
import type { Library } from '../library.js';
import { annotationRows, countAnnotations } from '../store/annotation-rows.js';
import { appVersion, planExport, type ExportOptions, type ExportResult } from './export-service.js';
import { nameUuid } from './incoming.js';

export type BinaryWrite = (chunk: Uint8Array) => void | Promise<void>;

/** The name of the library's own user in the project (the creator of annotations made in Gloss). */
export const OWN_USER_NAME = 'Gloss';

/** The GUID of anything, from the key that names it (see `guidKey`). */
export const qdpxGuid = (key: string): string => nameUuid(key);

/** Compressed bytes gathered before a write. */
const CHUNK = 64 * 1024;

export async function exportQdpx(library: Library, options: ExportOptions, write: BinaryWrite): Promise<ExportResult> {
  const { documentIds, filter } = planExport(library, options);
  const batchSize = options.batchSize ?? 500;
  const generated = options.generated ?? new Date().toISOString();
  const db = library.db;

  // The codebook and the users: the tags and authors of the annotations that go out, and for each
  // tag without a colour of its own, the highlight colour its annotations use most.
  const tagColors = new Map(library.tags().map((t) => [t.path, t.color]));
  const used = new Map<string, Map<Color, number>>();
  const authors = new Set<string>();
  for (const id of documentIds) {
    for (const a of annotationRows(db, id, filter, batchSize)) {
      if (a.status !== 'anchored') continue;
      if (a.author) authors.add(a.author);
      for (const t of a.tags) {
        const byColor = used.get(t) ?? new Map<Color, number>();
        byColor.set(a.color, (byColor.get(a.color) ?? 0) + 1);
        used.set(t, byColor);
      }
    }
  }
  const codes: QdpxCode[] = [];
  const paths = new Set([...used.keys()].flatMap(tagAncestors));
  for (const path of paths) {
    const own = tagColors.get(path);
    const byColor = used.get(path);
    const most = byColor ? [...byColor.entries()].sort((a, b) => b[1] - a[1])[0]![0] : undefined;
    codes.push({ path, color: own ?? (most ? HIGHLIGHT_CSS[most] : undefined) });
  }

  const sections = function* (): Generator<ExportSection> {
    for (const id of documentIds) {
      yield { document: library.get(id), annotations: () => annotationRows(db, id, filter, batchSize), count: countAnnotations(db, id, filter) };
    }
  };
  const single = documentIds.length === 1 ? library.get(documentIds[0]!).title : undefined;
  const version = appVersion();

  // The zip's output, gathered into chunks of about 64 KiB.
  const ready: Uint8Array[] = [];
  let readyBytes = 0;
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure ??= err;
    else if (data.length) {
      ready.push(data);
      readyBytes += data.length;
    }
  });
  let bytes = 0;
  const flush = async (all: boolean) => {
    if (failure) throw failure;
    if (readyBytes === 0 || (!all && readyBytes < CHUNK)) return;
    const out = new Uint8Array(readyBytes);
    let at = 0;
    for (const d of ready) {
      out.set(d, at);
      at += d.length;
    }
    ready.length = 0;
    readyBytes = 0;
    bytes += out.length;
    await write(out);
  };
  const entry = (name: string): ZipDeflate => {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = generated;
    zip.add(file);
    return file;
  };

  for (const id of documentIds) {
    const doc = library.get(id);
    entry(`sources/${qdpxGuid(guidKey.source(doc.contentHash))}.txt`).push(strToU8(canonicalText(doc.blocks)), true);
    await flush(false);
  }
  const project = entry('project.qde');
  const pieces = qdeProject(sections, {
    name: single ?? 'Gloss annotations',
    origin: version ? `Gloss ${version}` : 'Gloss',
    generated,
    user: { guid: qdpxGuid(guidKey.ownUser), name: OWN_USER_NAME },
    authors: [...authors],
    codes,
    guid: qdpxGuid,
    sourceGuid: (hash) => qdpxGuid(guidKey.source(hash)),
  });
  let text = '';
  let characters = 0;
  for (;;) {
    const step = pieces.next();
    if (step.done) {
      project.push(strToU8(text), true);
      zip.end();
      await flush(true);
      return { format: 'qdpx', documents: step.value.documents, annotations: step.value.annotations, characters: characters + text.length, bytes, detached: step.value.detached };
    }
    text += step.value;
    if (text.length >= CHUNK) {
      characters += text.length;
      project.push(strToU8(text));
      text = '';
      await flush(false);
    }
  }
}
