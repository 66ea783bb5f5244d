package dev.kiln.data;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy, re-iterable, typed stream of training records. Each iteration reads its source afresh; streams opened
 * from a {@link DataSource} can be described as JSON and re-opened in another process.
 *
 * @param <T> the record type
 */
public interface DataStream<T> extends Iterable<T> {

    /** A stream over records held in memory; it crosses processes as an inline {@code data} descriptor. */
    static <T> DataStream<T> of(Collection<? extends T> items) {
        return new ListDataStream<>(List.copyOf(items));
    }

    /** A stream over the given records. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array, so it never escapes
    static <T> DataStream<T> of(T... items) {
        return new ListDataStream<>(List.of(items));
    }

    /** Opens a source, converting each record to {@code type}. */
    static <T> DataStream<T> open(DataSource source, Class<T> type) {
        return open(source, RecordJson.mapper().constructType(type), FileSourcePolicy.unrestricted());
    }

    /** Opens a source whose files must stay inside {@code files}' base each time they are read. */
    static <T> DataStream<T> open(DataSource source, Class<T> type, FileSourcePolicy files) {
        return open(source, RecordJson.mapper().constructType(type), files);
    }

    /** Opens a source, converting each record to a generic type such as {@code Map<String, Object>}. */
    static <T> DataStream<T> open(DataSource source, JavaType type) {
        return open(source, type, FileSourcePolicy.unrestricted());
    }

    /** Opens a source, converting each record to {@code type}, whose files must stay inside {@code files}' base. */
    static <T> DataStream<T> open(DataSource source, JavaType type, FileSourcePolicy files) {
        return new SourceDataStream<>(source, type, files);
    }

    /** A stream of each record transformed; it is not re-openable in another process. */
    default <R> DataStream<R> map(Function<? super T, ? extends R> fn) {
        DataStream<T> self = this;
        return new DerivedDataStream<>(() -> new Iterator<R>() {
            private final Iterator<T> it = self.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public R next() {
                return fn.apply(it.next());
            }
        });
    }

    /** A stream of the records that match; it is not re-openable in another process. */
    default DataStream<T> filter(Predicate<? super T> keep) {
        DataStream<T> self = this;
        return new DerivedDataStream<>(() -> new Iterator<T>() {
            private final Iterator<T> it = self.iterator();
            private T next;
            private boolean ready;

            @Override
            public boolean hasNext() {
                while (!ready && it.hasNext()) {
                    T candidate = it.next();
                    if (keep.test(candidate)) {
                        next = candidate;
                        ready = true;
                    }
                }
                return ready;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                ready = false;
                return next;
            }
        });
    }

    /** A sequential {@link Stream} over one iteration. */
    default Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }

    /** Reads every record into a list. */
    default List<T> toList() {
        List<T> all = new ArrayList<>();
        forEach(all::add);
        return all;
    }

    /** The confinement this stream's files are read under; unrestricted unless it was opened under a base. */
    default FileSourcePolicy fileSourcePolicy() {
        return FileSourcePolicy.unrestricted();
    }

    /** The descriptor this stream can be re-opened from in another process, if it has one. */
    Optional<DataSource> source();

    /** The descriptor as caikit-shaped JSON; empty for derived (mapped or filtered) streams. */
    default Optional<JsonNode> toJson() {
        return source().map(DataSource::toJson);
    }
}
