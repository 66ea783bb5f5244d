package dev.kiln.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * The logger a training context hands its module. Every line at INFO and above, and DEBUG or TRACE where the
 * backend enables them, reaches the training's own log as {@code <instant> <LEVEL> <message>} (with the stack trace
 * of a throwable), however the backend is set; the backend gets the line too, under the same logger name.
 */
public final class TrainingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient Logger backend;
    private final transient Consumer<String> log;
    private final boolean onlyWhatTheBackendDrops;
    private final transient Clock clock;

    private TrainingLogger(Logger backend, Consumer<String> log, boolean onlyWhatTheBackendDrops, Clock clock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.log = Objects.requireNonNull(log, "log");
        this.onlyWhatTheBackendDrops = onlyWhatTheBackendDrops;
        this.clock = clock;
        this.name = backend.getName();
    }

    /** Keeps every line in {@code log}, and passes it on to {@code backend}. */
    public static TrainingLogger capturing(Logger backend, CapturedLog log, Clock clock) {
        return new TrainingLogger(backend, log::append, false, clock);
    }

    /**
     * Passes every line on to {@code backend}, and prints to standard error the lines the backend would drop, so the
     * output of a worker process holds each line once.
     */
    public static TrainingLogger echoing(Logger backend) {
        return echoing(backend, line -> System.err.println(line), Clock.systemUTC());
    }

    static TrainingLogger echoing(Logger backend, Consumer<String> out, Clock clock) {
        return new TrainingLogger(backend, out, true, clock);
    }

    @Override
    public boolean isTraceEnabled() {
        return backend.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return backend.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        boolean backendTakes = backend.isEnabledForLevel(level);
        if (backendTakes) {
            switch (level) {
                case ERROR -> backend.error(message, throwable);
                case WARN -> backend.warn(message, throwable);
                case INFO -> backend.info(message, throwable);
                case DEBUG -> backend.debug(message, throwable);
                case TRACE -> backend.trace(message, throwable);
            }
        }
        if (!(backendTakes && onlyWhatTheBackendDrops)) {
            log.accept(line(level, message, throwable));
        }
    }

    private String line(Level level, String message, Throwable throwable) {
        StringBuilder line = new StringBuilder(64 + message.length())
                .append(clock.instant())
                .append(' ')
                .append(level)
                .append(' ')
                .append(message);
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        return line.toString();
    }
}
