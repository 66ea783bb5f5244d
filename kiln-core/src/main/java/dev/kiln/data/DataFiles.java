package dev.kiln.data;

import dev.kiln.error.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files a source names, in reading order, each checked against the {@link FileSourcePolicy} it is read under. */
final class DataFiles {
    private DataFiles() {}

    /**
     * A file to read: {@code named} as the source names it (its extension picks the reader), {@code real} where it
     * is opened.
     */
    record DataFile(Path named, Path real) {
        static DataFile of(Path named, FileSourcePolicy policy) {
            return new DataFile(named, policy.requireReadable(named));
        }

        /** Opens the file with the reader for its name's extension. */
        RecordFormat.RecordIterator open() {
            return RecordFormat.of(named).open(real);
        }
    }

    /**
     * The files of {@code source} as they are to be opened: a directory's matching regular files in name order,
     * and every path replaced by its real one when the policy confines them.
     *
     * @throws KilnException NOT_FOUND for a missing directory, INVALID_ARGUMENT naming a file whose links lead
     *     outside the policy's base or a directory that cannot be listed
     */
    static List<DataFile> of(DataSource source, FileSourcePolicy policy) {
        if (source instanceof DataSource.File f) {
            return List.of(DataFile.of(Path.of(f.filename()), policy));
        } else if (source instanceof DataSource.ListOfFiles l) {
            return l.files().stream().map(f -> DataFile.of(Path.of(f), policy)).toList();
        } else if (source instanceof DataSource.Directory d) {
            return directory(Path.of(d.dirname()), d.extension(), policy);
        }
        throw new IllegalStateException("unhandled source " + source);
    }

    private static List<DataFile> directory(Path dir, String extension, FileSourcePolicy policy) {
        Path real = policy.requireReadable(dir);
        if (!Files.isDirectory(real)) {
            throw KilnException.notFound("Data directory not found: " + dir);
        }
        String suffix = extension.startsWith(".") ? extension : "." + extension;
        List<Path> names;
        try (Stream<Path> listing = Files.list(real)) {
            names = listing.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw KilnException.invalidArgument("Cannot list data directory " + dir + ": " + e.getMessage());
        }
        List<DataFile> files = new ArrayList<>();
        for (Path name : names) {
            DataFile file = DataFile.of(name, policy);
            if (Files.isRegularFile(file.real())) {
                files.add(file);
            }
        }
        return files;
    }
}
