package org.rdmabus.verbs.soft.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.rdmabus.verbs.NicOptions;

/**
 * Chooses and checks the per-user directory that holds the software fabric's shared-memory files.
 * <p>
 * The directory comes from, in order: {@link NicOptions#directory()}, the system property
 * {@value #DIRECTORY_PROPERTY}, the environment variable {@value #DIRECTORY_ENV}, then
 * {@code /dev/shm/rdmabus-<user>} when {@code /dev/shm} exists, else {@code <java.io.tmpdir>/rdmabus-<user>}.
 * It must be owned by this user with permissions {@code 0700}; one that exists with looser permissions is refused
 * rather than tightened, because it may be shared with someone else.
 */
public final class SharedMemoryDirectory {
    /** System property naming the directory. */
    public static final String DIRECTORY_PROPERTY = "rdmabus.soft.dir";
    /** Environment variable naming the directory. */
    public static final String DIRECTORY_ENV = "RDMABUS_SOFT_DIR";
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Path DEV_SHM = Paths.get("/dev/shm");

    private SharedMemoryDirectory() {
    }

    /**
     * @param options the NIC options, or {@code null} for the defaults.
     * @return the directory to use, absolute; not yet checked.
     */
    public static Path resolve(NicOptions options) {
        if (options != null && options.directory() != null) {
            return options.directory().toAbsolutePath();
        }
        String property = System.getProperty(DIRECTORY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Paths.get(property).toAbsolutePath();
        }
        String env = System.getenv(DIRECTORY_ENV);
        if (env != null && !env.isBlank()) {
            return Paths.get(env).toAbsolutePath();
        }
        String leaf = "rdmabus-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        if (Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM)) {
            return DEV_SHM.resolve(leaf);
        }
        return Paths.get(System.getProperty("java.io.tmpdir")).resolve(leaf).toAbsolutePath();
    }

    /**
     * Creates the directory owner-only if missing, then checks it.
     *
     * @param directory the directory from {@link #resolve(NicOptions)}.
     * @return {@code null} when usable; otherwise why not and what to do.
     */
    public static String prepare(Path directory) {
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory.getParent());
                try {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // Another process created it first; the checks below decide whether it is usable.
                }
                // The umask may have removed bits we asked for, never added any; set them exactly.
                Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            }
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                return directory + " is not a directory (or is a symbolic link); remove it or choose another "
                    + "directory with NicOptions.directory, -D" + DIRECTORY_PROPERTY + " or " + DIRECTORY_ENV;
            }
            if (!Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).equals(currentUser(directory))) {
                return directory + " belongs to another user; choose a directory of your own with "
                    + "NicOptions.directory, -D" + DIRECTORY_PROPERTY + " or " + DIRECTORY_ENV;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
            if (!permissions.equals(OWNER_ONLY_DIRECTORY)) {
                return directory + " has permissions " + PosixFilePermissions.toString(permissions)
                    + "; shared memory must be owner-only: run chmod 700 on it or choose another directory";
            }
            if (!Files.isWritable(directory)) {
                return directory + " is not writable";
            }
            return null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "cannot use " + directory + " for shared memory: " + e;
        }
    }

    static UserPrincipal currentUser(Path anyPath) throws IOException {
        return anyPath.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByName(System.getProperty("user.name"));
    }
}
