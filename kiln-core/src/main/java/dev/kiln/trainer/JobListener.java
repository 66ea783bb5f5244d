package dev.kiln.trainer;

/** Receives job events synchronously, on the thread that caused them; keep it quick and never throw. */
@FunctionalInterface
public interface JobListener {
    void onEvent(JobEvent event);
}
