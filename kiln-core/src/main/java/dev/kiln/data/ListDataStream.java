package dev.kiln.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Records held in memory; described as an inline {@code data} source when it crosses a process. */
final class ListDataStream<T> implements DataStream<T> {
    private final List<T> items;

    ListDataStream(List<T> items) {
        this.items = items;
    }

    @Override
    public Iterator<T> iterator() {
        return items.iterator();
    }

    @Override
    public List<T> toList() {
        return items;
    }

    @Override
    public Optional<DataSource> source() {
        List<JsonNode> nodes = items.stream()
                .map(item -> RecordJson.mapper().<JsonNode>valueToTree(item))
                .toList();
        return Optional.of(new DataSource.Inline(nodes));
    }

    @Override
    public String toString() {
        return "DataStream(" + items.size() + " records in memory)";
    }
}
