/**
 * Exports annotations in the text formats, streaming: documents are loaded one at a time,
 * annotations are read from SQLite in keyset batches (`annotation-rows.ts`), the pure serializers
 * (`src/common/export/`) turn them into pieces of text, and the pieces are handed to `write` in
 * chunks of about 64 KiB, awaiting it when it returns a promise (backpressure). Memory holds one
 * document's text, one batch of rows and one chunk, whatever the number of annotations.
 */
import type { Color } from '../../common/model.js';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GlossError } from '../../common/api.js';
import { isBinaryFormat, serialize, type ExportFormat, type ExportMeta, type ExportSection } from '../../common/export/index.js';
import { normalizeTagPath } from '../../common/tag-path.js';
import type { Library } from '../library.js';
import { annotationRows, countAnnotations, documentsWithAnnotations, type AnnotationFilter } from '../store/annotation-rows.js';
import { appRoot } from '../paths.js';
import { anyLinks } from '../store/links.js';
import { linkedPassages, type TextIndexCache } from './linked-passages.js';

export interface ExportOptions {
  format: ExportFormat;
  /** Documents to export, in this order; all documents holding (qualifying) annotations when absent. */
  documentIds?: readonly number[] | undefined;
  /** Only annotations carrying one of these tags or a tag below one of them. */
  tags?: readonly string[] | undefined;
  /** Only annotations of these colours. */
  colors?: readonly Color[] | undefined;
  /** Overrides for the collection's id and time (tests pin them). */
  generated?: string | undefined;
  id?: string | undefined;
  /** Characters per write (default 64 Ki). */
  chunkSize?: number | undefined;
  /** Rows per database read (default 500). */
  batchSize?: number | undefined;
}

export interface ExportResult {
  format: ExportFormat;
  documents: number;
  annotations: number;
  /** Characters written (UTF-16 units); for an archive, of its project file. */
  characters: number;
  /** Bytes written, for an archive (qdpx). */
  bytes?: number;
  /** Detached annotations left out (qdpx: a selection needs a passage). */
  detached?: number;
}

export type ExportWrite = (chunk: string) => void | Promise<void>;

let version: string | undefined;
export function appVersion(): string | undefined {
  if (version === undefined) {
    try {
      version = String(JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version ?? '');
    } catch {
      version = '';
    }
  }
  return version || undefined;
}

function label(tags: readonly string[]): string {
  return tags.length ? `Gloss annotations tagged ${tags.join(', ')}` : 'Gloss annotations';
}

/** Checks the request before anything is written: unknown documents and tags are errors. */
export function planExport(library: Library, options: Pick<ExportOptions, 'documentIds' | 'tags' | 'colors'>): { documentIds: number[]; filter: AnnotationFilter } {
  const tags = [...new Set((options.tags ?? []).map((t) => normalizeTagPath(t)))];
  if (tags.length) {
    const known = new Set(library.tags().map((t) => t.path));
    for (const t of tags) if (!known.has(t)) throw new GlossError(`No tag "${t}" in the library (see \`gloss tags\`)`, 'tag-not-found', { tag: t });
  }
  const filter: AnnotationFilter = { tags, colors: options.colors?.length ? [...new Set(options.colors)] : undefined };
  let documentIds: number[];
  if (options.documentIds && options.documentIds.length) {
    documentIds = [...new Set(options.documentIds)];
    for (const id of documentIds) library.get(id); // throws not-found
  } else {
    documentIds = documentsWithAnnotations(library.db, filter);
  }
  return { documentIds, filter };
}

/** Exports the text formats; an archive (qdpx) is `exportQdpx`'s (`qdpx.ts`), which writes bytes. */
export async function exportAnnotations(library: Library, options: ExportOptions, write: ExportWrite): Promise<ExportResult> {
  if (isBinaryFormat(options.format)) throw new RangeError(`${options.format} is an archive: export it with exportQdpx`);
  const { documentIds, filter } = planExport(library, options);
  const batchSize = options.batchSize ?? 500;
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const meta: ExportMeta = {
    generated: options.generated ?? new Date().toISOString(),
    id: options.id ?? `urn:uuid:${randomUUID()}`,
    label: label(filter.tags ?? []),
  };
  const v = appVersion();
  if (v) meta.version = v;
  // Linked annotations: a second target in JSON-LD, a `link` column in CSV (only when there are links).
  const linked = anyLinks(library.db, documentIds);
  if (linked) meta.links = true;
  const linkTexts: TextIndexCache = new Map();

  function* sections(): Generator<ExportSection> {
    for (const id of documentIds) {
      const doc = library.get(id);
      yield {
        document: doc,
        annotations: () => annotationRows(library.db, id, filter, batchSize),
        count: countAnnotations(library.db, id, filter),
        ...(linked ? { links: linkedPassages(library.db, id, linkTexts) } : {}),
      };
    }
  }

  const pieces = serialize(options.format, sections(), meta);
  let buffer = '';
  let characters = 0;
  let total = 0;
  for (;;) {
    const step = pieces.next();
    if (step.done) {
      total = step.value;
      break;
    }
    buffer += step.value;
    if (buffer.length >= chunkSize) {
      characters += buffer.length;
      const chunk = buffer;
      buffer = '';
      await write(chunk);
    }
  }
  if (buffer) {
    characters += buffer.length;
    await write(buffer);
  }
  return { format: options.format, documents: documentIds.length, annotations: total, characters };
}

/**
 * A `write` for a Node stream (a file, stdout) that honours backpressure: when the stream's buffer
 * is full it waits for `drain`; a stream error (a full disk, a closed pipe) rejects the next write.
 */
export function streamWriter(stream: NodeJS.WritableStream): (chunk: string | Uint8Array) => Promise<void> {
  let failure: Error | undefined;
  stream.on('error', (e: Error) => {
    failure ??= e;
  });
  return async (chunk) => {
    if (failure) throw failure;
    if (!stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('close', closed);
          stream.off('error', done);
          resolve();
        };
        const closed = () => {
          failure ??= new Error('the output closed before the export was written');
          done();
        };
        stream.on('drain', done);
        stream.on('close', closed);
        stream.on('error', done);
      });
    }
    if (failure) throw failure;
  };
}
