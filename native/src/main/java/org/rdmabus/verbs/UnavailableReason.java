package org.rdmabus.verbs;

/** Why a provider cannot run on this host. */
public enum UnavailableReason {
    /** A native library (libibverbs, librdmacm, or this project's JNI library) could not be loaded. */
    LIBRARY_MISSING,
    /** The libraries load but no RDMA device is present. */
    NO_DEVICE,
    /** The locked-memory limit ({@code ulimit -l}) is too low to register memory. */
    MEMLOCK_LIMIT,
    /** No port has a usable GID (for RoCE: no IP address on the netdev). */
    NO_USABLE_GID,
    /** The operating system or architecture is not supported by the provider. */
    PLATFORM_UNSUPPORTED,
    /** The shared-memory directory cannot be created or used. */
    SHARED_MEMORY_UNAVAILABLE
}
