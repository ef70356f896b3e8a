// What callers hand the store: checked before anything is applied.
import { decodeFrame } from '../decoder';
import type { DocFacts } from '../facts';
import type { DecodedDocument, FeedDocument, FeedName } from '../types';

/** Facts a caller made: of a feed, with the fields every document has, as factsOf makes them. */
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

export function validDocument(decoded: unknown): decoded is DecodedDocument {
  if (typeof decoded !== 'object' || decoded === null) return false;
  const { feed, doc } = decoded as { feed?: unknown; doc?: unknown };
  if (feed !== 'calls' && feed !== 'queues' && feed !== 'agents') return false;
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as { id_call?: unknown; active?: unknown; time?: { start?: unknown } };
  return typeof d.id_call === 'string' && d.id_call !== '' && (d.active === 0 || d.active === 1)
    && typeof d.time === 'object' && d.time !== null && typeof d.time.start === 'number' && Number.isFinite(d.time.start);
}
