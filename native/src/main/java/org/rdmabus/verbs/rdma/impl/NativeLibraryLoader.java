package org.rdmabus.verbs.rdma.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;
import org.rdmabus.verbs.FabricUnavailableException;
import org.rdmabus.verbs.UnavailableReason;

/**
 * Loads this module's JNI libraries from the jar: {@code librdmabus_verbs.so} (the provider's own verbs) and
 * {@code libdisni.so} (DiSNI's native half).
 * <p>
 * Each library is copied into a fresh directory that only the current user can read
 * ({@link Files#createTempDirectory}), loaded by absolute path, and deleted at once: the mapping outlives the
 * file, so nothing is left behind. Nothing here ever throws at class load; every failure becomes an
 * {@link Outcome} naming the cause.
 * <p>
 * DiSNI's {@code NativeDispatcher} calls {@code System.loadLibrary("disni")}, which only searches
 * {@code java.library.path}, fixed when the JVM starts. {@link #loadDisni()} therefore maps
 * {@code libdisni.so} into the process's global symbol scope, where its {@code JNI_OnLoad_disni} makes the JVM
 * treat "disni" as a library linked into the process (JNI 1.8 static libraries), so that call succeeds without
 * any library path and binds DiSNI's native methods to this module's implementation.
 */
public final class NativeLibraryLoader {
    /** Where the libraries live inside the jar. */
    public static final String RESOURCE_DIRECTORY = "/META-INF/native/linux-x86_64/";
    /** The provider's own verbs library. */
    public static final String VERBS_LIBRARY = "librdmabus_verbs.so";
    /** DiSNI's native half, under the name DiSNI loads. */
    public static final String DISNI_LIBRARY = "libdisni.so";
    /** The symbol that makes the JVM treat "disni" as a library linked into the process. */
    public static final String DISNI_ON_LOAD = "JNI_OnLoad_disni";
    /** System property naming the parent directory for the extracted copies; default {@code java.io.tmpdir}. */
    public static final String TEMP_DIRECTORY_PROPERTY = "rdmabus.native.tmpdir";

