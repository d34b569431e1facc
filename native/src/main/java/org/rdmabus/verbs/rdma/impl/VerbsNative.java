package org.rdmabus.verbs.rdma.impl;

/**
 * The JNI entry points of {@code librdmabus_verbs.so}: thin wrappers over libibverbs and, for DC, over a
 * dlopen'ed libmlx5. Handles are native addresses. Control-path calls throw
 * {@link org.rdmabus.verbs.VerbsException} naming the verbs call and errno; data-path calls ({@code post*},
 * {@link #pollCq}) return an errno or a count instead, and never allocate.
 * <p>
 * Only {@link NativeLibraryLoader} makes this class usable: calling it before the library is loaded throws
 * {@link UnsatisfiedLinkError}.
 */
final class VerbsNative {

    /** The interface version this class expects from the library; bumped with every signature change. */
    static final int ABI_VERSION = 5;

    /** Index into {@link #queryDevice}'s output: largest work-request count of one queue. */
    static final int DEVICE_MAX_QP_WR = 0;
    /** Index: largest scatter/gather list of a work request. */
    static final int DEVICE_MAX_SGE = 1;
    /** Index: largest completion queue. */
    static final int DEVICE_MAX_CQE = 2;
    /** Index: largest shared receive queue (0 when the device has no SRQ). */
    static final int DEVICE_MAX_SRQ_WR = 3;
    /** Index: outstanding RDMA READs a queue pair can serve as target. */
    static final int DEVICE_MAX_QP_RD_ATOM = 4;
    /** Index: outstanding RDMA READs a queue pair can issue. */
    static final int DEVICE_MAX_QP_INIT_RD_ATOM = 5;
    /** Index: IEEE vendor id. */
    static final int DEVICE_VENDOR_ID = 6;
    /** Index: vendor part id. */
    static final int DEVICE_VENDOR_PART_ID = 7;
    /** Index: number of physical ports. */
    static final int DEVICE_PORT_COUNT = 8;
    /** Index: largest memory registration in bytes. */
    static final int DEVICE_MAX_MR_SIZE = 9;
    /** Index: number of queue pairs. */
    static final int DEVICE_MAX_QP = 10;
    /** Length of {@link #queryDevice}'s output array. */
    static final int DEVICE_FIELDS = 11;

    /** Index into {@link #queryPort}'s output: {@code enum ibv_port_state} (4 = active). */
    static final int PORT_STATE = 0;
    /** Index: active MTU as {@code enum ibv_mtu} (1 = 256 ... 5 = 4096). */
    static final int PORT_ACTIVE_MTU = 1;
    /** Index: local identifier (InfiniBand; 0 on Ethernet). */
    static final int PORT_LID = 2;
    /** Index: link layer (1 = InfiniBand, 2 = Ethernet). */
    static final int PORT_LINK_LAYER = 3;
    /** Index: length of the GID table. */
    static final int PORT_GID_TABLE_LENGTH = 4;
    /** Index: largest message in bytes. */
    static final int PORT_MAX_MESSAGE_SIZE = 5;
    /** Length of {@link #queryPort}'s output array. */
    static final int PORT_FIELDS = 6;

    /** Index into the capability output of queue pair creation: the inline size the device granted. */
    static final int QP_CAP_MAX_INLINE = 0;
    /** Index: the send queue depth the device granted. */
    static final int QP_CAP_MAX_SEND_WR = 1;
    /** Length of the capability output array. */
    static final int QP_CAP_FIELDS = 2;

    /** Size of one completion record written by {@link #pollCq}. */
    static final int COMPLETION_SIZE = 32;
    /** Offset of the 64-bit work-request id in a completion record. */
    static final int COMPLETION_WR_ID = 0;
    /** Offset of the 32-bit {@code enum ibv_wc_status}. */
    static final int COMPLETION_STATUS = 8;
    /** Offset of the 32-bit {@code enum ibv_wc_opcode}; meaningful on success only. */
    static final int COMPLETION_OPCODE = 12;
    /** Offset of the 32-bit byte count. */
    static final int COMPLETION_BYTE_LENGTH = 16;
    /** Offset of the 32-bit immediate data, in host order. */
    static final int COMPLETION_IMMEDIATE = 20;
    /** Offset of the 32-bit local queue pair (or DCT) number. */
    static final int COMPLETION_QP_NUMBER = 24;
    /** Offset of the 32-bit {@code ibv_wc_flags}; bit 1 means immediate data is present. */
    static final int COMPLETION_FLAGS = 28;

    private VerbsNative() {
    }

    /** @return the library's {@link #ABI_VERSION}. */
    static native int abiVersion();

