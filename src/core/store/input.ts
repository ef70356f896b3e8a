// What callers hand the store: checked before anything is applied.
import { decodeFrame } from '../decoder';
import type { DocFacts } from '../facts';
import type { DecodedDocument, FeedDocument, FeedName } from '../types';

/**
 * Of a feed, with the fields every document has (a non-empty string id_call, active 0 or 1, a finite time.start):
 * facts a caller made, as factsOf makes them, or a decoded document.
 */
export function validFacts(feed: unknown, facts: unknown): facts is DocFacts {
  if (feed !== 'calls' && feed !== 'queues' && feed !== 'agents') return false;
  if (typeof facts !== 'object' || facts === null) return false;
  const f = facts as { id_call?: unknown; active?: unknown; time?: { start?: unknown } };
  return typeof f.id_call === 'string' && f.id_call !== '' && (f.active === 0 || f.active === 1)
    && typeof f.time === 'object' && f.time !== null && typeof f.time.start === 'number' && Number.isFinite(f.time.start);
}

/** The document of a frame whose facts were given (it decodes: the facts' maker promised so); undefined if not. */
export function decodedDoc(frame: Buffer, feed: FeedName): FeedDocument | undefined {
  const result = decodeFrame(frame, feed);
  return result.ok ? result.value.doc : undefined;
}

/** A decoded document as the decoder gives it: a feed, and a document with the fields every document has. */
export function validDocument(decoded: unknown): decoded is DecodedDocument {
  if (typeof decoded !== 'object' || decoded === null) return false;
  const { feed, doc } = decoded as { feed?: unknown; doc?: unknown };
  return validFacts(feed, doc);
}
