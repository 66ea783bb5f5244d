package dev.kiln.process;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The processes a process started, found quickly enough to be looked up on the way to killing them: by the trainer
 * for a worker it cancels, by a worker for what its training started. On Linux each thread of a process lists the
 * children it started in {@code /proc/<pid>/task/<tid>/children}: reading those of the process and of its descendants
 * takes a few small files, where {@link ProcessHandle#descendants()} reads the status of every
 * process on the machine (hundreds on a busy one, milliseconds). Elsewhere, or when the kernel keeps no such lists,
 * {@link ProcessHandle#descendants()} answers.
 */
public final class ProcessTree {
    /** The first size of the buffer a child list is read into: most lists are empty, few pass a line. */
    private static final int BUFFER = 256;

    private ProcessTree() {}

    /** The live descendants of {@code root}, children before their own children. */
    public static List<ProcessHandle> descendants(ProcessHandle root) {
        if (!new File(tasksOf(root.pid()) + root.pid() + "/children").canRead()) {
            return root.descendants().toList();
        }
        List<ProcessHandle> found = new ArrayList<>();
        List<Long> pending = new ArrayList<>(List.of(root.pid()));
        byte[] buffer = new byte[BUFFER];
        while (!pending.isEmpty()) {
            long pid = pending.remove(pending.size() - 1);
            for (long child : children(pid, buffer)) {
                Optional<ProcessHandle> handle = ProcessHandle.of(child);
                if (handle.isPresent()) {
                    found.add(handle.get());
                    pending.add(child);
                }
            }
        }
        return found;
    }

    /**
     * The children every thread of {@code pid} started; none if it has exited meanwhile. Read with {@link File#list()}
     * and a plain {@link FileInputStream}: on the way to a kill this code runs a few times in a process, so in the
     * interpreter, where a directory stream and {@code Files.readString} took about twice as long per thread.
     */
    private static List<Long> children(long pid, byte[] buffer) {
        String tasks = tasksOf(pid);
        String[] threads = new File(tasks).list();
        if (threads == null) {
            return List.of(); // it has exited
        }
        List<Long> children = new ArrayList<>();
        byte[] list = buffer;
        for (String thread : threads) {
            int length = 0;
            try (FileInputStream in = new FileInputStream(tasks + thread + "/children")) {
                int read;
                while ((read = in.read(list, length, list.length - length)) > 0) {
                    length += read;
                    if (length == list.length) {
                        list = Arrays.copyOf(list, length * 2);
                    }
                }
            } catch (IOException e) {
                continue; // the thread has exited: its children, if any, went to another thread's list
            }
            parse(list, length, children);
        }
        return children;
    }

    /** Adds the pids in the first {@code length} bytes of {@code list}, decimals separated by spaces. */
    private static void parse(byte[] list, int length, List<Long> into) {
        long pidRead = -1;
        for (int i = 0; i < length; i++) {
            int c = list[i];
            if (c >= '0' && c <= '9') {
                pidRead = (pidRead < 0 ? 0 : pidRead * 10) + (c - '0');
            } else if (pidRead >= 0) {
                into.add(pidRead);
                pidRead = -1;
            }
        }
        if (pidRead >= 0) {
            into.add(pidRead);
        }
    }

    /** The directory of {@code pid}'s threads, with a trailing slash. */
    private static String tasksOf(long pid) {
        return "/proc/" + pid + "/task/";
    }
}
