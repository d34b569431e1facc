package org.rdmabus.verbs.rdma.impl;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.agrona.concurrent.AtomicBuffer;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.MemoryRegion;

/**
 * Page-aligned direct memory registered with the NIC. The memory belongs to a direct {@link ByteBuffer}, so
 * it stays mapped until the last {@link #buffer()} view is garbage: a stale view after {@link #close()} reads
 * harmless bytes instead of crashing the JVM, while the NIC has already lost access (deregistered).
 */
final class RdmaMemoryRegion implements MemoryRegion {
    private static final int PAGE = 4096;
    private static final int IBV_ACCESS_LOCAL_WRITE = 1;
    private static final int IBV_ACCESS_REMOTE_WRITE = 1 << 1;
    private static final int IBV_ACCESS_REMOTE_READ = 1 << 2;

    private final RdmaNic nic;
    private final VarHandleBuffer buffer;
    private final long address;
    private final int length;
    private final long mr;
    private final int lkey;
    private final int rkey;
    private final Set<Access> access;
    private final UseGuard guard = new UseGuard();

    RdmaMemoryRegion(RdmaNic nic, long pd, int length, Set<Access> access) {
        if (length <= 0) {
            throw new IllegalArgumentException("region length must be positive: " + length);
        }
        this.nic = nic;
        this.length = length;
        this.access = Collections.unmodifiableSet(access.isEmpty() ? EnumSet.noneOf(Access.class)
            : EnumSet.copyOf(access));
        ByteBuffer memory = DirectMemory.allocateAligned(alignUp(length), PAGE);
        this.buffer = new VarHandleBuffer(memory, 0, length);
        this.address = DirectMemory.address(memory);
        this.mr = VerbsNative.regMr(pd, address, length, flags(access));
        this.lkey = VerbsNative.mrLkey(mr);
        this.rkey = VerbsNative.mrRkey(mr);
    }

    /** Verbs requires local write permission whenever remote peers may write. */
    static int flags(Set<Access> access) {
        int flags = 0;
        if (access.contains(Access.LOCAL_WRITE) || access.contains(Access.REMOTE_WRITE)) {
            flags |= IBV_ACCESS_LOCAL_WRITE;
        }
        if (access.contains(Access.REMOTE_WRITE)) {
            flags |= IBV_ACCESS_REMOTE_WRITE;
        }
        if (access.contains(Access.REMOTE_READ)) {
            flags |= IBV_ACCESS_REMOTE_READ;
        }
        return flags;
    }

    private static int alignUp(int length) {
        long aligned = ((long) length + PAGE - 1) / PAGE * PAGE;
        if (aligned > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region too large: " + length);
        }
        return (int) aligned;
    }

    RdmaNic nic() {
        return nic;
    }

    long address() {
        return address;
    }

    /**
     * @throws IllegalArgumentException if {@code [offset, offset + count)} is not inside this region.
     */
    void checkRange(long offset, int count) {
        if (offset < 0 || count < 0 || offset + count > length) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + count) + ") is outside the "
                + length + "-byte region");
        }
    }

    @Override
    public AtomicBuffer buffer() {
        return buffer;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int lkey() {
        return lkey;
    }

    @Override
    public int rkey() {
        return rkey;
    }

    @Override
    public long remoteAddress(long offset) {
        if (offset < 0 || offset > length) {
            throw new IllegalArgumentException("offset " + offset + " is outside the " + length + "-byte region");
        }
        return address + offset;
    }

    @Override
    public Set<Access> access() {
        return access;
    }

    boolean isClosed() {
        return guard.isClosed();
    }

    @Override
    public void close() {
        if (guard.close()) {
            nic.forget(this);
            VerbsNative.deregMr(mr);
        }
    }
}
