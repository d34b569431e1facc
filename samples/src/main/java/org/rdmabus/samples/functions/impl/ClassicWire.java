package org.rdmabus.samples.functions.impl;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.rdmabus.verbs.TargetAddress;

/**
 * What classic function instances and service responders say to each other: the address exchange over TCP, and the
 * request and reply messages over their connected queue pairs.
 *
 * <p>Exchange, on a TCP connection the instance opens to the service's responder and keeps open for as long as its
 * queue pair lives (closing it tells the service to close its side):
 * <pre>
 * instance -> service   int MAGIC, unsigned short length, TargetAddress.toBytes()   (the instance's QP)
 * service  -> instance  byte ACCEPTED, int connection id, unsigned short length, TargetAddress.toBytes()
 *                       or byte REFUSED, UTF reason
 * </pre>
 *
 * <p>Messages, each one inline SEND into a receive buffer of {@link #SLOT_BYTES}, little-endian:
 * <pre>
 * request   0        4          8                16
 *           +--------+----------+----------------+
 *           | conn   | request  | argument       |
 *           +--------+----------+----------------+
 * reply     0        4          8                16
 *           | request| status   | value          |
 *           +--------+----------+----------------+
 * </pre>
 * The connection id tells the service, whose queue pairs all share one receive queue, which queue pair to answer on.
 */
public final class ClassicWire {

    /** Opens every exchange: "RBFX". */
    public static final int MAGIC = 0x52424658;
    /** The exchange's answer when the service connected its queue pair. */
    public static final byte ACCEPTED = 0;
    /** The exchange's answer when it could not; a reason follows. */
    public static final byte REFUSED = 1;
    /** The longest encoded address either side accepts. */
    public static final int MAX_ADDRESS_BYTES = 2_048;

    /** The order of every field of a message. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** A request's and a reply's length. */
    public static final int MESSAGE_BYTES = 16;
    /** A receive buffer's length. */
    public static final int SLOT_BYTES = 64;
    /** Request field: the connection id. */
    public static final int REQUEST_CONNECTION = 0;
    /** Request field: the request id, echoed by the reply. */
    public static final int REQUEST_ID = 4;
    /** Request field: the argument. */
    public static final int REQUEST_ARGUMENT = 8;
    /** Reply field: the request id. */
    public static final int REPLY_ID = 0;
    /** Reply field: {@link #ANSWERED} or {@link #REFUSED_ARGUMENT}. */
    public static final int REPLY_STATUS = 4;
    /** Reply field: the answer. */
    public static final int REPLY_VALUE = 8;
    /** Reply status: the value is the answer. */
    public static final int ANSWERED = 0;
    /** Reply status: the service refused the argument. */
    public static final int REFUSED_ARGUMENT = 1;

    private ClassicWire() {
    }

    /**
     * @param out     the exchange's stream.
     * @param address the queue pair's address.
     * @throws IOException if the connection fails.
     */
    public static void writeAddress(DataOutputStream out, TargetAddress address) throws IOException {
        byte[] bytes = address.toBytes();
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    /**
     * @param in the exchange's stream.
     * @return the address it carries.
     * @throws IOException              if the connection fails or ends early.
     * @throws IllegalArgumentException if the bytes are not an address.
     */
    public static TargetAddress readAddress(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        if (length == 0 || length > MAX_ADDRESS_BYTES) {
            throw new IllegalArgumentException("an address of " + length + " bytes; expected 1 to "
                + MAX_ADDRESS_BYTES);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return TargetAddress.fromBytes(Arrays.copyOf(bytes, length));
    }
}
