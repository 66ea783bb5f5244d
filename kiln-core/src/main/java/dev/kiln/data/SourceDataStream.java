package dev.kiln.data;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;

/** A stream read from a {@link DataSource} afresh on each iteration, converting records to the element type. */
final class SourceDataStream<T> implements DataStream<T> {
    private final DataSource source;
    private final JavaType type;

    SourceDataStream(DataSource source, JavaType type) {
        this.source = source;
        this.type = type;
    }

    @Override
    public Optional<DataSource> source() {
        return Optional.of(source);
    }

    @Override
    public Iterator<T> iterator() {
        if (source instanceof DataSource.Inline inline) {
            Iterator<JsonNode> nodes = inline.data().iterator();
            return new Iterator<>() {
                private int index;

                @Override
                public boolean hasNext() {
                    return nodes.hasNext();
                }

                @Override
                public T next() {
                    JsonNode node = nodes.next();
                    index++;
                    if (node == null || node.isNull()) {
                        throw KilnException.invalidArgument(
                                "Bad record " + index + " in inline data: a record cannot be null");
                    }
                    try {
                        return RecordJson.mapper().convertValue(node, type);
                    } catch (IllegalArgumentException e) {
                        throw KilnException.invalidArgument(
                                "Bad record " + index + " in inline data: " + RecordFormat.firstLine(e.getMessage()));
                    }
                }
            };
        }
        return new FilesIterator(files().iterator());
    }

    private List<Path> files() {
        if (source instanceof DataSource.File f) {
            return List.of(Path.of(f.filename()));
        } else if (source instanceof DataSource.ListOfFiles l) {
            return l.files().stream().map(Path::of).toList();
        } else if (source instanceof DataSource.Directory d) {
            Path dir = Path.of(d.dirname());
            if (!Files.isDirectory(dir)) {
                throw KilnException.notFound("Data directory not found: " + dir);
            }
            String suffix = d.extension().startsWith(".") ? d.extension() : "." + d.extension();
            try (Stream<Path> listing = Files.list(dir)) {
                List<Path> files = new ArrayList<>(listing.filter(p -> Files.isRegularFile(p)
                                && p.getFileName().toString().endsWith(suffix))
                        .toList());
                Collections.sort(files);
                return files;
            } catch (IOException e) {
                throw KilnException.invalidArgument("Cannot list data directory " + dir + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("unhandled source " + source);
    }

    /** Walks the files in order, each with the reader for its extension. */
    private final class FilesIterator implements Iterator<T> {
        private final Iterator<Path> files;
        private RecordFormat.RecordIterator current;

        FilesIterator(Iterator<Path> files) {
            this.files = files;
        }

        @Override
        public boolean hasNext() {
            while (current == null || !current.hasNext()) {
                if (!files.hasNext()) {
                    return false;
                }
                Path file = files.next();
                current = RecordFormat.of(file).open(file);
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            JsonNode node = current.next();
            if (node.isNull()) {
                long line = current.line();
                current.close();
                throw current.bad(line, "a record cannot be null");
            }
            try {
                return RecordJson.mapper().convertValue(node, type);
            } catch (IllegalArgumentException e) {
                long line = current.line();
                current.close();
                throw current.bad(line, RecordFormat.firstLine(e.getMessage()));
            }
        }
    }

    @Override
    public String toString() {
        return "DataStream(" + source.toJson() + ")";
    }
}