    /**
     * Re-opens an already loaded library with {@code RTLD_GLOBAL}, so that its JNI entry points and
     * {@code JNI_OnLoad_<name>} are visible process-wide.
     *
     * @param path the library's absolute path.
     * @return {@code null} on success, else the dynamic linker's message.
     */
    static native String loadGlobal(String path);

    /**
     * @param symbol a symbol name.
     * @return whether the process's global scope defines it, as {@code dlsym(RTLD_DEFAULT, symbol)} sees it.
     */
    static native boolean hasGlobalSymbol(String symbol);

    /**
     * The native address of a direct buffer's first byte ({@code GetDirectBufferAddress}): Java itself hands it
     * out only through {@code Unsafe} or an exported {@code sun.nio.ch}, either of which would need a JVM flag.
     *
     * @param buffer a direct buffer.
     * @return its address, or 0 when the buffer is not direct.
     */
    static native long bufferAddress(java.nio.ByteBuffer buffer);

    /** @return {@code RLIMIT_MEMLOCK}'s soft limit in bytes, or -1 when unlimited. */
    static native long memlockLimit();

    /** @return the names of the RDMA devices libibverbs sees, possibly none. */
    static native String[] deviceNames();

    /**
     * @param name a device name from {@link #deviceNames()}.
     * @return an {@code ibv_context}.
     */
    static native long openDevice(String name);

    /** @param context a context from {@link #openDevice}; closed. */
    static native void closeDevice(long context);

    /**
     * @param context an open device.
     * @param out     {@link #DEVICE_FIELDS} entries, filled.
     */
    static native void queryDevice(long context, long[] out);

    /**
     * @param context an open device.
     * @param port    a port number from 1.
     * @param out     {@link #PORT_FIELDS} entries, filled.
     */
    static native void queryPort(long context, int port, long[] out);

    /**
     * @param context an open device.
     * @param port    a port number from 1.
     * @param index   a GID table index.
     * @param out     16 bytes, filled with the GID.
     * @return the GID's type (0 InfiniBand, 1 RoCE v1, 2 RoCE v2), or -1 when the entry is empty.
     */
    static native int queryGid(long context, int port, int index, byte[] out);

    /**
     * @param context an open device.
     * @return an {@code ibv_pd}.
     */
    static native long allocPd(long context);

    /** @param pd a protection domain; deallocated. */
    static native void deallocPd(long pd);

    /**
     * @param pd      the protection domain.
     * @param address the first byte.
     * @param length  bytes.
     * @param access  {@code IBV_ACCESS_*} bits.
     * @return an {@code ibv_mr}.
     */
    static native long regMr(long pd, long address, long length, int access);

    /**
     * @param mr a memory region.
     * @return its local key.
     */
    static native int mrLkey(long mr);

    /**
     * @param mr a memory region.
     * @return its remote key.
     */
    static native int mrRkey(long mr);

    /** @param mr a memory region; deregistered. */
    static native void deregMr(long mr);

    /**
     * @param context an open device.
     * @param entries the least number of completions it must hold.
     * @return an {@code ibv_cq}.
     */
    static native long createCq(long context, int entries);

    /** @param cq a completion queue; destroyed. */
    static native void destroyCq(long cq);

    /**
     * Polls without blocking.
     *
     * @param cq  the completion queue.
     * @param max the most completions to take.
     * @param out where {@code max} records of {@link #COMPLETION_SIZE} bytes fit.
     * @return how many records were written, or a negative errno.
     */
    static native int pollCq(long cq, int max, long out);

    /**
     * @param pd    the protection domain.
     * @param maxWr the least number of receives it must hold.
     * @return an {@code ibv_srq}.
     */
    static native long createSrq(long pd, int maxWr);

    /** @param srq a shared receive queue; destroyed. */
    static native void destroySrq(long srq);

    /**
     * @param srq     the shared receive queue.
     * @param wrId    the id its completion carries.
     * @param address the buffer.
     * @param length  the buffer's length.
     * @param lkey    the buffer region's local key.
     * @return 0, or the errno of {@code ibv_post_srq_recv}.
     */
    static native int postSrqReceive(long srq, long wrId, long address, int length, int lkey);

    /**
     * Creates an RC queue pair whose receives come from a shared receive queue.
     *
     * @param pd        the protection domain.
     * @param sendCq    where its send completions go.
     * @param recvCq    where its receive completions go.
     * @param srq       its shared receive queue.
     * @param maxSendWr the send queue depth.
     * @param maxInline the inline payload size to ask for.
     * @param caps      {@link #QP_CAP_FIELDS} entries, filled with what the device granted.
     * @return an {@code ibv_qp} in RESET.
     */
    static native long createRcQp(long pd, long sendCq, long recvCq, long srq, int maxSendWr, int maxInline,
                                         int[] caps);

