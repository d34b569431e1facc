package org.rdmabus.verbs.soft.impl;

import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * One entry of a send queue: a copy of a posted {@link WorkRequest}, with inline payloads copied into a buffer
 * preallocated for the slot, plus its progress.
 */
final class WorkSlot {
    final VarHandleBuffer inlineBuffer;
    TargetAddress target;
    Opcode opcode;
    long wrId;
    boolean signalled;
    boolean inline;
    MemoryRegion region;
    long localOffset;
    int length;
    long remoteAddress;
    int rkey;
    int immediate;
    /** A status decided at post time (an inline payload too large to copy), or null. */
    CompletionStatus presetStatus;
    boolean started;
    long firstAttemptNanos;
    /** The outcome once executed; null while pending. */
    CompletionStatus status;

    WorkSlot(int maxInline) {
        inlineBuffer = new VarHandleBuffer(new byte[Math.max(1, maxInline)]);
    }

    void capture(TargetAddress target, WorkRequest request) {
        this.target = target;
        this.opcode = request.opcode();
        this.wrId = request.wrId();
        this.signalled = request.isSignalled();
        this.inline = request.isInline();
        this.region = request.localRegion();
        this.localOffset = request.localOffset();
        this.length = request.length();
        this.remoteAddress = request.remoteAddress();
        this.rkey = request.rkey();
        this.immediate = request.immediate();
        this.presetStatus = null;
        this.started = false;
        this.status = null;
        if (inline) {
            if (length < 0 || length > inlineBuffer.capacity() || opcode != Opcode.SEND) {
                presetStatus = CompletionStatus.LOCAL_LENGTH;
            } else if (request.inlineOffset() < 0
                || request.inlineOffset() > request.inlineSource().capacity() - length) {
                presetStatus = CompletionStatus.LOCAL_PROTECTION;
            } else {
                inlineBuffer.putBytes(0, request.inlineSource(), request.inlineOffset(), length);
            }
        }
    }

    /** Drops references so a completed slot keeps no region or address alive. */
    void clear() {
        target = null;
        region = null;
        status = null;
    }
}
