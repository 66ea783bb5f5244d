package dev.kiln.local.child;

import static dev.kiln.local.child.ChildTrainers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM never outlives its parent: killed with SIGKILL, the parent cannot clean up, so the child must notice. */
class ParentDeathTest {
    @TempDir
    Path tmp;

    private Process parent;
    private long child;

    @AfterEach
    void killLeftovers() {
        if (parent != null) {
            parent.destroyForcibly();
        }
        if (child != 0) {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aChildExitsWhenItsParentIsKilled() throws Exception {
        Path started = tmp.resolve("started");
        parent = new ProcessBuilder(
                        JavaExecutable.current(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        TrainingParentMain.class.getName(),
                        tmp.resolve("work").toString(),
                        tmp.resolve("gate").toString(),
                        started.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("parent.log").toFile())
                .start();
        child = ChildTrainers.startedPid(started);
        assertThat(child).isNotEqualTo(parent.pid());
        assertThat(ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .contains(parent.pid());

        parent.toHandle().destroyForcibly();
        assertThat(parent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        ChildTrainers.awaitGone(child);
    }
}