    /**
     * @param qp a queue pair.
     * @return its number.
     */
    static native int qpNumber(long qp);

    /**
     * RESET to INIT.
     *
     * @param qp     the queue pair.
     * @param port   the port.
     * @param access remote access bits ({@code IBV_ACCESS_REMOTE_*}).
     */
    static native void modifyRcInit(long qp, int port, int access);

    /**
     * INIT to RTR.
     *
     * @param qp              the queue pair.
     * @param port            the local port.
     * @param mtu             {@code enum ibv_mtu}.
     * @param remoteQpn       the peer's queue pair number.
     * @param remotePsn       the peer's first packet sequence number.
     * @param dlid            the peer's LID (InfiniBand).
     * @param dgid            the peer's 16-byte GID.
     * @param global          whether to route by GID (always on RoCE).
     * @param sgidIndex       the local GID index.
     * @param maxDestRdAtomic how many READs the peer may have outstanding here.
     * @param minRnrTimer     the RNR NAK timer code the peer waits after finding no receive posted.
     */
    static native void modifyRcRtr(long qp, int port, int mtu, int remoteQpn, int remotePsn, int dlid,
                                          byte[] dgid, boolean global, int sgidIndex, int maxDestRdAtomic,
                                          int minRnrTimer);

    /**
     * RTR to RTS.
     *
     * @param qp          the queue pair.
     * @param psn         this side's first packet sequence number.
     * @param timeout     local ACK timeout code (4.096 µs × 2^timeout).
     * @param retryCount  transport retries before {@code IBV_WC_RETRY_EXC_ERR}.
     * @param rnrRetry    RNR retries before {@code IBV_WC_RNR_RETRY_EXC_ERR} (7 = forever).
     * @param maxRdAtomic how many READs this side may have outstanding.
     */
    static native void modifyRcRts(long qp, int psn, int timeout, int retryCount, int rnrRetry,
                                          int maxRdAtomic);

    /**
     * Moves a queue pair to a state that needs no attributes: RESET (0) or ERROR (6).
     *
     * @param qp    the queue pair.
     * @param state {@code enum ibv_qp_state}.
     */
    static native void modifyQpState(long qp, int state);

    /**
     * @param qp  the queue pair.
     * @param out three entries, filled: {@code enum ibv_qp_state}, send PSN and expected receive PSN.
     */
    static native void queryQp(long qp, int[] out);

    /** @param qp a queue pair; destroyed. */
    static native void destroyQp(long qp);

    /**
     * Posts one work request with at most one scatter entry.
     *
     * @param qp            the queue pair.
     * @param wrId          the id its completion carries.
     * @param opcode        {@code enum ibv_wr_opcode}.
     * @param flags         {@code IBV_SEND_*} bits.
     * @param localAddress  the local bytes.
     * @param length        how many.
     * @param lkey          their region's key (ignored for inline).
     * @param remoteAddress the remote address of one-sided operations.
     * @param rkey          the remote key of one-sided operations.
     * @param immediate     immediate data, host order.
     * @return 0, or the errno of {@code ibv_post_send}.
     */
    static native int postSend(long qp, long wrId, int opcode, int flags, long localAddress, int length,
                                      int lkey, long remoteAddress, int rkey, int immediate);

    /** Bytes at the start of every UD receive that hold the GRH, whether or not the packet carried one. */
    static final int UD_GRH_BYTES = 40;

    /**
     * Creates a UD queue pair with a receive queue of its own; each receive takes up to three scatter entries.
     *
     * @param pd        the protection domain.
     * @param sendCq    where its send completions go.
     * @param recvCq    where its receive completions go.
     * @param maxSendWr the send queue depth.
     * @param maxRecvWr the receive queue depth.
     * @param maxInline the inline payload size to ask for.
     * @param caps      {@link #QP_CAP_FIELDS} entries, filled with what the device granted.
     * @return an {@code ibv_qp} in RESET.
     */
    static native long createUdQp(long pd, long sendCq, long recvCq, int maxSendWr, int maxRecvWr, int maxInline,
                                  int[] caps);

    /**
     * Brings a UD queue pair from RESET through INIT (P_Key index 0) and RTR to RTS.
     *
     * @param qp   the queue pair.
     * @param port the port.
     * @param qkey the Q_Key datagrams must carry to be received here (31 bits).
     * @param psn  the first packet sequence number of its sends.
     */
    static native void modifyUdReady(long qp, int port, int qkey, int psn);

