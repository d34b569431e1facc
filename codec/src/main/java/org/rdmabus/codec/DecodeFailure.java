package org.rdmabus.codec;

/**
 * The reason a frame or segment was refused, filled in place by {@link FrameDecoder} or {@link Reassembler} so
 * that refusing bad input allocates nothing. It names the reason, the field at fault, the value found there and,
 * when a limit or an expectation was broken, that limit by name and value.
 * <p>
 * Reused: a holder describes only the most recent refusal of its owner. Copy what you need (or call
 * {@link #describe()}) before the next decode. Not thread-safe.
 */
public final class DecodeFailure {
    private DecodeError reason;
    private String field;
    private long value;
    private String limitName;
    private long limit;

    /** Creates an empty holder; {@link #reason()} is {@code null} until a refusal is recorded. */
    public DecodeFailure() {
    }

    /** @return the reason of the last refusal, or {@code null} if none was recorded since the last reset. */
    public DecodeError reason() {
        return reason;
    }

    /** @return the name of the field at fault, e.g. {@code "segment.totalLength"}. */
    public String field() {
        return field;
    }

    /** @return the value found in {@link #field()}. */
    public long value() {
        return value;
    }

    /** @return the name of the limit or expectation the value broke, or {@code null} if none applies. */
    public String limitName() {
        return limitName;
    }

    /** @return the limit or expected value named by {@link #limitName()}; meaningless when that is null. */
    public long limit() {
        return limit;
    }

    /** @return a sentence describing the refusal, for logs and ERROR frames. Allocates. */
    public String describe() {
        if (reason == null) {
            return "no failure";
        }
        StringBuilder text = new StringBuilder(96)
            .append(reason.name()).append(": ").append(reason.description())
            .append(" (").append(field).append('=').append(value);
        if (limitName != null) {
            text.append(", ").append(limitName).append('=').append(limit);
        }
        return text.append(')').toString();
    }

    /** @return {@link #describe()}. */
    @Override
    public String toString() {
        return describe();
    }

    void reset() {
        reason = null;
        field = null;
        value = 0;
        limitName = null;
        limit = 0;
    }

    void set(DecodeError reason, String field, long value, String limitName, long limit) {
        this.reason = reason;
        this.field = field;
        this.value = value;
        this.limitName = limitName;
        this.limit = limit;
    }
}
