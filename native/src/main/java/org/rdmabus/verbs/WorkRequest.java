package org.rdmabus.verbs;

import org.agrona.DirectBuffer;

/**
 * A send-queue work request: SEND (from a region or inline), WRITE, WRITE_WITH_IMM or READ.
 * <p>
 * Mutable and meant to be reused: fill it with one of the opcode setters, post it, and fill it again. The
 * provider copies what it needs during {@code post}, except the local region's bytes for non-inline requests,
 * which, as in verbs, must stay untouched until the request completes.
 * <p>
 * Unsignalled requests produce no completion when they succeed; a failed request always completes.
 */
public final class WorkRequest {
    private Opcode opcode;
    private long wrId;
    private boolean signalled = true;
    private MemoryRegion localRegion;
    private long localOffset;
    private int length;
    private DirectBuffer inlineSource;
    private int inlineOffset;
    private long remoteAddress;
    private int rkey;
    private int immediate;

    /**
     * A SEND whose payload is read from a registered region.
     *
     * @param region the local region.
     * @param offset where the payload starts in it.
     * @param length the payload's length.
     * @return this.
     */
    public WorkRequest send(MemoryRegion region, long offset, int length) {
        return local(Opcode.SEND, region, offset, length);
    }

    /**
     * A SEND whose payload is copied at post time, so the source may be reused at once and need not be
     * registered. The length must not exceed {@link NicCapabilities#maxInlineData()}.
     *
     * @param source the payload's bytes.
     * @param offset where the payload starts in {@code source}.
     * @param length the payload's length.
     * @return this.
     */
    public WorkRequest sendInline(DirectBuffer source, int offset, int length) {
        clear(Opcode.SEND);
        this.inlineSource = source;
        this.inlineOffset = offset;
        this.length = length;
        return this;
    }

    /**
     * A one-sided WRITE of local bytes into a remote region.
     *
     * @param region        the local source region.
     * @param offset        where the bytes start in it.
     * @param length        how many bytes.
     * @param remoteAddress the destination, from the remote region's {@link MemoryRegion#remoteAddress(long)}.
     * @param rkey          the remote region's key.
     * @return this.
     */
    public WorkRequest write(MemoryRegion region, long offset, int length, long remoteAddress, int rkey) {
        local(Opcode.WRITE, region, offset, length);
        return remote(remoteAddress, rkey);
    }

    /**
     * A one-sided WRITE that also consumes a receive at the target, which completes with
     * {@link Opcode#RECV_RDMA_WITH_IMM} carrying {@code immediate}.
     *
     * @param region        the local source region.
     * @param offset        where the bytes start in it.
     * @param length        how many bytes.
     * @param remoteAddress the destination.
     * @param rkey          the remote region's key.
     * @param immediate     32 bits delivered to the target's receive completion.
     * @return this.
     */
    public WorkRequest writeWithImmediate(MemoryRegion region, long offset, int length, long remoteAddress,
                                          int rkey, int immediate) {
        local(Opcode.WRITE_WITH_IMM, region, offset, length);
        this.immediate = immediate;
        return remote(remoteAddress, rkey);
    }

    /**
     * A one-sided READ of remote bytes into a local region registered with {@link Access#LOCAL_WRITE}.
     *
     * @param region        the local destination region.
     * @param offset        where the bytes go in it.
     * @param length        how many bytes.
     * @param remoteAddress the source, from the remote region's {@link MemoryRegion#remoteAddress(long)}.
     * @param rkey          the remote region's key.
     * @return this.
     */
    public WorkRequest read(MemoryRegion region, long offset, int length, long remoteAddress, int rkey) {
        local(Opcode.READ, region, offset, length);
        return remote(remoteAddress, rkey);
    }

    /**
     * @param wrId an id returned in this request's completion.
     * @return this.
     */
    public WorkRequest wrId(long wrId) {
        this.wrId = wrId;
        return this;
    }

    /**
     * @param signalled whether a successful completion is reported; failures always are.
     * @return this.
     */
    public WorkRequest signalled(boolean signalled) {
        this.signalled = signalled;
        return this;
    }

    /** @return the operation, or {@code null} before an opcode setter ran. */
    public Opcode opcode() {
        return opcode;
    }

    /** @return the id reported in the completion. */
    public long wrId() {
        return wrId;
    }

    /** @return whether success is reported. */
    public boolean isSignalled() {
        return signalled;
    }

    /** @return whether the payload comes from {@link #inlineSource()} rather than a region. */
    public boolean isInline() {
        return inlineSource != null;
    }

    /** @return the local region, or {@code null} for inline sends. */
    public MemoryRegion localRegion() {
        return localRegion;
    }

    /** @return the offset into the local region. */
    public long localOffset() {
        return localOffset;
    }

    /** @return the payload length. */
    public int length() {
        return length;
    }

    /** @return the inline payload's source, or {@code null}. */
    public DirectBuffer inlineSource() {
        return inlineSource;
    }

    /** @return the inline payload's offset in its source. */
    public int inlineOffset() {
        return inlineOffset;
    }

    /** @return the remote address of a one-sided operation. */
    public long remoteAddress() {
        return remoteAddress;
    }

    /** @return the remote key of a one-sided operation. */
    public int rkey() {
        return rkey;
    }

    /** @return the immediate data of a WRITE_WITH_IMM. */
    public int immediate() {
        return immediate;
    }

    private WorkRequest local(Opcode opcode, MemoryRegion region, long offset, int length) {
        clear(opcode);
        this.localRegion = region;
        this.localOffset = offset;
        this.length = length;
        return this;
    }

    private WorkRequest remote(long remoteAddress, int rkey) {
        this.remoteAddress = remoteAddress;
        this.rkey = rkey;
        return this;
    }

    private void clear(Opcode opcode) {
        this.opcode = opcode;
        this.localRegion = null;
        this.localOffset = 0;
        this.inlineSource = null;
        this.inlineOffset = 0;
        this.remoteAddress = 0;
        this.rkey = 0;
        this.immediate = 0;
    }

    @Override
    public String toString() {
        return "WorkRequest{" + opcode + ", wrId=" + wrId + ", signalled=" + signalled + ", length=" + length
            + (isInline() ? ", inline" : ", offset=" + localOffset) + '}';
    }
}
