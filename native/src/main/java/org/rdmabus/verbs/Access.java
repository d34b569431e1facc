package org.rdmabus.verbs;

/** What a {@link MemoryRegion} lets local and remote queue pairs do. */
public enum Access {
    /** The local NIC may write into the region: needed for receive buffers and READ destinations. */
    LOCAL_WRITE,
    /** Remote peers may WRITE into the region. */
    REMOTE_WRITE,
    /** Remote peers may READ from the region. */
    REMOTE_READ
}
