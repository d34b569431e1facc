package org.rdmabus.transport.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

/** Collects the log lines of the {@code org.rdmabus} loggers (System.Logger goes to java.util.logging here). */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = Logger.getLogger("org.rdmabus");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Starts capturing. */
    public LogCapture() {
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /**
     * The formatted messages captured at a level.
     *
     * @param level the level
     * @return the messages, oldest first
     */
    public List<String> messages(Level level) {
        return messages(level, "org.rdmabus");
    }

    /**
     * The formatted messages captured at a level from some of the loggers, e.g. the transport's without the pool's.
     *
     * @param level        the level
     * @param loggerPrefix the start of the loggers' names
     * @return the messages, oldest first
     */
    public List<String> messages(Level level, String loggerPrefix) {
        return records.stream()
            .filter(record -> record.getLevel().equals(level) && record.getLoggerName().startsWith(loggerPrefix))
            .map(formatter::formatMessage).collect(Collectors.toList());
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
