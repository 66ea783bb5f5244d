package dev.kiln.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.helpers.SubstituteLogger;

class TrainingLoggerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);

    private final ConcurrentLinkedQueue<SubstituteLoggingEvent> received = new ConcurrentLinkedQueue<>();
    private final EventRecordingLogger everythingOn =
            new EventRecordingLogger(new SubstituteLogger("dev.kiln.training.Sample", received, false), received);

    @Test
    void keepsInfoLinesTheBackendDrops() {
        CapturedLog log = new CapturedLog(1 << 20);
        TrainingLogger logger = TrainingLogger.capturing(NOPLogger.NOP_LOGGER, log, CLOCK);

        logger.info("epoch {}/{}: loss {}", 1, 5, 0.5);
        logger.warn("learning rate {} is high", 2.0);
        logger.debug("not kept: the backend does not enable DEBUG");

        assertThat(log.text())
                .isEqualTo("2026-03-01T10:15:30Z INFO epoch 1/5: loss 0.5\n"
                        + "2026-03-01T10:15:30Z WARN learning rate 2.0 is high\n");
    }

    @Test
    void keepsTheStackTraceOfAThrowable() {
        CapturedLog log = new CapturedLog(1 << 20);
        TrainingLogger logger = TrainingLogger.capturing(NOPLogger.NOP_LOGGER, log, CLOCK);

        logger.error("batch {} failed", 7, new IllegalStateException("bad row"));

        assertThat(log.text())
                .startsWith("2026-03-01T10:15:30Z ERROR batch 7 failed" + System.lineSeparator()
                        + "java.lang.IllegalStateException: bad row")
                .contains("\tat ");
    }

    @Test
    void passesEveryLineOnToTheBackendUnderItsName() {
        CapturedLog log = new CapturedLog(1 << 20);
        TrainingLogger logger = TrainingLogger.capturing(everythingOn, log, CLOCK);
        assertThat(logger.getName()).isEqualTo("dev.kiln.training.Sample");

        IllegalStateException cause = new IllegalStateException("bad row");
        logger.debug("reading {}", "train.csv");
        logger.error("batch {} failed", 7, cause);

        List<SubstituteLoggingEvent> events = new ArrayList<>(received);
        assertThat(events).extracting(SubstituteLoggingEvent::getLevel).containsExactly(Level.DEBUG, Level.ERROR);
        assertThat(events)
                .extracting(SubstituteLoggingEvent::getMessage)
                .containsExactly("reading train.csv", "batch 7 failed");
        assertThat(events.get(1).getThrowable()).isSameAs(cause);
        assertThat(log.text()).contains("DEBUG reading train.csv").contains("ERROR batch 7 failed");
    }

    @Test
    void aWorkerEchoesOnlyWhatTheBackendDropsSoEachLineAppearsOnce() {
        List<String> echoed = new ArrayList<>();
        TrainingLogger.echoing(NOPLogger.NOP_LOGGER, echoed::add, CLOCK).info("dropped by the backend");
        TrainingLogger.echoing(everythingOn, echoed::add, CLOCK).info("printed by the backend");

        assertThat(echoed).containsExactly("2026-03-01T10:15:30Z INFO dropped by the backend");
        assertThat(received).extracting(SubstituteLoggingEvent::getMessage).containsExactly("printed by the backend");
    }
}
