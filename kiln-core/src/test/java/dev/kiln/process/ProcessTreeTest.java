package dev.kiln.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {
    private Process root;

    @AfterEach
    void kill() {
        if (root != null) {
            root.descendants().forEach(ProcessHandle::destroyForcibly);
            root.destroyForcibly();
        }
    }

    @Test
    void findsChildrenAndGrandchildrenAsTheJdkDoes() throws Exception {
        root = new ProcessBuilder("sh", "-c", "sleep 600 & sh -c 'sleep 600 & sleep 600 & wait' & wait").start();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessTree.descendants(root.toHandle()).size() == 4);
        List<Long> found = ProcessTree.descendants(root.toHandle()).stream()
                .map(ProcessHandle::pid)
                .toList();

        assertThat(found)
                .containsExactlyInAnyOrderElementsOf(
                        root.descendants().map(ProcessHandle::pid).toList());
        ProcessHandle inner = root.children()
                .filter(c -> c.children().count() == 2)
                .findFirst()
                .orElseThrow();
        assertThat(found.indexOf(inner.pid()))
                .as("a child comes before its own children")
                .isLessThan(
                        found.indexOf(inner.children().findFirst().orElseThrow().pid()));
    }

    @Test
    void aProcessWithoutChildrenHasNoDescendants() throws Exception {
        root = new ProcessBuilder("sleep", "600").start();

        assertThat(ProcessTree.descendants(root.toHandle())).isEmpty();
    }

    @Test
    void anExitedProcessHasNoDescendants() throws Exception {
        root = new ProcessBuilder("true").start();
        root.waitFor();

        assertThat(ProcessTree.descendants(root.toHandle())).isEmpty();
    }
}
