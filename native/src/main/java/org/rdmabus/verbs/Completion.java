package org.rdmabus.verbs;

/**
 * One work completion. Instances are owned by the caller of {@link CompletionQueue#poll(Completion[])} and
 * are overwritten by each poll, so the data path allocates nothing. Copy what you need before polling again.
 */
public final class Completion {
    private long wrId;
    private Opcode opcode;
    private CompletionStatus status;
    private int byteLength;
    private int immediate;
    private boolean hasImmediate;

    /** @return the work-request id given at post time. */
    public long wrId() {
        return wrId;
    }

    /** @return what completed. */
    public Opcode opcode() {
        return opcode;
    }

    /** @return the outcome. */
    public CompletionStatus status() {
        return status;
    }

    /** @return whether the outcome is {@link CompletionStatus#SUCCESS}. */
    public boolean isSuccess() {
        return status == CompletionStatus.SUCCESS;
    }

    /** @return bytes received (receive completions) or transferred. */
    public int byteLength() {
        return byteLength;
    }

    /** @return the immediate data; meaningful only when {@link #hasImmediate()}. */
    public int immediate() {
        return immediate;
    }

    /** @return whether the sender supplied immediate data. */
    public boolean hasImmediate() {
        return hasImmediate;
    }

    /**
     * Fills this completion. For providers.
     *
     * @param wrId         the work-request id.
     * @param opcode       what completed.
     * @param status       the outcome.
     * @param byteLength   bytes transferred.
     * @param immediate    immediate data.
     * @param hasImmediate whether immediate data is present.
     * @return this.
     */
    public Completion set(long wrId, Opcode opcode, CompletionStatus status, int byteLength, int immediate,
                          boolean hasImmediate) {
        this.wrId = wrId;
        this.opcode = opcode;
        this.status = status;
        this.byteLength = byteLength;
        this.immediate = immediate;
        this.hasImmediate = hasImmediate;
        return this;
    }

    /**
     * @param size how many completions to poll at most at once.
     * @return a reusable array of completions for {@link CompletionQueue#poll(Completion[])}.
     */
    public static Completion[] array(int size) {
        Completion[] completions = new Completion[size];
        for (int i = 0; i < size; i++) {
            completions[i] = new Completion();
        }
        return completions;
    }

    @Override
    public String toString() {
        return "Completion{wrId=" + wrId + ", opcode=" + opcode + ", status=" + status + ", byteLength="
            + byteLength + (hasImmediate ? ", imm=" + immediate : "") + '}';
    }
}
