package dev.herald.hub.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the hub ({@code dev.herald}, at DEBUG) and of Netty ({@code io.netty},
 * at DEBUG) while open, with a Logback {@code ListAppender}, so tests can assert what is never logged
 * (tokens, cookies) and that nothing is logged at ERROR. Restores the levels on close.
 */
public final class LogCapture implements AutoCloseable {

    private static final String[] LOGGERS = {"dev.herald", "io.netty"};

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Level> previous = new ArrayList<>();

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(context);
        appender.start();
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            previous.add(logger.getLevel());
            logger.setLevel(Level.DEBUG);
            logger.addAppender(appender);
        }
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every event so far, as its level, logger, formatted message and stack trace. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events()) {
            String line = e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage();
            if (e.getThrowableProxy() != null) {
                line += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
            }
            out.add(line);
        }
        return out;
    }

    /** The events at {@code level} or above. */
    public List<String> atLeast(Level level) {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : events()) {
            if (e.getLevel().isGreaterOrEqual(level)) {
                out.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
            }
        }
        return out;
    }

    private List<ILoggingEvent> events() {
        synchronized (appender) { // AppenderBase.doAppend holds this lock while appending
            return new ArrayList<>(appender.list);
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (int i = 0; i < LOGGERS.length; i++) {
            Logger logger = context.getLogger(LOGGERS[i]);
            logger.detachAppender(appender);
            logger.setLevel(previous.get(i));
        }
        appender.stop();
    }
}
