// The frame scanner's one source of shared numbers: its memory layout, value kinds, rules and result codes. Both
// halves import this file: frameScan.as.ts (AssemblyScript, compiled into frameScanWasm.ts by npm run build:wasm)
// and frameScan.ts (which reads the wasm memory). Only `export const NAME = <integer>;` lines, so it is valid
// AssemblyScript (an i32) and TypeScript alike; test/unit/frameScanLayout.test.ts checks the compiled module agrees.

// ----- Memory layout (bytes). The wasm's layout() reports the offsets the JS half reads.
export const SLOTS = 64;
export const REQUIRED_SLOTS = 4;   // slots 0..3: id_call, active, time, time.start
export const SLOT_KIND = 4096;       // u8 per slot
export const SLOT_NUM = 4224;        // f64 per slot
export const SLOT_A = 4736;          // i32 per slot: intern id, or a list's first item
export const SLOT_S = 4992;          // i32 per slot: start offset, or a list's item count
export const SLOT_E = 5248;          // i32 per slot: end offset
export const KEY_IN = 5632;          // a key's bytes for defineKey (up to 256)
export const KEY_IN_MAX = 256;
export const GEN_AT = 5888;          // i32: the intern table's generation (changes when it is cleared)
export const PATHS = 8192;           // known keys: 1024 entries x 32 bytes
export const PATH_SLOTS = 1024;
export const KEYS = 40960;           // their bytes
export const KEYS_END = 49152;
export const NODE_LENS = 49152;      // u64 per node: bit min(len, 63) set when the node has a known key of that length
export const NODES = 512;
export const KEY_AT = 57344;         // i32 per known-key entry: where its pattern `"key":` is (in KEYS)
export const NEXT_AT = 61440;        // i32 per known-key entry: the entry of the known key that followed it last time
export const NODE_FIRST = 6144;      // i32 per node: the entry of its first known key last time
export const ITEMS = 65536;          // list items: ITEM_MAX x ITEM_BYTES
export const ITEM_MAX = 16384;
export const ITEM_BYTES = 24;      // kind i32, intern id i32, start i32, end i32, then a number f64 at +16
export const ITABLE = 458752;        // intern table: 16384 slots x (hash u32, offset i32, len i32, id+1 i32)
export const ITABLE_SLOTS = 16384;
export const INTERN_MAX = 8192;      // ids before the table is cleared (the JS half clears its strings too)
export const INTERN_LEN_MAX = 256;   // longer strings are not interned
export const IARENA = 720896;        // interned bytes
export const IARENA_END = 1245184;
export const INPUT = 1245184;        // the frame; memory is sized for MAX_FRAME_BYTES (1 MiB) after it, and PAD more
export const PAD = 64;               // bytes after the frame that wide loads (v128, u64) may read but never act on

// ----- Value kinds in a slot / item.
export const K_NONE = 0;
export const K_STR = 1;              // interned string, A = id, S/E = the bytes inside the quotes
export const K_STR_RAW = 2;          // string without escapes, not interned, S/E inside the quotes
export const K_STR_ESC = 3;          // string with escapes, S/E include the quotes (JSON.parse that slice)
export const K_NUM = 4;              // exact number in NUM
export const K_NUM_TEXT = 5;         // a finite number the caller converts: Number(latin1 text of S/E)
export const K_OBJ = 6;              // an object (its known keys have their own slots)
export const K_LIST = 7;             // A = first item, S = item count

// ----- Rules (decoder.ts Rule).
export const R_NONE = 0;             // not a known key: only validated, hostile keys and depth checked
export const R_TEXT = 1;             // 'id' | 'text': string, or finite number (stringified)
export const R_FLAG = 2;             // 0/1/true/false
export const R_NUM = 3;              // 'ts' | 'num': finite number, or a plain decimal numeric string
export const R_NUMTEXT = 4;          // 'numOrText': string or finite number, kept as is
export const R_LIST = 5;             // array: strings and finite numbers kept, other items left out
export const R_OBJ = 6;              // object with its own known keys
export const R_OBJNUM = 7;           // object, or as R_NUM

// ----- Results of scan().
export const E_OK = 0;
export const E_JSON = 1;
export const E_NOT_OBJECT = 2;
export const E_DEEP = 3;
export const E_HOSTILE = 4;
export const E_ESCAPED_KEY = 5;
export const E_DUPLICATE = 6;
export const E_TYPE = 7;             // a known key's value the decoder would drop
export const E_NUMBER = 8;           // a number not decided here (1.0 as a flag, a possible overflow)
export const E_ESCAPED_NUMBER = 9;   // a numeric string with escapes at a number path
export const E_MISSING = 10;         // a required slot (0..REQUIRED_SLOTS-1) is absent
export const E_ITEMS = 11;           // more list items than ITEMS holds
