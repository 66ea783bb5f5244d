package dev.kiln.data;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/** A stream read from a {@link DataSource} afresh on each iteration, converting records to the element type. */
final class SourceDataStream<T> implements DataStream<T> {
    private final DataSource source;
    private final JavaType type;
    private final FileSourcePolicy policy;

    SourceDataStream(DataSource source, JavaType type, FileSourcePolicy policy) {
        this.source = source;
        this.type = type;
        this.policy = policy;
    }

    @Override
    public FileSourcePolicy fileSourcePolicy() {
        return policy;
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
        return new FilesIterator(DataFiles.of(source, policy).iterator());
    }

    /** Walks the files in order, each with the reader for its extension. */
    private final class FilesIterator implements Iterator<T> {
        private final Iterator<DataFiles.DataFile> files;
        private RecordFormat.RecordIterator current;

        FilesIterator(Iterator<DataFiles.DataFile> files) {
            this.files = files;
        }

        @Override
        public boolean hasNext() {
            while (current == null || !current.hasNext()) {
                if (!files.hasNext()) {
                    return false;
                }
                current = files.next().open();
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
