package dev.kiln.trainer.base;

import dev.kiln.module.ModuleRegistry;
import dev.kiln.time.TrainerScheduler;
import java.time.Clock;
import java.util.Objects;

/**
 * What every trainer's builder takes: its settings, the instance name, the clock, the modules and the scheduler its
 * timers run on. Tests pass a fake clock and a fake scheduler and move time by hand.
 *
 * @param <B> the subclass itself, so that each method returns the trainer's own builder
 * @param <S> the trainer's settings
 */
public abstract class TrainerBuilder<B extends TrainerBuilder<B, S>, S extends RetentionSettings> {
    String name;
    S settings;
    Clock clock = Clock.systemUTC();
    ModuleRegistry modules;
    TrainerScheduler scheduler;

    /**
     * @param defaultName the instance name unless {@link #name} sets another
     * @param defaultSettings the settings unless {@link #settings} sets others; null if they are required
     */
    protected TrainerBuilder(String defaultName, S defaultSettings) {
        this.name = defaultName;
        this.settings = defaultSettings;
    }

    /** This builder as its own type: {@code B} is the subclass, as the class's bound requires. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The trainer's settings, as its settings type reads them from the configuration. */
    public B settings(S value) {
        this.settings = Objects.requireNonNull(value, "settings");
        return self();
    }

    /** The instance name from the config. */
    public B name(String value) {
        this.name = Objects.requireNonNull(value, "name");
        return self();
    }

    /** The clock for submission, start, completion and retention times (tests pass a fake one). */
    public B clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return self();
    }

    /** The modules {@code load()} can load; by default those on the class path. */
    public B modules(ModuleRegistry value) {
        this.modules = value;
        return self();
    }

    /**
     * The scheduler the trainer's timers run on ({@code max_duration}, polls); by default a daemon thread of the
     * trainer's own, stopped when it closes. A scheduler passed here is the caller's to close.
     */
    public B scheduler(TrainerScheduler value) {
        this.scheduler = Objects.requireNonNull(value, "scheduler");
        return self();
    }
}
