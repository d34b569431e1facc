package org.rdmabus.verbs.soft.impl;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes the shared-memory files of NICs whose process is gone (crashed, killed, or exited without closing).
 * A NIC's files are grouped by the id in their names; the group is removed when the process named by the
 * control segment's header (pid and start time) or, without a readable header, by the file name's pid, no longer
 * runs. Files of this process are never touched.
 */
final class StaleSegmentSweeper {
    private static final System.Logger LOG = System.getLogger(StaleSegmentSweeper.class.getName());

    private StaleSegmentSweeper() {
    }

    /**
     * @param directory the shared-memory directory.
     * @return how many files were removed.
     */
    public static int sweep(Path directory) {
        Map<String, List<Path>> byNic = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String nicId = SegmentFiles.nicIdOf(file.getFileName().toString());
                if (nicId != null) {
                    byNic.computeIfAbsent(nicId, k -> new ArrayList<>()).add(file);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + directory + " to remove stale shared memory: " + e);
            return 0;
        }
        long self = ProcessHandle.current().pid();
        int removed = 0;
        for (Map.Entry<String, List<Path>> nic : byNic.entrySet()) {
            long pid = SegmentFiles.pidOf(nic.getKey());
            if (pid == self) {
                continue;
            }
            ProcessIdentity owner = readOwner(directory.resolve(nic.getKey() + SegmentFiles.CONTROL_SUFFIX), pid);
            if (!owner.isAlive()) {
                for (Path file : nic.getValue()) {
                    MappedFile.deleteQuietly(file);
                    removed++;
                }
                LOG.log(Level.DEBUG, "removed " + nic.getValue().size() + " stale shared-memory files of dead process "
                    + pid + " in " + directory);
            }
        }
        return removed;
    }

    /**
     * Reads the owner from a control segment's header without mapping it.
     *
     * @param control the control file.
     * @param pid     the pid from the file name, used when the header is missing or unreadable.
     * @return who owns the segment.
     */
    static ProcessIdentity readOwner(Path control, long pid) {
        ByteBuffer header = ByteBuffer.allocate(NicSegment.START_OFFSET + Long.BYTES).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(control, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // Keep reading until the header is complete or the file ends.
            }
        } catch (IOException e) {
            return new ProcessIdentity(pid, 0);
        }
        if (header.hasRemaining() || header.getLong(NicSegment.MAGIC_OFFSET) != NicSegment.MAGIC
            || header.getLong(NicSegment.PID_OFFSET) != pid) {
            return new ProcessIdentity(pid, 0);
        }
        return new ProcessIdentity(pid, header.getLong(NicSegment.START_OFFSET));
    }
}
