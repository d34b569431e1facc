package org.rdmabus.verbs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a {@link DcTarget} or {@link ReliableQueuePair} lives: the provider, an opaque provider-specific
 * locator (a shared-memory segment for {@code soft}; LID and GID for {@code rdma}), the target number (DCT or
 * QP number) and the 64-bit access key.
 * <p>
 * Immutable and serializable with {@link #toBytes()} and {@link #toExternalForm()}. The access key is a cluster
 * secret: {@link #toString()} never shows it, and {@link #withAccessKey(long)} lets a node advertise its address
 * with the key removed ({@code 0}) and peers put the cluster's key back.
 */
public final class TargetAddress {
    private static final byte FORMAT_VERSION = 1;
    private static final int MAX_PROVIDER_LENGTH = 32;
    private static final int MAX_LOCATOR_LENGTH = 1024;

    private final String provider;
    private final byte[] locator;
    private final int targetNumber;
    private final long accessKey;

    /**
     * @param provider     the provider's name.
     * @param locator      the provider-specific location; copied.
     * @param targetNumber the DCT or QP number.
     * @param accessKey    the access key every operation must carry.
     */
    public TargetAddress(String provider, byte[] locator, int targetNumber, long accessKey) {
        this.provider = Objects.requireNonNull(provider, "provider");
        if (provider.isEmpty() || provider.getBytes(StandardCharsets.UTF_8).length > MAX_PROVIDER_LENGTH) {
            throw new IllegalArgumentException("provider name must be 1.." + MAX_PROVIDER_LENGTH + " bytes");
        }
        if (locator.length > MAX_LOCATOR_LENGTH) {
            throw new IllegalArgumentException("locator longer than " + MAX_LOCATOR_LENGTH + " bytes");
        }
        this.locator = locator.clone();
        this.targetNumber = targetNumber;
        this.accessKey = accessKey;
    }

    /** @return the provider's name. */
    public String provider() {
        return provider;
    }

    /** @return a copy of the provider-specific locator. */
    public byte[] locator() {
        return locator.clone();
    }

    /** @return the locator's length, without copying it. */
    public int locatorLength() {
        return locator.length;
    }

    /**
     * @param index an index into the locator.
     * @return the locator's byte at {@code index}, without copying it.
     */
    public byte locatorByte(int index) {
        return locator[index];
    }

    /** @return the DCT or QP number. */
    public int targetNumber() {
        return targetNumber;
    }

    /** @return the access key. Never log it. */
    public long accessKey() {
        return accessKey;
    }

    /**
     * @param key the access key to carry.
     * @return this address with {@code key} in place of its own.
     */
    public TargetAddress withAccessKey(long key) {
        return key == accessKey ? this : new TargetAddress(provider, locator, targetNumber, key);
    }

    /** @return the binary form, little-endian and versioned. */
    public byte[] toBytes() {
        byte[] name = provider.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 1 + name.length + 2 + locator.length + 4 + 8)
            .order(ByteOrder.LITTLE_ENDIAN);
        out.put(FORMAT_VERSION).put((byte) name.length).put(name)
            .putShort((short) locator.length).put(locator)
            .putInt(targetNumber).putLong(accessKey);
        return out.array();
    }

    /**
     * @param bytes a binary form from {@link #toBytes()}.
     * @return the address.
     * @throws IllegalArgumentException if the bytes are not a valid address, with the reason.
     */
    public static TargetAddress fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte version = in.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown target address version " + version);
            }
            int nameLength = Byte.toUnsignedInt(in.get());
            if (nameLength == 0 || nameLength > MAX_PROVIDER_LENGTH) {
                throw new IllegalArgumentException("bad provider name length " + nameLength);
            }
            byte[] name = new byte[nameLength];
            in.get(name);
            int locatorLength = Short.toUnsignedInt(in.getShort());
            if (locatorLength > MAX_LOCATOR_LENGTH) {
                throw new IllegalArgumentException("bad locator length " + locatorLength);
            }
            byte[] locator = new byte[locatorLength];
            in.get(locator);
            int target = in.getInt();
            long key = in.getLong();
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after target address");
            }
            return new TargetAddress(new String(name, StandardCharsets.UTF_8), locator, target, key);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("target address truncated at " + bytes.length + " bytes", e);
        }
    }

    /** @return a text form (URL-safe Base64 of {@link #toBytes()}) for cluster metadata. */
    public String toExternalForm() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(toBytes());
    }

    /**
     * @param text a text form from {@link #toExternalForm()}.
     * @return the address.
     * @throws IllegalArgumentException if the text is not a valid address.
     */
    public static TargetAddress fromExternalForm(String text) {
        return fromBytes(Base64.getUrlDecoder().decode(text));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TargetAddress other)) {
            return false;
        }
        return targetNumber == other.targetNumber && accessKey == other.accessKey
            && provider.equals(other.provider) && Arrays.equals(locator, other.locator);
    }

    @Override
    public int hashCode() {
        return (provider.hashCode() * 31 + Arrays.hashCode(locator)) * 31 + targetNumber;
    }

    /** @return the provider, locator and target number; never the access key. */
    @Override
    public String toString() {
        return provider + ":" + HexFormat.of().formatHex(locator) + "#" + targetNumber;
    }
}
