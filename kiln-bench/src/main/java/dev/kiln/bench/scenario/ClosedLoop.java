package dev.kiln.bench.scenario;

import dev.kiln.bench.Samples;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop load: a number of clients, each on its own thread, each sending one call after another and waiting
 * for each answer, for a fixed time after every client had its first answer and a warm-up. Each call is timed alone;
 * the rate is the calls answered while measuring over the time measured.
 */
final class ClosedLoop {
    /** One client's calls; {@code call(i)} makes the client's i-th call and fails if the answer is not right. */
    @FunctionalInterface
    interface Client extends AutoCloseable {
        void call(int i) throws Exception;

        @Override
        default void close() throws IOException {}
    }

    /** Opens one client for the client number given. */
    @FunctionalInterface
    interface Clients {
        Client open(int number) throws Exception;
    }

    /**
     * What a load measured.
     *
     * @param samples every call's duration while measuring
     * @param opsPerSecond calls answered per second while measuring
     */
    record Result(Samples samples, double opsPerSecond) {
        double p50Ms() {
            return Samples.round(samples.percentileMs(50));
        }

        double p99Ms() {
            return Samples.round(samples.percentileMs(99));
        }
    }

    private final int clients;
    private final long warmMs;
    private final long measureMs;

    ClosedLoop(int clients, long warmMs, long measureMs) {
        this.clients = clients;
        this.warmMs = warmMs;
        this.measureMs = measureMs;
    }

    /** How many clients call at once. */
    int clients() {
        return clients;
    }

    /**
     * Runs the load, calling {@code atStart} as the measured time begins and {@code atEnd} as it ends.
     *
     * @throws IllegalStateException naming the first client failure
     */
    Result run(Clients open, Runnable atStart, Runnable atEnd) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(clients);
        CountDownLatch answered = new CountDownLatch(clients);
        List<Samples> perClient = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            int number = c;
            Thread t = new Thread(
                    () -> {
                        Samples mine = new Samples(1 << 14);
                        try (Client client = open.open(number)) {
                            for (int i = number * 61; !done.get(); i++) {
                                long t0 = System.nanoTime();
                                client.call(i);
                                long took = System.nanoTime() - t0;
                                answered.countDown();
                                if (measuring.get() && !done.get()) {
                                    mine.add(took);
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                            done.set(true);
                        } finally {
                            perClient.add(mine);
                            answered.countDown();
                            finished.countDown();
                        }
                    },
                    "bench-client-" + c);
            t.setDaemon(true);
            t.start();
        }
        answered.await();
        Thread.sleep(warmMs);
        atStart.run();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measureMs);
        done.set(true);
        long elapsed = System.nanoTime() - start;
        atEnd.run();
        finished.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("A client failed: " + failures.get(0), failures.get(0));
        }
        Samples all = new Samples(1 << 16);
        for (Samples s : perClient) {
            all.addAll(s);
        }
        return new Result(all, all.size() / (elapsed / 1e9));
    }
}
