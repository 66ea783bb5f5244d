package dev.kiln.cli.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of run records: {@code <id>.json} holds the latest snapshot (replaced atomically, written only by the
 * owning process) and {@code <id>.log} the training's log lines.
 */
public final class RunStore {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final ObjectMapper READ = KilnJson.data();
    private static final ObjectMapper WRITE = KilnJson.strict();

    private final Path dir;

    public RunStore(Path dir) {
        this.dir = dir;
    }

    /** The directory the records live in. */
    public Path directory() {
        return dir;
    }

    /**
     * Writes a record, replacing the previous one atomically.
     *
     * @throws UncheckedIOException if the directory is not writable
     */
    public void write(RunRecord record) {
        String id = checkId(record.training().trainingId());
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + id, ".tmp");
            WRITE.writeValue(temp.toFile(), record);
            try {
                Files.move(temp, json(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, json(id), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the run record of training " + id + " in " + dir, e);
        }
    }

    /** Appends text to a training's log. */
    public void appendLog(String trainingId, String text) {
        String id = checkId(trainingId);
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    logFile(id), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the log of training " + id + " in " + dir, e);
        }
    }

    /**
     * The record with this id, or with this unique id prefix.
     *
     * @throws KilnException INVALID_ARGUMENT if the prefix matches several records
     */
    public Optional<RunRecord> find(String idOrPrefix) {
        if (!SAFE_ID.matcher(idOrPrefix).matches()) {
            return Optional.empty();
        }
        Optional<RunRecord> exact = read(json(idOrPrefix));
        if (exact.isPresent() || idOrPrefix.length() < 4) {
            return exact;
        }
        List<RunRecord> matches = list().stream()
                .filter(r -> r.training().trainingId().startsWith(idOrPrefix))
                .toList();
        if (matches.size() > 1) {
            throw KilnException.invalidArgument("Training id prefix '" + idOrPrefix + "' matches " + matches.size()
                    + " trainings; give more of the id");
        }
        return matches.stream().findFirst();
    }

    /** Every record, newest submission first; unreadable files are skipped. */
    public List<RunRecord> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<RunRecord> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".json")
                            && !p.getFileName().toString().startsWith("."))
                    .forEach(p -> read(p).ifPresent(all::add));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list run records in " + dir, e);
        }
        all.sort(Comparator.comparing(
                        (RunRecord r) -> r.training().submitted(), Comparator.nullsLast(Comparator.naturalOrder()))
                .reversed());
        return all;
    }

    /**
     * The training's log text.
     *
     * @throws KilnException NOT_FOUND if the training has no log
     */
    public String log(String trainingId) {
        String id = checkId(trainingId);
        try {
            return Files.readString(logFile(id), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw KilnException.notFound("Training " + id + " has no log in " + dir);
        } catch (IOException e) {
            throw new KilnException(ErrorCode.INTERNAL, "Cannot read the log of training " + id + ": " + e, e);
        }
    }

    /** Deletes the records and logs of trainings that ended longer than {@code retention} ago. */
    public void prune(Duration retention, Instant now) {
        if (retention == null) {
            return;
        }
        Instant cutoff = now.minus(retention);
        for (RunRecord r : list()) {
            Instant completed = r.training().completed();
            if (r.training().state().isTerminal() && completed != null && completed.isBefore(cutoff)) {
                String id = r.training().trainingId();
                try {
                    Files.deleteIfExists(json(id));
                    Files.deleteIfExists(logFile(id));
                } catch (IOException e) {
                    // another kiln may be pruning the same record
                }
            }
        }
    }

    private Optional<RunRecord> read(Path file) {
        try {
            return Optional.of(READ.readValue(file.toFile(), RunRecord.class));
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path json(String id) {
        return dir.resolve(id + ".json");
    }

    private Path logFile(String id) {
        return dir.resolve(id + ".log");
    }

    private static String checkId(String id) {
        if (!SAFE_ID.matcher(id).matches()) {
            throw KilnException.invalidArgument("Training id '" + id + "' cannot name a run record");
        }
        return id;
    }
}
