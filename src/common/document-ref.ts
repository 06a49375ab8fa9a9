/** `DOC` on the command line: a document named by its id or by an unambiguous start of its title. */
import { GlossError } from './errors.js';
import type { DocumentSummary } from './model.js';

/** The document `ref` names among `all`: an id, or the start of a title (case-insensitive, NFC). */
export function findDocument(all: readonly DocumentSummary[], ref: string): DocumentSummary {
  if (/^\d+$/.test(ref)) {
    const byId = all.find((d) => d.id === Number(ref));
    if (byId) return byId;
  }
  const needle = ref.normalize('NFC').toLocaleLowerCase();
  const matches = all.filter((d) => d.title.trim().normalize('NFC').toLocaleLowerCase().startsWith(needle));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new GlossError(`No document matches "${ref}" (give an id or the start of a title; see \`gloss list\`)`, 'document-ref-not-found', { ref });
  throw new GlossError(`"${ref}" matches ${matches.length} documents: ${matches.map((d) => `${d.id} (${d.title})`).join(', ')}; give more of the title or an id`, 'document-ref-ambiguous', { ref, count: matches.length });
}