    private static final NativeLibraryLoader DEFAULT = new NativeLibraryLoader(RESOURCE_DIRECTORY,
        System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

    private final String resourceDirectory;
    private final String osName;
    private final String osArch;
    private Outcome verbs;
    private Outcome disni;

    /**
     * @param resourceDirectory the class-path directory holding the libraries, ending with '/'.
     * @param osName            the operating system's name, as {@code os.name}.
     * @param osArch            the architecture, as {@code os.arch}.
     */
    public NativeLibraryLoader(String resourceDirectory, String osName, String osArch) {
        this.resourceDirectory = Objects.requireNonNull(resourceDirectory, "resourceDirectory");
        this.osName = Objects.requireNonNull(osName, "osName");
        this.osArch = Objects.requireNonNull(osArch, "osArch");
    }

    /** @return the loader of this JVM's libraries, from this jar. */
    public static NativeLibraryLoader instance() {
        return DEFAULT;
    }

    /**
     * Loads {@code librdmabus_verbs.so} once and checks that it matches this class's interface version.
     *
     * @return whether it is usable and, if not, why.
     */
    public synchronized Outcome loadVerbs() {
        if (verbs == null) {
            verbs = platformOutcome();
            if (verbs.loaded()) {
                verbs = loadVerbsLibrary();
            }
        }
        return verbs;
    }

    /**
     * Makes DiSNI's Java API use this module's {@code libdisni.so}. Must run before DiSNI's
     * {@code NativeDispatcher} class initializes, that is before the first DiSNI call.
     *
     * @return whether DiSNI's native half is in place and, if not, why.
     */
    public synchronized Outcome loadDisni() {
        if (disni == null) {
            Outcome base = loadVerbs();
            disni = base.loaded() ? loadDisniLibrary() : base;
        }
        return disni;
    }

    /**
     * @param provider the provider to name in the exception.
     * @throws FabricUnavailableException unless {@link #loadVerbs()} succeeded.
     */
    public void requireVerbs(String provider) {
        Outcome outcome = loadVerbs();
        if (!outcome.loaded()) {
            throw new FabricUnavailableException(provider, outcome.reason(), outcome.detail());
        }
    }

    private Outcome platformOutcome() {
        boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
        boolean x86 = osArch.equals("amd64") || osArch.equals("x86_64");
        if (!linux || !x86) {
            return Outcome.failed(UnavailableReason.PLATFORM_UNSUPPORTED, "the rdma provider ships libraries for"
                + " Linux x86-64 only; this JVM runs on " + osName + " " + osArch);
        }
        return Outcome.LOADED;
    }

    private Outcome loadVerbsLibrary() {
        Outcome outcome = extractAndLoad(VERBS_LIBRARY, false);
        if (!outcome.loaded()) {
            return outcome;
        }
        try {
            int version = VerbsNative.abiVersion();
            if (version != VerbsNative.ABI_VERSION) {
                return Outcome.failed(UnavailableReason.LIBRARY_MISSING, VERBS_LIBRARY + " has interface version "
                    + version + " but this jar needs " + VerbsNative.ABI_VERSION + ": a stale library is on the path");
            }
        } catch (UnsatisfiedLinkError e) {
            return Outcome.failed(UnavailableReason.LIBRARY_MISSING, VERBS_LIBRARY + " loaded but does not"
                + " provide its entry points: " + e.getMessage());
        }
        return Outcome.LOADED;
    }

    private Outcome loadDisniLibrary() {
        return extractAndLoad(DISNI_LIBRARY, true);
    }

    /**
     * @param global whether to map it into the global symbol scope only (DiSNI's library, see the class
     *               comment), instead of loading it as a JNI library of this class loader.
     */
    private Outcome extractAndLoad(String library, boolean global) {
        String resource = resourceDirectory + library;
        try (InputStream in = NativeLibraryLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Outcome.failed(UnavailableReason.LIBRARY_MISSING, library + " is not in this jar (" + resource
                    + "): it was built where rdma-core's headers were missing; rebuild with libibverbs-dev and"
                    + " librdmacm-dev installed");
            }
            Path directory = createPrivateDirectory();
            Path file = directory.resolve(library);
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return global ? loadGlobal(file) : loadLocal(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            return Outcome.failed(UnavailableReason.LIBRARY_MISSING, "cannot extract " + library + " to a temporary"
                + " directory (" + e + "); set -D" + TEMP_DIRECTORY_PROPERTY + " to a writable, executable directory");
        }
    }

    private static Outcome loadLocal(Path file) {
        try {
            System.load(file.toAbsolutePath().toString());
            return Outcome.LOADED;
        } catch (UnsatisfiedLinkError e) {
            return Outcome.failed(UnavailableReason.LIBRARY_MISSING, "cannot load " + file.getFileName() + ": "
                + e.getMessage() + " (is rdma-core installed? it needs libibverbs.so.1)");
        }
    }

    private static Outcome loadGlobal(Path file) {
        String error = VerbsNative.loadGlobal(file.toAbsolutePath().toString());
        if (error != null) {
            return Outcome.failed(UnavailableReason.LIBRARY_MISSING, "cannot load " + file.getFileName() + ": "
                + error + " (is rdma-core installed? it needs libibverbs.so.1 and librdmacm.so.1)");
        }
        if (!VerbsNative.hasGlobalSymbol(DISNI_ON_LOAD)) {
            return Outcome.failed(UnavailableReason.LIBRARY_MISSING, file.getFileName() + " loaded but "
                + DISNI_ON_LOAD + " is not visible process-wide, so DiSNI's System.loadLibrary would not find it");
        }
        return Outcome.LOADED;
    }

    /**
     * @param symbol a symbol name.
     * @return whether a library in the process's global scope defines it; {@link #loadVerbs()} must have
     *     succeeded.
     */
    public static boolean isGloballyDefined(String symbol) {
        return VerbsNative.hasGlobalSymbol(symbol);
    }

    private static Path createPrivateDirectory() throws IOException {
        String parent = System.getProperty(TEMP_DIRECTORY_PROPERTY);
        // createTempDirectory gives owner-only permissions on POSIX file systems.
        return parent == null ? Files.createTempDirectory("rdmabus-native-")
            : Files.createTempDirectory(Path.of(parent), "rdmabus-native-");
    }

    /**
     * Whether a library loaded and, if not, why.
     *
     * @param reason {@code null} when loaded, else the cause.
     * @param detail what happened and what to do.
     */
    public record Outcome(UnavailableReason reason, String detail) {
        static final Outcome LOADED = new Outcome(null, "loaded");

        static Outcome failed(UnavailableReason reason, String detail) {
            return new Outcome(Objects.requireNonNull(reason, "reason"), detail);
        }

        /** @return whether the library is usable. */
        public boolean loaded() {
            return reason == null;
        }
    }
}
