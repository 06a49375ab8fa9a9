/**
 * The API's method names and the interface languages, without zod: the renderer and the preload
 * need the list of verbs to build their client, and importing it from `api.ts` would pull zod
 * (and every schema) into the page. A `Record<Method, true>` keeps the list whole: a verb added
 * to the contract and not here (or here and not there) is a compile error.
 */
import type { Method } from './api.js';

const methods: Record<Method, true> = {
  'library.list': true,
  'library.import': true,
  'imports.start': true,
  'imports.status': true,
  'imports.cancel': true,
  'library.remove': true,
  'library.search': true,
  'library.searchPage': true,
  'documents.rename': true,
  'documents.get': true,
  'documents.blocks': true,
  'annotations.list': true,
  'annotations.create': true,
  'annotations.update': true,
  'annotations.delete': true,
  'annotations.undelete': true,
  'tags.list': true,
  'tags.rename': true,
  'tags.recolor': true,
  'tags.merge': true,
  'tags.delete': true,
  'tags.clearUnused': true,
  'tags.undelete': true,
  'settings.get': true,
  'settings.set': true,
  'documents.saveEdit': true,
  'documents.applyEdit': true,
  'documents.updateFromFile': true,
  'documents.revisions': true,
  'documents.restoreRevision': true,
  'annotations.reattach': true,
  'export.annotations': true,
  'export.importAnnotations': true,
  'pairs.list': true,
  'pairs.create': true,
  'pairs.get': true,
  'pairs.delete': true,
  'pairs.autoAlign': true,
  'pairs.link': true,
  'pairs.unlink': true,
  'pairs.merge': true,
  'pairs.confirm': true,
  'pairs.translate': true,
  'pairs.setBlockText': true,
  'pairs.export': true,
  'pairs.importTranslation': true,
  'pairs.addTargetBlock': true,
  'links.create': true,
  'links.delete': true,
  'links.list': true,
  'team.status': true,
  'team.share': true,
  'team.syncNow': true,
  'team.changes': true,
};

export const METHODS = Object.keys(methods) as Method[];

export const UI_LANGUAGES = ['en', 'he'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
