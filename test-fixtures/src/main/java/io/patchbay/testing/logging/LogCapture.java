package io.patchbay.testing.logging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The log events of one logger and the loggers below it, kept in memory from {@link #of} until {@link #close()}:
 * what a test reads to check a log line's words or MDC (trace ids), or that a secret is in none. Loggers turned up
 * with {@link #turnUp} meanwhile get their own level back on close. Spring Boot resets logging as an application
 * starts, so a capture meant for an app's lines is opened once that app is up.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> levelsBefore = new LinkedHashMap<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing what {@code loggerName} and the loggers below it log. */
    public static LogCapture of(String loggerName) {
        return new LogCapture((Logger) LoggerFactory.getLogger(loggerName));
    }

    /** Starts capturing everything logged, through the root logger. */
    public static LogCapture everything() {
        return of(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Sets {@code loggerName}'s level until this capture is closed; returns this capture. */
    public LogCapture turnUp(String loggerName, Level level) {
        Logger turned = (Logger) LoggerFactory.getLogger(loggerName);
        levelsBefore.putIfAbsent(turned, turned.getLevel());
        turned.setLevel(level);
        return this;
    }

    /** The events captured so far, in the order they were logged. */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The events captured so far whose formatted message contains {@code text}. */
    public List<ILoggingEvent> containing(String text) {
        return events().stream().filter(event -> event.getFormattedMessage().contains(text)).toList();
    }

    /** Stops capturing and gives every turned-up logger its level back; the events stay readable. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        levelsBefore.forEach(Logger::setLevel);
    }
}
