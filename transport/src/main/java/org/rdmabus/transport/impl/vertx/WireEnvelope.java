package org.rdmabus.transport.impl.vertx;

import io.vertx.core.buffer.Buffer;

/**
 * Checks every length in a frame of Vert.x's clustered wire encoding against the frame itself, before Vert.x reads
 * it. Vert.x trusts those lengths: its buffer allocates the array a length asks for before checking that the bytes
 * exist, so one hostile length field (an address, a header, a string body) would make the receiving node allocate up
 * to 2 GiB. Over the channel a frame is bounded by the maximum message size, and after this check so is everything
 * Vert.x allocates for it.
 *
 * <p>The layout is the one {@code ClusteredMessage.encodeToWire} writes (wire version 2, unchanged in Vert.x 5.1):
 * <pre>
 *   int    length of the rest (checked by the dispatcher)
 *   byte   wire version
 *   byte   codec id: a system codec 0..17, or -1 then int length + codec name
 *   byte   send (0) or publish (1)
 *   int    length + address
 *   int    length + reply address (0: none)
 *   int    length + sender node id
 *   int    headers length: 4 for none, else it counts itself, then int count, then count x (int + key, int + value)
 *   ...    body, as the codec wrote it
 * </pre>
 * Bodies of the system codecs are checked too, and must end exactly where the frame ends; a user codec's body is its
 * own business. Stateless.
 */
final class WireEnvelope {

    private static final int PREFIX = 4;
    private static final int USER_CODEC = -1;
    private static final int SYSTEM_CODECS = 18;
    private static final int NO_HEADERS = 4;
    /** Body size of each system codec with a fixed size, by codec id; -1 for the codecs whose body is variable. */
    private static final int[] FIXED_BODY = {
        0, // null
        0, // ping
        1, // byte
        1, // boolean
        2, // short
        4, // int
        8, // long
        4, // float
        8, // double
        -1, // string: int length + UTF-8
        2, // char
        -1, // buffer: int length + bytes
        -1, // byte[]: int length + bytes
        -1, // JSON object: int length + text
        -1, // JSON array: int length + text
        -1, // reply exception: byte, int, byte null flag [, int length + message]
        -1, // cluster serializable: int length + class name, then the object's own bytes
        -1, // serializable: int length + bytes
    };

    private WireEnvelope() {
    }

    /**
     * Checks a frame.
     *
     * @param frame one message with its 4-byte length prefix, whose prefix the caller has checked
     * @return {@code null} when every length fits, otherwise what does not
     */
    static String check(Buffer frame) {
        Reader reader = new Reader(frame);
        reader.skip(PREFIX + 1, "wire version");
        int codec = reader.readByte("codec id");
        if (codec == USER_CODEC) {
            reader.skipLengthPrefixed("codec name");
        } else if (codec < 0 || codec >= SYSTEM_CODECS) {
            return "unknown system codec id " + codec;
        }
        reader.skip(1, "send flag");
        reader.skipLengthPrefixed("address");
        reader.skipLengthPrefixed("reply address");
        reader.skipLengthPrefixed("sender");
        checkHeaders(reader);
        if (codec != USER_CODEC) {
            checkBody(reader, codec);
        }
        return reader.failure;
    }

    private static void checkHeaders(Reader reader) {
        int start = reader.position;
        int length = reader.readInt("headers length");
        if (reader.failure != null || length == NO_HEADERS) {
            return;
        }
        if (length < 8 || (long) start + length > reader.end) {
            reader.fail("headers length " + length + " at " + start + " does not fit a frame of " + reader.end + " bytes");
            return;
        }
        int count = reader.readInt("header count");
        int end = start + length;
        for (int i = 0; i < count && reader.failure == null; i++) {
            reader.skipLengthPrefixed("header name");
            reader.skipLengthPrefixed("header value");
            if (reader.position > end) {
                reader.fail("header " + i + " runs past the headers' end at " + end);
            }
        }
        if (reader.failure == null && (count < 0 || reader.position != end)) {
            reader.fail("the headers (" + count + ") do not fill their declared length " + length);
        }
    }

    private static void checkBody(Reader reader, int codec) {
        if (reader.failure != null) {
            return;
        }
        int fixed = FIXED_BODY[codec];
        if (fixed >= 0) {
            reader.skip(fixed, "body");
        } else if (codec == 15) {
            reader.skip(5, "reply failure and code");
            if (reader.readByte("reply message flag") != 0) {
                reader.skipLengthPrefixed("reply message");
            }
        } else {
            reader.skipLengthPrefixed("body");
            if (codec == 16) {
                return; // the object's own bytes follow the class name
            }
        }
        if (reader.failure == null && reader.position != reader.end) {
            reader.fail("the body of codec " + codec + " ends at " + reader.position + ", not at the frame's end " + reader.end);
        }
    }

    /** A bounds-checked cursor; the first failure sticks and stops every later read. */
    private static final class Reader {
        private final Buffer frame;
        private final int end;
        private int position;
        private String failure;

        Reader(Buffer frame) {
            this.frame = frame;
            this.end = frame.length();
        }

        void fail(String why) {
            if (failure == null) {
                failure = why;
            }
        }

        void skip(int bytes, String what) {
            if (failure == null && (long) position + bytes > end) {
                fail(what + " (" + bytes + " bytes at " + position + ") runs past the frame's end " + end);
            }
            position += bytes;
        }

        int readByte(String what) {
            int at = position;
            skip(1, what);
            return failure == null ? frame.getByte(at) : 0;
        }

        int readInt(String what) {
            int at = position;
            skip(4, what);
            return failure == null ? frame.getInt(at) : 0;
        }

        void skipLengthPrefixed(String what) {
            int length = readInt(what + " length");
            if (failure == null && length < 0) {
                fail(what + " length " + length + " is negative");
            }
            skip(length, what);
        }
    }
}
