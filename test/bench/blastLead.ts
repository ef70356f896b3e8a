// The frame server's bound on how far a blast runs ahead of its client, shared by the server and the clients that
// report to it (a module of its own: frame-server.ts starts the server when it is loaded).

/**
 * How far a blast may run ahead of the client. Without a bound the three sockets' kernel buffers (megabytes on
 * loopback) let one feed run thousands of frames ahead of the others, as the client reads them by bytes, not by
 * frames; a call's last queue and agent documents then arrive after the call has left the recently-ended list, and
 * change nothing: such runs did a third less work. 3,000 frames is well within the 500 recently ended calls (about
 * 5,000 frames of this stream) and keeps megabytes in flight.
 */
export const BLAST_LEAD = 3000;
/** How often (in frames) a client of a blast reports what it has handled. */
export const BLAST_REPORT_EVERY = 500;
