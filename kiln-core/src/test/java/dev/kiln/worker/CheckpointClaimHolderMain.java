package dev.kiln.worker;

import dev.kiln.checkpoint.CheckpointStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An earlier attempt's worker that still runs: claims the checkpoints in {@code args[0]}, says {@code held}, and when a
 * line arrives on its standard input saves the checkpoint of step {@code args[1]} and exits, letting the claim go.
 */
public final class CheckpointClaimHolderMain {
    private CheckpointClaimHolderMain() {}

    public static void main(String[] args) throws IOException {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]), 2);
        try (CheckpointStore.Claim claim = store.claim()) {
            System.out.println("held");
            System.out.flush();
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line != null) {
                store.save(Long.parseLong(args[1]), new byte[] {1});
            }
        }
    }
}
