package org.rdmabus.verbs.soft.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.agrona.concurrent.AtomicBuffer;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.VerbsException;
import org.rdmabus.verbs.soft.impl.FileMappings.Mapping;

/**
 * One shared-memory file mapped read-write into this process. Files this process creates are owner-only
 * ({@code 0600}); files it maps from peers must be regular files owned by the same user.
 */
final class MappedFile {
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE_ATTRIBUTE =
        PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);

    private final Path path;
    private final int length;
    private Mapping mapping;
    private final VarHandleBuffer buffer;

    private MappedFile(Path path, Mapping mapping) {
        this.path = path;
        this.mapping = mapping;
        this.length = mapping.buffer().capacity();
        this.buffer = new VarHandleBuffer(mapping.buffer());
    }

    /**
     * Creates a new zero-filled owner-only file and maps it.
     *
     * @param path   where; must not exist.
     * @param length the file's length in bytes.
     * @return the mapped file.
     * @throws VerbsException if the file exists or cannot be created or mapped.
     */
    public static MappedFile create(Path path, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
        try (FileChannel channel = FileChannel.open(path,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            OWNER_ONLY_FILE_ATTRIBUTE)) {
            // Writing the last byte sizes the file without touching every page, so it stays sparse on tmpfs.
            channel.write(ByteBuffer.wrap(new byte[1]), length - 1L);
            return new MappedFile(path, FileMappings.map(channel, length));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(path);
            throw new VerbsException("cannot create shared-memory file " + path + " (" + length + " bytes): " + e, e);
        }
    }

    /**
     * Maps an existing file a peer created.
     *
     * @param path the file.
     * @return the mapped file.
     * @throws VerbsException if it is missing, not a regular file, not ours, or cannot be mapped.
     */
    public static MappedFile open(Path path) {
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new VerbsException("no shared-memory file at " + path);
            }
            if (!Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(SharedMemoryDirectory.currentUser(path))) {
                throw new VerbsException("shared-memory file " + path + " belongs to another user; refusing to map it");
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
                long size = channel.size();
                if (size <= 0 || size > Integer.MAX_VALUE) {
                    throw new VerbsException("shared-memory file " + path + " has a bad size " + size);
                }
                return new MappedFile(path, FileMappings.map(channel, size));
            }
        } catch (IOException e) {
            throw new VerbsException("cannot map shared-memory file " + path + ": " + e, e);
        }
    }

    /** @return the file's path. */
    public Path path() {
        return path;
    }

    /** @return the mapped length in bytes. */
    public int length() {
        return length;
    }

    /** @return the mapped bytes; invalid after {@link #unmap()}. */
    public AtomicBuffer buffer() {
        return buffer;
    }

    /**
     * Unmaps the file. Callers guarantee no thread still touches {@link #buffer()}; afterwards the buffer
     * wraps an empty array, so a stray access fails with a bounds error rather than a crash. Idempotent.
     */
    public synchronized void unmap() {
        if (mapping != null) {
            buffer.wrap(new byte[0]);
            mapping.unmap();
            mapping = null;
        }
    }

    /** Unmaps and deletes the file. Idempotent. */
    public void unmapAndDelete() {
        unmap();
        deleteQuietly(path);
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The start-up sweep of a later NIC removes what could not be removed now.
        }
    }
}
