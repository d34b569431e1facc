package org.rdmabus.verbs.soft.impl;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Names the shared-memory files of one NIC. Every file starts with the NIC's id, {@code <pid>_<nonce>}, so the
 * start-up sweep can group a crashed process's files and check the pid without opening them:
 * <pre>
 *   &lt;pid&gt;_&lt;nonce&gt;.ctl          control segment ({@link NicSegment})
 *   &lt;pid&gt;_&lt;nonce&gt;.mr.&lt;rkey&gt;    a registered memory region
 *   &lt;pid&gt;_&lt;nonce&gt;.srq.&lt;id&gt;     a shared receive queue
 *   &lt;pid&gt;_&lt;nonce&gt;.cq.&lt;id&gt;      a completion queue ring
 * </pre>
 * A NIC's locator (what {@link org.rdmabus.verbs.TargetAddress} carries) is the absolute path of that prefix.
 */
final class SegmentFiles {
    static final String CONTROL_SUFFIX = ".ctl";
    private static final String REGION_INFIX = ".mr.";
    private static final String RECEIVE_QUEUE_INFIX = ".srq.";
    private static final String COMPLETION_QUEUE_INFIX = ".cq.";

    private final String base;

    /** @param base the absolute path prefix shared by the NIC's files (its locator). */
    public SegmentFiles(String base) {
        this.base = base;
    }

    /**
     * @param directory the shared-memory directory.
     * @param pid       this process's id.
     * @param nonce     a random number that keeps two NICs of one process apart.
     * @return the files of a new NIC.
     */
    public static SegmentFiles of(Path directory, long pid, long nonce) {
        return new SegmentFiles(directory.resolve(pid + "_" + Long.toHexString(nonce)).toString());
    }

    /** @return the locator: the files' common prefix. */
    public String base() {
        return base;
    }

    /** @return the control segment. */
    public Path control() {
        return Paths.get(base + CONTROL_SUFFIX);
    }

    /**
     * @param rkey a region key.
     * @return the region's file.
     */
    public Path region(int rkey) {
        return Paths.get(base + REGION_INFIX + Integer.toHexString(rkey));
    }

    /**
     * @param id a shared receive queue id.
     * @return its file.
     */
    public Path receiveQueue(int id) {
        return Paths.get(base + RECEIVE_QUEUE_INFIX + Integer.toHexString(id));
    }

    /**
     * @param id a completion queue id.
     * @return its file.
     */
    public Path completionQueue(int id) {
        return Paths.get(base + COMPLETION_QUEUE_INFIX + Integer.toHexString(id));
    }

    /**
     * @param fileName a file name in the shared-memory directory.
     * @return the NIC id it belongs to ({@code <pid>_<nonce>}), or {@code null} if it is not one of ours.
     */
    static String nicIdOf(String fileName) {
        int dot = fileName.indexOf('.');
        String id = dot < 0 ? fileName : fileName.substring(0, dot);
        int underscore = id.indexOf('_');
        if (underscore <= 0 || underscore == id.length() - 1) {
            return null;
        }
        for (int i = 0; i < underscore; i++) {
            if (!Character.isDigit(id.charAt(i))) {
                return null;
            }
        }
        return id;
    }

    /**
     * @param nicId an id from {@link #nicIdOf(String)}.
     * @return the pid in it.
     */
    static long pidOf(String nicId) {
        return Long.parseLong(nicId.substring(0, nicId.indexOf('_')));
    }
}
