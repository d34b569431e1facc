package org.rdmabus.verbs.rdma.impl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One non-empty slot of a port's GID table.
 *
 * @param index the table index, as verbs' {@code sgid_index}.
 * @param type  the RoCE version or InfiniBand.
 * @param gid   the 16 GID bytes.
 */
public record GidEntry(int index, GidType type, byte[] gid) {
    /** Length of a GID in bytes. */
    public static final int LENGTH = 16;

    /** Validates and copies the GID. */
    public GidEntry {
        Objects.requireNonNull(type, "type");
        if (gid.length != LENGTH) {
            throw new IllegalArgumentException("a GID has 16 bytes, not " + gid.length);
        }
        gid = gid.clone();
    }

    /** @return a copy of the GID bytes. */
    @Override
    public byte[] gid() {
        return gid.clone();
    }

    /** @return whether every byte is zero, as in an unconfigured slot. */
    public boolean isZero() {
        for (byte b : gid) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return whether the GID is an IPv4 address mapped into IPv6 ({@code ::ffff:a.b.c.d}). */
    public boolean isIpv4Mapped() {
        for (int i = 0; i < 10; i++) {
            if (gid[i] != 0) {
                return false;
            }
        }
        return gid[10] == (byte) 0xff && gid[11] == (byte) 0xff;
    }

    /** @return whether the GID is an IPv6 link-local address ({@code fe80::/10}), which does not route. */
    public boolean isLinkLocal() {
        return gid[0] == (byte) 0xfe && (gid[1] & 0xc0) == 0x80;
    }

    /** @return the GID as an IP address string, the way rdma-core's tools print it. */
    public String address() {
        try {
            return InetAddress.getByAddress(gid).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes always form an IPv6 address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GidEntry other && index == other.index && type == other.type
            && Arrays.equals(gid, other.gid);
    }

    @Override
    public int hashCode() {
        return (index * 31 + type.hashCode()) * 31 + Arrays.hashCode(gid);
    }

    @Override
    public String toString() {
        return "gid[" + index + "] " + (isIpv4Mapped() ? "::ffff:" + ipv4() : address()) + " " + type.label();
    }

    private String ipv4() {
        return (gid[12] & 0xff) + "." + (gid[13] & 0xff) + "." + (gid[14] & 0xff) + "." + (gid[15] & 0xff);
    }
}
