package dev.kiln.server.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Instants as {@code google.protobuf.Timestamp}s. */
final class Timestamps {
    private Timestamps() {}

    static Timestamp of(Instant t) {
        return Timestamp.newBuilder()
                .setSeconds(t.getEpochSecond())
                .setNanos(t.getNano())
                .build();
    }
}
