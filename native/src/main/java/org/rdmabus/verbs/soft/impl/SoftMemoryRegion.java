package org.rdmabus.verbs.soft.impl;

import java.util.EnumSet;
import java.util.Set;
import org.agrona.concurrent.AtomicBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.MemoryRegion;

/**
 * A registered region: a shared-memory file mapped here and, on demand, by peers that hold its rkey. The lkey
 * equals the rkey. Remote addresses are {@code baseAddress + offset}, where the base is derived from the rkey so
 * an address from one region never lands in another.
 */
final class SoftMemoryRegion implements MemoryRegion {
    private final SoftNic nic;
    private final int rkey;
    private final Set<Access> access;
    private final int accessBits;
    private final MappedFile file;
    private final long baseAddress;
    private volatile boolean closed;

    SoftMemoryRegion(SoftNic nic, int rkey, Set<Access> access, MappedFile file) {
        this.nic = nic;
        this.rkey = rkey;
        this.access = access.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(access));
        this.accessBits = bits(access);
        this.file = file;
        this.baseAddress = baseAddressOf(rkey);
    }

    static long baseAddressOf(int rkey) {
        return ((long) rkey) << 31;
    }

    static int bits(Set<Access> access) {
        int bits = 0;
        for (Access a : access) {
            bits |= 1 << a.ordinal();
        }
        return bits;
    }

    SoftNic nic() {
        return nic;
    }

    int accessBits() {
        return accessBits;
    }

    boolean isClosed() {
        return closed;
    }

    long baseAddress() {
        return baseAddress;
    }

    @Override
    public AtomicBuffer buffer() {
        return file.buffer();
    }

    @Override
    public int length() {
        return file.length();
    }

    @Override
    public int lkey() {
        return rkey;
    }

    @Override
    public int rkey() {
        return rkey;
    }

    @Override
    public long remoteAddress(long offset) {
        return baseAddress + offset;
    }

    @Override
    public Set<Access> access() {
        return access;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        nic.destroyRegion(this, file);
    }

    @Override
    public String toString() {
        return "SoftMemoryRegion{rkey=" + Integer.toHexString(rkey) + ", length=" + file.length() + ", access=" + access + '}';
    }
}
