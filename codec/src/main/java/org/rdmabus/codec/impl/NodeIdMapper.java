package org.rdmabus.codec.impl;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.agrona.DirectBuffer;

/**
 * Maps a node id's UTF-8 bytes to 128 bits, reusably and without allocating after construction.
 * <p>
 * A canonical lower-case UUID whose version is not 8 maps to its own bits, so Vert.x's usual node ids
 * ({@code UUID.randomUUID()}, version 4) cost nothing and map back to the same text. Any other id maps to the
 * first 128 bits of its SHA-256, stamped as an RFC 9562 version-8 UUID; since verbatim ids are never version 8,
 * the version nibble alone says which way an id was mapped.
 */
public final class NodeIdMapper {
    /** The UUID version that marks derived (hashed) ids. */
    public static final int DERIVED_VERSION = 8;

    private static final int UUID_TEXT_LENGTH = 36;

    private final MessageDigest sha256;
    private final byte[] input;
    private final byte[] digest = new byte[32];
    private long mostSignificantBits;
    private long leastSignificantBits;

    /** @param maxLength the longest id, in bytes, this mapper will be given. */
    public NodeIdMapper(int maxLength) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        input = new byte[maxLength];
    }

    /** @return the most significant bits of the last mapped id. */
    public long mostSignificantBits() {
        return mostSignificantBits;
    }

    /** @return the least significant bits of the last mapped id. */
    public long leastSignificantBits() {
        return leastSignificantBits;
    }

    /**
     * Maps an id; read the result with {@link #mostSignificantBits()} and {@link #leastSignificantBits()}.
     *
     * @param buffer the id's UTF-8 bytes.
     * @param offset where they start.
     * @param length how many, at most the length given at construction.
     */
    public void map(DirectBuffer buffer, int offset, int length) {
        if (!parseVerbatimUuid(buffer, offset, length)) {
            hash(buffer, offset, length);
        }
    }

    /**
     * @param mostSignificantBits the high half of an id.
     * @return whether the id was derived by hashing (so its text must be learned from a HELLO).
     */
    public static boolean isDerived(long mostSignificantBits) {
        return ((mostSignificantBits >>> 12) & 0xF) == DERIVED_VERSION;
    }

    private boolean parseVerbatimUuid(DirectBuffer buffer, int offset, int length) {
        if (length != UUID_TEXT_LENGTH) {
            return false;
        }
        long high = 0;
        long low = 0;
        int digits = 0;
        for (int i = 0; i < UUID_TEXT_LENGTH; i++) {
            int c = buffer.getByte(offset + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
                continue;
            }
            int nibble = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (nibble < 0) {
                return false;
            }
            if (digits < 16) {
                high = (high << 4) | nibble;
            } else {
                low = (low << 4) | nibble;
            }
            digits++;
        }
        if (isDerived(high)) {
            return false;
        }
        mostSignificantBits = high;
        leastSignificantBits = low;
        return true;
    }

    private void hash(DirectBuffer buffer, int offset, int length) {
        buffer.getBytes(offset, input, 0, length);
        sha256.reset();
        sha256.update(input, 0, length);
        try {
            sha256.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest does not fit 32 bytes", e);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (digest[i] & 0xFF);
            low = (low << 8) | (digest[8 + i] & 0xFF);
        }
        mostSignificantBits = (high & ~0xF000L) | ((long) DERIVED_VERSION << 12);
        leastSignificantBits = (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    }
}
