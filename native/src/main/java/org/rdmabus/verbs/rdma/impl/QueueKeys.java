package org.rdmabus.verbs.rdma.impl;

/**
 * The Q_Key of a UD queue pair, derived from the access key its {@link org.rdmabus.verbs.DatagramQueuePair}
 * was created with. The receiving NIC drops, unseen, every datagram whose Q_Key differs from its queue pair's,
 * so a sender holding another access key reaches nobody.
 * <p>
 * Derivation: the 64-bit access key goes through SplitMix64's finalizer (so keys that differ in any bit give
 * unrelated Q_Keys) and the low 31 bits are kept. Bit 31 stays clear because a Q_Key with it set is a
 * "controlled" Q_Key: in a send request it means "use the sending queue pair's own Q_Key", and only privileged
 * consumers may set one on a queue pair. Two different access keys collide with probability 2^-31.
 * <p>
 * The Q_Key travels in clear in every datagram. It tells an observer 31 bits of a hash of the key, not the key;
 * like RDMA keys it separates clusters that share a fabric, it does not authenticate.
 */
final class QueueKeys {
    private static final int Q_KEY_MASK = 0x7FFF_FFFF;

    private QueueKeys() {
    }

    /**
     * @param accessKey the access key.
     * @return the Q_Key, 31 bits.
     */
    static int of(long accessKey) {
        long z = accessKey;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (int) z & Q_KEY_MASK;
    }
}
