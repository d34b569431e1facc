package org.rdmabus.verbs.rdma.impl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.rdmabus.verbs.TargetAddress;

/**
 * The {@code rdma} provider's part of a {@link TargetAddress}: how to reach a port, plus what a connection
 * needs that the target number and access key do not say.
 * <pre>
 *   0       1       2       3       4 ... 19            20..23         24
 *  +-------+-------+-------+-------+---------------+--------------+--------+
 *  |version| kind  |  mtu  | port  |  GID (16 B)   | PSN (LE u32) | LID... |
 *  +-------+-------+-------+-------+---------------+--------------+--------+
 *   24..25: LID (LE u16), 26: flags (bit 0: route by GID). 27 bytes in all.
 * </pre>
 * {@code kind} is {@link Kind#RC} (the target number is the QP number, the PSN is the first packet sequence
 * number), {@link Kind#DC} (the target number is the DCT number, the access key is the DC key, the PSN is
 * 0) or {@link Kind#UD} (the target number is the UD QP number, the access key is the key its Q_Key is derived
 * from, see {@link QueueKeys}; the PSN is 0). The MTU is {@code enum ibv_mtu}; peers use the smaller of theirs.
 *
 * @param kind   what the address names.
 * @param mtu    the port's active MTU code (1..5).
 * @param port   the port number.
 * @param gid    the 16-byte GID.
 * @param psn    the first packet sequence number (RC only), 24 bits.
 * @param lid    the LID (InfiniBand only).
 * @param global whether packets must carry a GRH (always on RoCE).
 */
public record RdmaLocator(Kind kind, int mtu, int port, byte[] gid, int psn, int lid, boolean global) {
    /** The format version this class writes and reads. */
    public static final byte VERSION = 1;
    /** Encoded length in bytes. */
    public static final int LENGTH = 27;
    /** The provider name in every {@code rdma} address. */
    public static final String PROVIDER = "rdma";
    private static final int PSN_MASK = 0xFFFFFF;

    /** Validates every field, so a decoded locator is safe to hand to verbs. */
    public RdmaLocator {
        Objects.requireNonNull(kind, "kind");
        if (mtu < 1 || mtu > 5) {
            throw new IllegalArgumentException("mtu code must be 1..5 (256..4096 bytes): " + mtu);
        }
        if (port < 1 || port > 255) {
            throw new IllegalArgumentException("port must be 1..255: " + port);
        }
        if (gid.length != GidEntry.LENGTH) {
            throw new IllegalArgumentException("GID must have 16 bytes: " + gid.length);
        }
        if ((psn & ~PSN_MASK) != 0) {
            throw new IllegalArgumentException("PSN has 24 bits: " + psn);
        }
        if (kind != Kind.RC && psn != 0) {
            throw new IllegalArgumentException("a " + kind + " locator carries no PSN: " + psn);
        }
        if (lid < 0 || lid > 0xFFFF) {
            throw new IllegalArgumentException("LID has 16 bits: " + lid);
        }
        gid = gid.clone();
    }

    /** @return a copy of the GID. */
    @Override
    public byte[] gid() {
        return gid.clone();
    }

    /** @return the binary form. */
    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION).put(kind.code).put((byte) mtu).put((byte) port).put(gid).putInt(psn).putShort((short) lid)
            .put((byte) (global ? 1 : 0));
        return out.array();
    }

    /**
     * @param targetNumber the QP or DCT number.
     * @param accessKey    the access key.
     * @return a {@link TargetAddress} carrying this locator.
     */
    public TargetAddress toAddress(int targetNumber, long accessKey) {
        return new TargetAddress(PROVIDER, encode(), targetNumber, accessKey);
    }

    /**
     * The access key an RC address carries. RC has no access key on the wire, so the field holds a check
     * value over the locator and the queue pair number instead: {@code connect} rejects an address that was
     * altered or not produced by a reliable queue pair. It detects mistakes, not attacks.
     *
     * @param targetNumber the queue pair number.
     * @return the check value of this locator with that number.
     */
    public long checkValue(int targetNumber) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : encode()) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash = (hash ^ targetNumber) * 0x100000001b3L;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        return hash ^ (hash >>> 33);
    }

    /**
     * @param address an address of the {@code rdma} provider.
     * @return its locator.
     * @throws IllegalArgumentException naming what is wrong, for another provider's or a malformed address.
     */
    public static RdmaLocator of(TargetAddress address) {
        if (!PROVIDER.equals(address.provider())) {
            throw new IllegalArgumentException("not an rdma address: provider '" + address.provider() + "'");
        }
        if ((address.targetNumber() & ~PSN_MASK) != 0) {
            throw new IllegalArgumentException("QP and DCT numbers have 24 bits: " + address.targetNumber());
        }
        return decode(address.locator());
    }

    /**
     * @param bytes a binary form from {@link #encode()}.
     * @return the locator.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static RdmaLocator decode(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("rdma locator has " + LENGTH + " bytes, not " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown rdma locator version " + version);
        }
        Kind kind = Kind.of(in.get());
        int mtu = Byte.toUnsignedInt(in.get());
        int port = Byte.toUnsignedInt(in.get());
        byte[] gid = new byte[GidEntry.LENGTH];
        in.get(gid);
        int psn = in.getInt();
        int lid = Short.toUnsignedInt(in.getShort());
        byte flags = in.get();
        if ((flags & ~1) != 0) {
            throw new IllegalArgumentException("unknown rdma locator flags " + flags);
        }
        return new RdmaLocator(kind, mtu, port, gid, psn, lid, (flags & 1) != 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RdmaLocator other && kind == other.kind && mtu == other.mtu && port == other.port
            && psn == other.psn && lid == other.lid && global == other.global && Arrays.equals(gid, other.gid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, mtu, port, psn, lid, global) * 31 + Arrays.hashCode(gid);
    }

    @Override
    public String toString() {
        return kind + "{port=" + port + ", mtu=" + (128 << mtu) + ", lid=" + lid + ", gid="
            + HexFormat.of().formatHex(gid) + ", psn=" + psn + (global ? ", global" : "") + '}';
    }

    /** What an {@code rdma} address names. */
    public enum Kind {
        /** A reliable connected queue pair. */
        RC((byte) 1),
        /** A dynamically connected target. */
        DC((byte) 2),
        /** A datagram (UD) queue pair. */
        UD((byte) 3);

        private final byte code;

        Kind(byte code) {
            this.code = code;
        }

        static Kind of(byte code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown rdma locator kind " + code);
        }
    }
}
