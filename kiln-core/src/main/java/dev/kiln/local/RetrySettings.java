package dev.kiln.local;

import dev.kiln.config.Settings;
import dev.kiln.job.JobError;
import java.time.Duration;
import java.util.Optional;

/**
 * When the LOCAL trainer tries a failed training again, and how long it waits first.
 *
 * @param maxRetries how many times a training is retried after its first attempt ({@code max_retries}, default 2)
 * @param initialBackoff the wait before the first retry ({@code retry_backoff.initial}, default 1 s)
 * @param maxBackoff the longest wait ({@code retry_backoff.max}, default 5 min)
 * @param multiplier how much each wait grows over the previous one ({@code retry_backoff.multiplier}, default 2)
 * @param jitter the fraction by which a wait is spread at random either way ({@code retry_backoff.jitter}, default
 *     0.2), so trainings that failed together do not all start again at once
 * @param retryOnOom whether a training whose Java heap ran out is retried ({@code retry_on_oom}, default false)
 */
public record RetrySettings(
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        boolean retryOnOom) {

    public RetrySettings {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max_retries must be at least 0, got " + maxRetries);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry_backoff needs 0 <= initial <= max, got initial " + initialBackoff
                    + " and max " + maxBackoff);
        }
        if (!(multiplier >= 1) || !(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException(
                    "retry_backoff needs multiplier >= 1 and 0 <= jitter <= 1, got " + multiplier + " and " + jitter);
        }
    }

    /** Two retries, waiting 1 s, then 2 s, … up to 5 min, spread by 20%; no retry after heap exhaustion. */
    public static RetrySettings defaults() {
        return new RetrySettings(2, Duration.ofSeconds(1), Duration.ofMinutes(5), 2, 0.2, false);
    }

    /**
     * Reads {@code max_retries}, {@code retry_backoff} and {@code retry_on_oom} from a trainer's {@code config}.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the key and value at fault
     */
    public static RetrySettings from(Settings c) {
        RetrySettings d = defaults();
        Settings backoff = c.section("retry_backoff");
        if (c.has("retry_backoff") && !c.json().get("retry_backoff").isObject()) {
            throw c.invalid(
                    "retry_backoff",
                    c.json().get("retry_backoff"),
                    "expected a map with initial, max, multiplier, jitter");
        }
        Duration initial = backoff.duration("initial").orElse(d.initialBackoff());
        Duration max = backoff.duration("max").orElse(d.maxBackoff().compareTo(initial) < 0 ? initial : d.maxBackoff());
        if (max.compareTo(initial) < 0) {
            throw backoff.invalid("max", backoff.json().get("max"), "expected at least initial (" + initial + ")");
        }
        return new RetrySettings(
                c.integerAtLeast("max_retries", 0).map(Long::intValue).orElse(d.maxRetries()),
                initial,
                max,
                backoff.numberBetween("multiplier", 1, 1000).orElse(d.multiplier()),
                backoff.numberBetween("jitter", 0, 1).orElse(d.jitter()),
                c.bool("retry_on_oom", d.retryOnOom()));
    }

    /**
     * The wait before the attempt after {@code failedAttempt}: {@code initial × multiplier^(failedAttempt-1)}, at most
     * {@code max}, spread by the jitter.
     *
     * @param random a number in [0, 1) that places the wait within the jitter's spread
     */
    public Duration backoff(int failedAttempt, double random) {
        double max = (double) maxBackoff.toNanos();
        double base = (double) initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        double spread = Math.min(base, max) * (1 + jitter * (2 * random - 1));
        return Duration.ofNanos((long) Math.min(spread, max));
    }

    /**
     * Why a failure is worth another attempt, as a metric tag ({@code process_died}, {@code protocol}, …), or empty
     * when it is not: a module's own exception (unless marked retryable), a timeout, a failed save, a child JVM that
     * refused its options ({@link JobError#JVM_REFUSED_OPTIONS}), or heap exhaustion unless {@code retry_on_oom}.
     */
    public Optional<String> retryReason(JobError error) {
        boolean retried = switch (error.kind()) {
            case PROCESS_DIED -> !JobError.JVM_REFUSED_OPTIONS.equals(error.type());
            case PROTOCOL, INTERRUPTED, RETRYABLE_EXCEPTION -> true;
            case OUT_OF_MEMORY -> retryOnOom;
            case EXCEPTION, TIMEOUT, SCHEDULER, SAVE_FAILED -> false;
        };
        return retried ? Optional.of(error.kind().name().toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
    }

    /** These settings with another {@code max_retries}. */
    public RetrySettings withMaxRetries(int value) {
        return new RetrySettings(value, initialBackoff, maxBackoff, multiplier, jitter, retryOnOom);
    }
}
