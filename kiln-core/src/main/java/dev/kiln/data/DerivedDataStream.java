package dev.kiln.data;

import java.util.Iterator;
import java.util.Optional;
import java.util.function.Supplier;

/** A mapped or filtered stream: re-iterable, but it has no descriptor to cross a process with. */
final class DerivedDataStream<T> implements DataStream<T> {
    private final Supplier<Iterator<T>> iterators;

    DerivedDataStream(Supplier<Iterator<T>> iterators) {
        this.iterators = iterators;
    }

    @Override
    public Iterator<T> iterator() {
        return iterators.get();
    }

    @Override
    public Optional<DataSource> source() {
        return Optional.empty();
    }
}
