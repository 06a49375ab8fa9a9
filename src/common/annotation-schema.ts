/**
 * The one schema of an annotation: the model's `Annotation` type is inferred from it, so the two
 * cannot drift apart, and a payload that carried one would be checked against it. (None does now:
 * the API has no verb that stores a record a client built; undo of a delete is
 * `annotations.undelete`, from the library's own tombstone.)
 */
import { z } from 'zod';
import { COLORS } from './model.js';

/** Limits shared by every way in (the app, the command line, imports). */
export const MAX_NOTE_LENGTH = 100_000;
export const MAX_QUOTE_LENGTH = 1_000_000;
export const MAX_TAGS = 100;
export const MAX_TAG_PATH_LENGTH = 400;

const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const annotationSchema = z
  .object({
    id: z.uuid(),
    documentId: z.number().int().positive(),
    /** UTF-16 offsets into the canonical text. */
    start: offset,
    end: offset,
    exact: z.string().max(MAX_QUOTE_LENGTH),
    prefix: z.string().max(1_000),
    suffix: z.string().max(1_000),
    color: z.enum(COLORS),
    note: z.string().max(MAX_NOTE_LENGTH),
    status: z.enum(['anchored', 'orphaned']),
    tags: z.array(z.string().min(1).max(MAX_TAG_PATH_LENGTH)).max(MAX_TAGS),
    created: z.iso.datetime({ offset: true }),
    modified: z.iso.datetime({ offset: true }),
    /** Who wrote it, when it came from elsewhere (a Word comment's author); absent for the user's own. */
    author: z.string().min(1).max(500).optional(),
  })
  .strict()
  .refine((a) => a.end >= a.start, { message: 'end is before start', path: ['end'] });

/** An annotation, shaped after a W3C Web Annotation with a position and a quote selector. */
export type Annotation = z.infer<typeof annotationSchema>;
