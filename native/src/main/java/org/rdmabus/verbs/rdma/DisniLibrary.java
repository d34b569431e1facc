package org.rdmabus.verbs.rdma;

import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.rdma.impl.NativeLibraryLoader;

/**
 * Puts DiSNI's native half, which this module ships as {@code libdisni.so}, in place for DiSNI's Java API.
 * <p>
 * DiSNI 2.1's jar has no native library and loads one named "disni" from {@code java.library.path}. Call
 * {@link #load()} once before the first DiSNI call (before {@code new RdmaActiveEndpointGroup(...)}, say);
 * DiSNI then runs on this module's implementation with no library path to configure. The {@code rdma}
 * provider does not need this: it has its own JNI library.
 */
public final class DisniLibrary {
    /** The provider name used in the exceptions this class throws. */
    public static final String PROVIDER = "disni";

    private DisniLibrary() {
    }

    /**
     * Loads the library if not done yet. Idempotent and thread-safe.
     *
     * @throws FabricUnavailableException naming the cause ({@link org.rdmabus.verbs.UnavailableReason#LIBRARY_MISSING}
     *     or {@link org.rdmabus.verbs.UnavailableReason#PLATFORM_UNSUPPORTED}) when DiSNI cannot run here.
     */
    public static void load() {
        NativeLibraryLoader.Outcome outcome = NativeLibraryLoader.instance().loadDisni();
        if (!outcome.loaded()) {
            throw new FabricUnavailableException(PROVIDER, outcome.reason(), outcome.detail());
        }
    }

    /** @return whether {@link #load()} succeeds here, without throwing. */
    public static boolean isAvailable() {
        return NativeLibraryLoader.instance().loadDisni().loaded();
    }
}
