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
import java.util.concurrent.TimeUnit;

/**
 * Removes the shared-memory files of NICs whose process is gone (crashed, killed, or exited without closing).
 * A NIC's files are grouped by the id in their names. A group is removed only when two independent signs agree:
 * <ul>
 *   <li>the owner process (pid and start time from the control segment, else the pid in the file name) no longer
 *       runs, and</li>
 *   <li>the segment's heartbeat is older than three of its intervals, or, without a readable header, no file of
 *       the group changed for {@value #ORPHAN_AGE_SECONDS} seconds.</li>
 * </ul>
 * The second sign protects a live process the pid check cannot see (another pid namespace sharing the directory).
 * Files of this process are never touched.
 */
final class StaleSegmentSweeper {
    static final long ORPHAN_AGE_SECONDS = 10;
    private static final System.Logger LOG = System.getLogger(StaleSegmentSweeper.class.getName());
    private static final int STALE_INTERVALS = 3;

    private StaleSegmentSweeper() {
    }

    /**
     * @param directory the shared-memory directory.
     * @return how many files were removed.
     */
    static int sweep(Path directory) {
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
            if (pid != self && isStale(directory.resolve(nic.getKey() + SegmentFiles.CONTROL_SUFFIX), pid, nic.getValue())) {
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

    private static boolean isStale(Path control, long pid, List<Path> files) {
        ByteBuffer header = readHeader(control);
        if (header == null || header.getLong(NicSegment.MAGIC_OFFSET) != NicSegment.MAGIC
            || header.getLong(NicSegment.PID_OFFSET) != pid) {
            return !new ProcessIdentity(pid, 0).isAlive() && unchangedFor(files, ORPHAN_AGE_SECONDS);
        }
        ProcessIdentity owner = new ProcessIdentity(pid, header.getLong(NicSegment.START_OFFSET));
        long interval = Math.max(1, header.getLong(NicSegment.HEARTBEAT_INTERVAL_OFFSET));
        long age = System.nanoTime() - header.getLong(NicSegment.HEARTBEAT_OFFSET);
        boolean silent = header.getInt(NicSegment.STATE_OFFSET) != NicSegment.STATE_OPEN || age > STALE_INTERVALS * interval;
        return silent && !owner.isAlive();
    }

    private static ByteBuffer readHeader(Path control) {
        ByteBuffer header = ByteBuffer.allocate(NicSegment.HEARTBEAT_OFFSET + Long.BYTES).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(control, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // Keep reading until the header is complete or the file ends.
            }
        } catch (IOException e) {
            return null;
        }
        return header.hasRemaining() ? null : header;
    }

    private static boolean unchangedFor(List<Path> files, long seconds) {
        long cutoff = System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(seconds);
        for (Path file : files) {
            try {
                if (Files.getLastModifiedTime(file).toMillis() > cutoff) {
                    return false;
                }
            } catch (IOException e) {
                // Gone already, or unreadable: it does not keep the group alive.
            }
        }
        return true;
    }
}
