package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.UnavailableReason;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeLibraryLoaderTest {

    @Test
    void aJarBuiltWithoutTheCCodeReportsTheLibraryMissingAndHowToFixIt() {
        NativeLibraryLoader loader = new NativeLibraryLoader("/no-such-directory/", "Linux", "amd64");
        NativeLibraryLoader.Outcome outcome = loader.loadVerbs();
        assertFalse(outcome.loaded());
        assertEquals(UnavailableReason.LIBRARY_MISSING, outcome.reason());
        assertTrue(outcome.detail().contains("librdmabus_verbs.so"), outcome.detail());
        assertTrue(outcome.detail().contains("libibverbs-dev"), outcome.detail());
        FabricUnavailableException e = assertThrows(FabricUnavailableException.class, () -> loader.requireVerbs("rdma"));
        assertEquals(UnavailableReason.LIBRARY_MISSING, e.reason());
        assertEquals(UnavailableReason.LIBRARY_MISSING, loader.loadDisni().reason(), "DiSNI needs the same library");
    }

    @Test
    void aLibraryWhoseDependencyIsMissingIsReportedWithTheLinkersMessage() {
        String directory = "/rdmabus-test-native/unlinkable/";
        assumeTrue(NativeLibraryLoader.class.getResource(directory + NativeLibraryLoader.VERBS_LIBRARY) != null,
            "the fixture is built only where gcc and rdma-core's headers are");
        NativeLibraryLoader loader = new NativeLibraryLoader(directory, "Linux", "amd64");
        NativeLibraryLoader.Outcome outcome = loader.loadVerbs();
        assertEquals(UnavailableReason.LIBRARY_MISSING, outcome.reason());
        assertTrue(outcome.detail().contains("cannot load librdmabus_verbs.so"), outcome.detail());
        assertTrue(outcome.detail().contains("librdmabus_missing.so"), "names the missing file: " + outcome.detail());
        assertSame(outcome, loader.loadVerbs(), "the outcome is computed once");
    }

    @Test
    void otherPlatformsAreRefusedBeforeAnyNativeCode() {
        NativeLibraryLoader mac = new NativeLibraryLoader(NativeLibraryLoader.RESOURCE_DIRECTORY, "Mac OS X", "aarch64");
        assertEquals(UnavailableReason.PLATFORM_UNSUPPORTED, mac.loadVerbs().reason());
        NativeLibraryLoader arm = new NativeLibraryLoader(NativeLibraryLoader.RESOURCE_DIRECTORY, "Linux", "aarch64");
        assertEquals(UnavailableReason.PLATFORM_UNSUPPORTED, arm.loadVerbs().reason());
    }

    @Test
    void theBuiltLibrariesLoadFromTheClassPathAndLeaveNoFilesBehind(@TempDir Path scratch) throws IOException {
        assumeTrue(NativeLibraryLoader.class.getResource(NativeLibraryLoader.RESOURCE_DIRECTORY
            + NativeLibraryLoader.VERBS_LIBRARY) != null, "built without rdma-core headers");
        String previous = System.getProperty(NativeLibraryLoader.TEMP_DIRECTORY_PROPERTY);
        System.setProperty(NativeLibraryLoader.TEMP_DIRECTORY_PROPERTY, scratch.toString());
        try {
            NativeLibraryLoader loader = new NativeLibraryLoader(NativeLibraryLoader.RESOURCE_DIRECTORY, "Linux",
                "amd64");
            NativeLibraryLoader.Outcome outcome = loader.loadVerbs();
            assumeTrue(outcome.loaded() || !outcome.detail().contains("libibverbs.so.1"),
                "rdma-core's runtime libraries are not installed: " + outcome.detail());
            assertTrue(outcome.loaded(), outcome.detail());
            assertEquals(VerbsNative.ABI_VERSION, VerbsNative.abiVersion());
            // The library hands out the addresses Java gives only through Unsafe: aligned, and offset with a slice.
            ByteBuffer page = DirectMemory.allocateAligned(100, 4096);
            long address = DirectMemory.address(page);
            assertEquals(0, address % 4096, "address " + address);
            assertEquals(address + 8, DirectMemory.address(page.slice(8, 8)));
            assertTrue(loader.loadDisni().loaded(), loader.loadDisni().detail());
            try (Stream<Path> left = Files.list(scratch)) {
                assertEquals(0, left.count(), "extracted copies are deleted once mapped");
            }
        } finally {
            if (previous == null) {
                System.clearProperty(NativeLibraryLoader.TEMP_DIRECTORY_PROPERTY);
            } else {
                System.setProperty(NativeLibraryLoader.TEMP_DIRECTORY_PROPERTY, previous);
            }
        }
    }
}
