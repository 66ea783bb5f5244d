package dev.kiln.modules.sgd;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Builds Tribuo datasets from examples. */
final class TribuoData {
    private TribuoData() {}

    /**
     * An immutable dataset of the examples: its feature and output id maps are fixed, so the ids Kiln reads match
     * the ids Tribuo's trainer uses.
     */
    static <T extends Output<T>> ImmutableDataset<T> dataset(
            List<Example<T>> examples, OutputFactory<T> factory, String description) {
        MutableDataset<T> mutable = new MutableDataset<>(
                new SimpleDataSourceProvenance(description, OffsetDateTime.now(ZoneOffset.UTC), factory), factory);
        mutable.addAll(examples);
        return ImmutableDataset.copyDataset(mutable);
    }
}
