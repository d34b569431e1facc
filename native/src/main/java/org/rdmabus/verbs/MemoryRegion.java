package org.rdmabus.verbs;

import java.util.Set;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Registered, off-heap memory. Local work requests name a region and an offset into it; remote one-sided
 * operations name {@link #remoteAddress(long)} and {@link #rkey()}.
 * <p>
 * The region stays registered until {@link #close()}; closing it while work requests still refer to it makes
 * them complete with {@link CompletionStatus#LOCAL_PROTECTION} (locally) or {@link CompletionStatus#REMOTE_ACCESS}
 * (remotely).
 */
public interface MemoryRegion extends AutoCloseable {

    /** @return the region's bytes; valid until {@link #close()}. */
    AtomicBuffer buffer();

    /** @return the region's length in bytes. */
    int length();

    /** @return the key that local work requests use. */
    int lkey();

    /** @return the key that remote peers need for one-sided access. Keep it away from applications. */
    int rkey();

    /**
     * @param offset an offset into this region.
     * @return the address a remote peer names to reach {@code offset}.
     */
    long remoteAddress(long offset);

    /** @return the access this region was registered with. */
    Set<Access> access();

    /** Deregisters the region and releases its memory. Idempotent. */
    @Override
    void close();
}
