package dev.kiln.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes a process started, found quickly enough to be looked up on the way to killing them: by the trainer
 * for a worker it cancels, by a worker for what its training started. On Linux each thread of a process lists the
 * children it started in {@code /proc/<pid>/task/<tid>/children}: reading those of the process and of its descendants
 * takes a few small files, where {@link ProcessHandle#descendants()} reads the status of every
 * process on the machine (hundreds on a busy one, milliseconds). Elsewhere, or when the kernel keeps no such lists,
 * {@link ProcessHandle#descendants()} answers.
 */
public final class ProcessTree {
    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {}

    /** The live descendants of {@code root}, children before their own children. */
    public static List<ProcessHandle> descendants(ProcessHandle root) {
        Path self = taskDirectory(root.pid()).resolve(Long.toString(root.pid())).resolve("children");
        if (!Files.isReadable(self)) {
            return root.descendants().toList();
        }
        List<ProcessHandle> found = new ArrayList<>();
        List<Long> pending = new ArrayList<>(List.of(root.pid()));
        while (!pending.isEmpty()) {
            long pid = pending.remove(pending.size() - 1);
            for (long child : children(pid)) {
                Optional<ProcessHandle> handle = ProcessHandle.of(child);
                if (handle.isPresent()) {
                    found.add(handle.get());
                    pending.add(child);
                }
            }
        }
        return found;
    }

    /** The children every thread of {@code pid} started; none if it has exited meanwhile. */
    private static List<Long> children(long pid) {
        List<Path> tasks;
        try (Stream<Path> listing = Files.list(taskDirectory(pid))) {
            tasks = listing.toList();
        } catch (IOException e) {
            return List.of(); // it has exited
        }
        List<Long> children = new ArrayList<>();
        for (Path task : tasks) {
            String list;
            try {
                list = Files.readString(task.resolve("children"));
            } catch (IOException e) {
                continue; // the thread has exited: its children, if any, went to another thread's list
            }
            long pidRead = -1;
            for (int i = 0; i < list.length(); i++) {
                char c = list.charAt(i);
                if (c >= '0' && c <= '9') {
                    pidRead = (pidRead < 0 ? 0 : pidRead * 10) + (c - '0');
                } else if (pidRead >= 0) {
                    children.add(pidRead);
                    pidRead = -1;
                }
            }
            if (pidRead >= 0) {
                children.add(pidRead);
            }
        }
        return children;
    }

    private static Path taskDirectory(long pid) {
        return PROC.resolve(Long.toString(pid)).resolve("task");
    }
}
