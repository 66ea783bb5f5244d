package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import dev.kiln.testing.SampleModel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelCacheTest {
    private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

    private static ServedModel served(String id, long generation) {
        return new ServedModel(
                id, Path.of("/models", id), ModelOrigin.LOCAL, "module", null, Instant.EPOCH, generation);
    }

    private ModelLoader counting() {
        return m -> {
            loads.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
            return new SampleModel(1, 0);
        };
    }

    private int loadsOf(String id) {
        return loads.getOrDefault(id, new AtomicInteger()).get();
    }

    private static ModelCache cache(ModelLoader loader, long maxBytes) {
        return new ModelCache(loader, m -> 100, maxBytes, System::nanoTime);
    }

    @Test
    void manyCallersAtOnceShareOneLoad() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ModelCache cache = cache(
                m -> {
                    calls.incrementAndGet();
                    entered.countDown();
                    release.await();
                    return new SampleModel(2, 0);
                },
                1_000);
        ServedModel m = served("a", 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LoadedModel>> results = new ArrayList<>();
            results.add(pool.submit(() -> cache.get(m)));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 7; i++) {
                results.add(pool.submit(() -> cache.get(m)));
            }
            release.countDown();
            Model first = results.get(0).get(10, TimeUnit.SECONDS).model();
            for (Future<LoadedModel> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).model()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void theLeastRecentlyUsedModelIsEvictedToStayWithinTheBoundAndReloadsOnDemand() {
        ModelCache cache = cache(counting(), 250);
        ServedModel a = served("a", 1);
        ServedModel b = served("b", 2);
        ServedModel c = served("c", 3);
        cache.get(a);
        cache.get(b);
        cache.get(a); // a is now more recently used than b
        cache.get(c);

        assertThat(cache.usedBytes()).isEqualTo(200);
        assertThat(cache.peek(b)).isEmpty();
        assertThat(cache.peek(a)).isPresent();
        assertThat(cache.peek(c)).isPresent();

        cache.get(b);
        assertThat(loadsOf("b")).isEqualTo(2);
        assertThat(loadsOf("a")).isEqualTo(1);
        assertThat(cache.peek(a)).isEmpty(); // a was least recently used when b came back
        assertThat(cache.usedBytes()).isLessThanOrEqualTo(250);
    }

    @Test
    void aModelLargerThanTheBoundStaysAloneUntilTheNextLoad() {
        ModelCache cache = new ModelCache(counting(), m -> m.id().equals("big") ? 500 : 100, 250, System::nanoTime);
        cache.get(served("small", 1));
        LoadedModel big = cache.get(served("big", 2));

        assertThat(big.estimatedBytes()).isEqualTo(500);
        assertThat(cache.loaded()).extracting(l -> l.served().id()).containsExactly("big");
    }

    @Test
    void aFailedLoadNamesTheModelAndTheCauseAndDoesNotPoisonLaterCalls() {
        AtomicInteger attempts = new AtomicInteger();
        ModelCache cache = cache(
                m -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new java.io.IOException("weights.json is truncated");
                    }
                    return new SampleModel(3, 0);
                },
                1_000);
        ServedModel m = served("flaky", 1);

        assertThatThrownBy(() -> cache.get(m))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("'flaky'")
                .hasMessageContaining("weights.json is truncated");
        assertThat(cache.usedBytes()).isZero();
        assertThat(cache.lastFailure(m))
                .hasValueSatisfying(f -> assertThat(f).contains("'flaky'").contains("weights.json is truncated"));

        assertThat(((SampleModel) cache.get(m).model()).batchSize()).isEqualTo(3);
        assertThat(attempts).hasValue(2);
        assertThat(cache.lastFailure(m)).isEmpty();
    }

    @Test
    void aLoadersInternalErrorIsTheModelsFaultAndNotTheServers() {
        ModelCache cache = cache(
                m -> {
                    throw new KilnException(ErrorCode.INTERNAL, "Model artifact /models/m/w.pb is unreadable");
                },
                1_000);

        assertThatThrownBy(() -> cache.get(served("m", 1)))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("Model 'm' could not be loaded")
                .hasMessageContaining("w.pb is unreadable");
    }

    @Test
    void aLoadersOwnErrorKeepsItsCode() {
        ModelCache cache = cache(
                m -> {
                    throw KilnException.notFound("No model at /models/gone: the path does not exist");
                },
                1_000);

        assertThatThrownBy(() -> cache.get(served("gone", 1)))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("Model 'gone' could not be loaded")
                .hasMessageContaining("/models/gone");
    }

    @Test
    void aNewGenerationOfTheSameIdIsLoadedAfreshAndEvictingFreesItsBytes() {
        ModelCache cache = cache(counting(), 1_000);
        ServedModel old = served("m", 1);
        cache.get(old);
        cache.get(served("m", 2));
        assertThat(loadsOf("m")).isEqualTo(2);

        cache.evict(old);
        assertThat(cache.usedBytes()).isEqualTo(100);
        cache.evict(served("m", 2));
        assertThat(cache.usedBytes()).isZero();
        assertThat(cache.loaded()).isEmpty();
    }

    @Test
    void aFakeTimeSourceMeasuresTheLoad() {
        long[] now = {1_000};
        ModelCache cache = new ModelCache(
                m -> {
                    now[0] += 42_000_000;
                    return new SampleModel(1, 0);
                },
                m -> 1,
                10,
                () -> now[0]);

        assertThat(cache.get(served("timed", 1)).loadTime()).hasMillis(42);
    }
}
