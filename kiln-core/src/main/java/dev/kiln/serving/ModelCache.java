package dev.kiln.serving;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Loaded models, bounded by memory: a model loads on first use, once even when many threads ask for it at the same
 * moment; each loaded model counts its estimated size against {@code maxBytes}, and the least recently used are
 * evicted to make room (the one just loaded always stays, even alone over the bound); an evicted model loads again
 * when next asked for. A failed load is reported to every caller waiting on it and then forgotten, so the next call
 * tries again; its cause is kept for listings until a load succeeds or the model is dropped. A model whose files do
 * not load is the files' fault, not the server's: it is reported as caikit's loader reports such a model
 * ({@code caikit/runtime/model_management/model_loader_base.py}: NOT_FOUND, naming the model and the cause), unless
 * the loader gave a more precise code of its own. Entries are keyed by {@link ServedModel#key()}, so the ids that serve the same files share one load,
 * and a model saved again is a new entry.
 */
public final class ModelCache {
    private final ModelLoader loader;
    private final SizeEstimator sizes;
    private final long maxBytes;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<ServedModel.Key, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ServedModel.Key, String> failures = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final Object evictionLock = new Object();
    private long usedBytes; // guarded by evictionLock

    /**
     * A cache that loads with {@code loader} and holds at most {@code maxBytes} of estimated model size.
     *
     * @param nanoTime the time source for load durations ({@link System#nanoTime} in production)
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public ModelCache(ModelLoader loader, SizeEstimator sizes, long maxBytes, LongSupplier nanoTime) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("The model cache bound must be positive; got " + maxBytes);
        }
        this.loader = loader;
        this.sizes = sizes;
        this.maxBytes = maxBytes;
        this.nanoTime = nanoTime;
    }

    /**
     * The loaded model, loading it first if needed; callers asking at the same moment share one load.
     *
     * @throws KilnException naming the model id and the cause if loading fails: the loader's own code for a
     *     {@link KilnException} with a code other than INTERNAL, NOT_FOUND otherwise
     */
    public LoadedModel get(ServedModel model) {
        Entry entry = entries.get(model.key());
        if (entry == null) {
            Entry fresh = new Entry();
            entry = entries.putIfAbsent(model.key(), fresh);
            if (entry == null) {
                entry = fresh;
                load(model, fresh);
            }
        }
        entry.lastUse = clock.incrementAndGet();
        try {
            return entry.future.join();
        } catch (CompletionException e) {
            throw (KilnException) e.getCause();
        }
    }

    /** Why the model's last load failed, if it failed and has not loaded since (nor been dropped). */
    public Optional<String> lastFailure(ServedModel model) {
        return Optional.ofNullable(failures.get(model.key()));
    }

    /** The loaded model if it is in memory now; never loads. */
    public Optional<LoadedModel> peek(ServedModel model) {
        return peek(model.key());
    }

    private Optional<LoadedModel> peek(ServedModel.Key key) {
        Entry entry = entries.get(key);
        if (entry == null || !entry.future.isDone() || entry.future.isCompletedExceptionally()) {
            return Optional.empty();
        }
        return Optional.of(entry.future.join());
    }

    /** Drops a model from memory (a no-op if it is not loaded); the next {@link #get} loads it again. */
    public void evict(ServedModel model) {
        failures.remove(model.key());
        Entry entry = entries.remove(model.key());
        if (entry != null) {
            release(entry);
        }
    }

    /** The estimated bytes of the models in memory. */
    public long usedBytes() {
        synchronized (evictionLock) {
            return usedBytes;
        }
    }

    /** The bound on {@link #usedBytes()}. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The models in memory now. */
    public List<LoadedModel> loaded() {
        List<LoadedModel> out = new ArrayList<>();
        for (ServedModel.Key k : entries.keySet()) {
            peek(k).ifPresent(out::add);
        }
        return out;
    }

    private void load(ServedModel model, Entry entry) {
        long start = nanoTime.getAsLong();
        LoadedModel loaded;
        try {
            Model m = loader.load(model);
            if (m == null) {
                throw new IllegalStateException("the loader returned no model");
            }
            loaded = new LoadedModel(model, m, sizes.estimate(model), Duration.ofNanos(nanoTime.getAsLong() - start));
        } catch (Exception | LinkageError e) {
            KilnException failure = failure(model, e);
            failures.put(model.key(), failure.getMessage());
            entries.remove(model.key(), entry);
            entry.future.completeExceptionally(failure);
            return;
        }
        failures.remove(model.key());
        synchronized (evictionLock) {
            if (entries.get(model.key()) == entry) {
                entry.bytes = loaded.estimatedBytes();
                usedBytes += entry.bytes;
                entry.lastUse = clock.incrementAndGet();
                evictOver(entry);
            }
        }
        entry.future.complete(loaded);
    }

    private void evictOver(Entry keep) {
        if (usedBytes <= maxBytes) {
            return;
        }
        List<Map.Entry<ServedModel.Key, Entry>> candidates = new ArrayList<>();
        for (Map.Entry<ServedModel.Key, Entry> e : entries.entrySet()) {
            if (e.getValue() != keep && e.getValue().bytes > 0) {
                candidates.add(e);
            }
        }
        candidates.sort(Comparator.comparingLong(e -> e.getValue().lastUse));
        for (Map.Entry<ServedModel.Key, Entry> e : candidates) {
            if (usedBytes <= maxBytes) {
                return;
            }
            if (entries.remove(e.getKey(), e.getValue())) {
                usedBytes -= e.getValue().bytes;
                e.getValue().bytes = 0;
            }
        }
    }

    private void release(Entry entry) {
        synchronized (evictionLock) {
            usedBytes -= entry.bytes;
            entry.bytes = 0;
        }
    }

    private static KilnException failure(ServedModel model, Throwable e) {
        if (e instanceof KilnException ke && ke.code() != ErrorCode.INTERNAL) {
            return new KilnException(
                    ke.code(), "Model '" + model.id() + "' could not be loaded: " + ke.getMessage(), ke);
        }
        String cause = e instanceof KilnException ? e.getMessage() : e.toString();
        return new KilnException(
                ErrorCode.NOT_FOUND,
                "Model '" + model.id() + "' could not be loaded from " + model.path() + ": " + cause,
                e);
    }

    /** One model's load and its bookkeeping; {@code bytes} is guarded by the eviction lock. */
    private static final class Entry {
        final CompletableFuture<LoadedModel> future = new CompletableFuture<>();
        volatile long lastUse;
        long bytes;
    }
}