    /**
     * Posts one UD SEND with at most one scatter entry.
     *
     * @param qp           the queue pair.
     * @param ah           the address handle of the destination's port.
     * @param remoteQpn    the destination's UD queue pair number.
     * @param remoteQkey   the destination's Q_Key.
     * @param wrId         the id its completion carries.
     * @param flags        {@code IBV_SEND_*} bits.
     * @param localAddress the payload.
     * @param length       its length.
     * @param lkey         its region's key (ignored for inline).
     * @return 0, or the errno of {@code ibv_post_send}.
     */
    static native int postUdSend(long qp, long ah, int remoteQpn, int remoteQkey, long wrId, int flags,
                                 long localAddress, int length, int lkey);

    /**
     * Posts one receive whose first {@link #UD_GRH_BYTES} land in a scratch slot, the payload in the buffer, and
     * anything beyond the buffer in an overflow scratch area (so a too-long datagram fails only its receive).
     *
     * @param qp              the UD queue pair.
     * @param wrId            the id its completion carries.
     * @param headerAddress   {@link #UD_GRH_BYTES} of registered scratch memory.
     * @param scratchLkey     the scratch region's local key (header and overflow).
     * @param address         the payload buffer.
     * @param length          the buffer's length.
     * @param lkey            the buffer region's local key.
     * @param overflowAddress the overflow scratch area.
     * @param overflowLength  its length; 0 for none.
     * @return 0, or the errno of {@code ibv_post_recv}.
     */
    static native int postUdReceive(long qp, long wrId, long headerAddress, int scratchLkey, long address, int length,
                                    int lkey, long overflowAddress, int overflowLength);

    /**
     * @param context an open device.
     * @return {@code null} when libmlx5 is loaded and supports this device with DC, else why not.
     */
    static native String dcUnsupportedReason(long context);

    /**
     * Creates a DC initiator in RESET.
     *
     * @param context   the device.
     * @param pd        the protection domain.
     * @param cq        where its completions go.
     * @param maxSendWr the send queue depth.
     * @param maxInline the inline payload size to ask for.
     * @param caps      {@link #QP_CAP_FIELDS} entries, filled.
     * @return an {@code ibv_qp}.
     */
    static native long createDci(long context, long pd, long cq, int maxSendWr, int maxInline, int[] caps);

    /**
     * Brings a DC initiator from RESET to RTS.
     *
     * @param qp         the initiator.
     * @param port       the port.
     * @param mtu        {@code enum ibv_mtu}.
     * @param global     whether to route by GID.
     * @param sgidIndex  the local GID index.
     * @param timeout    local ACK timeout code.
     * @param retryCount transport retries.
     * @param rnrRetry   RNR retries.
     * @param maxRdAtomic outstanding READs.
     */
    static native void connectDci(long qp, int port, int mtu, boolean global, int sgidIndex, int timeout,
                                         int retryCount, int rnrRetry, int maxRdAtomic);

    /**
     * Creates a DC target and brings it to RTR.
     *
     * @param context     the device.
     * @param pd          the protection domain.
     * @param cq          where its receive completions go.
     * @param srq         where SENDs land.
     * @param accessKey   the DC access key initiators must present.
     * @param port        the port.
     * @param mtu         {@code enum ibv_mtu}.
     * @param global      whether to route by GID.
     * @param sgidIndex   the local GID index.
     * @param access      remote access bits.
     * @param minRnrTimer the RNR NAK timer code.
     * @return an {@code ibv_qp}; its number is the DCT number.
     */
    static native long createDct(long context, long pd, long cq, long srq, long accessKey, int port, int mtu,
                                        boolean global, int sgidIndex, int access, int minRnrTimer);

    /**
     * @param pd        the protection domain.
     * @param port      the local port.
     * @param dlid      the target's LID.
     * @param dgid      the target's GID.
     * @param global    whether to route by GID.
     * @param sgidIndex the local GID index.
     * @return an {@code ibv_ah}.
     */
    static native long createAh(long pd, int port, int dlid, byte[] dgid, boolean global, int sgidIndex);

    /** @param ah an address handle; destroyed. */
    static native void destroyAh(long ah);

    /**
     * Posts one work request on a DC initiator to a DC target.
     *
     * @param qp            the initiator.
     * @param ah            the address handle of the target's port.
     * @param dctNumber     the target's DCT number.
     * @param accessKey     the target's access key.
     * @param wrId          the id its completion carries.
     * @param opcode        {@code enum ibv_wr_opcode}.
     * @param flags         {@code IBV_SEND_*} bits.
     * @param localAddress  the local bytes.
     * @param length        how many.
     * @param lkey          their region's key.
     * @param remoteAddress the remote address of one-sided operations.
     * @param rkey          the remote key.
     * @param immediate     immediate data, host order.
     * @return 0, or an errno.
     */
    static native int postDc(long qp, long ah, int dctNumber, long accessKey, long wrId, int opcode,
                                    int flags, long localAddress, int length, int lkey, long remoteAddress, int rkey,
                                    int immediate);
}
