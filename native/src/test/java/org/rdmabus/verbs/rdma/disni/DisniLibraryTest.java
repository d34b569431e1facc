package org.rdmabus.verbs.rdma.disni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.disni.util.NativeAffinity;
import com.ibm.disni.verbs.RdmaProvider;
import com.ibm.disni.verbs.impl.NativeDispatcher;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.conformance.Requirements;
import org.rdmabus.verbs.rdma.DisniLibrary;
import org.rdmabus.verbs.rdma.impl.NativeLibraryLoader;

/** Runs on any host with rdma-core's runtime libraries: no device is needed to bind and check DiSNI's natives. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DisniLibraryTest {

    // Per test, not @BeforeAll: a class-level skip would report zero tests instead of each one skipped.
    @BeforeEach
    void load() {
        Requirements.assumePresent(DisniLibrary.isAvailable(), () -> "DiSNI's native half cannot load here: "
            + NativeLibraryLoader.instance().loadDisni().detail());
    }

    @Test
    void everyNativeMethodOfDisni21IsImplemented() {
        List<String> missing = new ArrayList<>();
        int count = 0;
        for (Class<?> type : new Class<?>[] {NativeDispatcher.class, NativeAffinity.class}) {
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isNative(method.getModifiers())) {
                    count++;
                    String symbol = "Java_" + mangle(type.getName()) + "_" + mangle(method.getName());
                    if (!NativeLibraryLoader.isGloballyDefined(symbol)) {
                        missing.add(symbol);
                    }
                }
            }
        }
        assertEquals(50, count, "DiSNI 2.1 declares 48 dispatcher natives and 2 affinity natives");
        assertEquals(List.of(), missing);
    }

    @Test
    void disnisOwnInitialisationAcceptsTheLibrarysVersionAndStructLayouts() throws Exception {
        RdmaProvider provider = RdmaProvider.provider();
        assertEquals(32, provider.getVersion());
    }

    @Test
    void affinityRoundTripsThroughTheLibrary() {
        long affinity = NativeAffinity.getAffinity();
        assertTrue(affinity > 0, "the current thread may run somewhere: " + affinity);
        NativeAffinity.setAffinity(affinity);
        assertEquals(affinity, NativeAffinity.getAffinity());
    }

    /** JNI's short-name mangling for names with only ASCII letters, digits, dots and underscores. */
    private static String mangle(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            switch (c) {
                case '.' -> out.append('_');
                case '_' -> out.append("_1");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
