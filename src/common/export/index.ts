/** The export serializers, one per format, behind one entry point. */
import { csvRows } from './csv.js';
import { htmlReport } from './html-report.js';
import { markdownDocument } from './markdown.js';
import type { ExportFormat, ExportMeta, ExportSection } from './types.js';
import { wadmCollection } from './wadm.js';

export * from './types.js';
export { qdeProject, type QdpxCode, type QdpxCounts, type QdpxMeta } from './qdpx.js';

/** The output of an export in pieces; the generator's return value is the number of annotations. */
export function serialize(format: ExportFormat, sections: Iterable<ExportSection>, meta: ExportMeta): Generator<string, number> {
  switch (format) {
    case 'jsonld':
      return wadmCollection(sections, meta);
    case 'csv':
      return csvRows(sections, meta);
    case 'md':
      return markdownDocument(sections, meta);
    case 'html':
      return htmlReport(sections, meta);
    case 'qdpx':
      // An archive: its project.qde comes from `qdeProject` and is zipped with the sources by the main process.
      throw new RangeError('qdpx is an archive of several files; write it with the main process\'s exportQdpx');
  }
}
