package dev.kiln.slurm;

import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.slurm.scheduler.SlurmTools;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures, on a running Slurm, what Kiln adds to a job: the time {@code train()} takes to return (files plus
 * sbatch) and the time until a trivial training is COMPLETED, next to {@code sbatch} of an empty job and the time
 * until Slurm reports that job COMPLETED. Jobs run one at a time. Usage: {@code SlurmSubmitBenchmark [runs]
 * [poll interval]}.
 */
public final class SlurmSubmitBenchmark {
    private SlurmSubmitBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String poll = args.length > 1 ? args[1] : "0.05s";
        int warmup = 3;
        Path work = Files.createTempDirectory("kiln-slurm-bench-");
        SlurmCommands slurm = new SlurmCommands(SlurmTools.onPath(), new ProcessCommandRunner(Duration.ofSeconds(60)));
        slurm.ping();

        List<Double> emptySubmit = new ArrayList<>();
        List<Double> emptyEndToEnd = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(
                            "sbatch", "--parsable", "--output=/dev/null", "--chdir=" + work, "--wrap", "true")
                    .start();
            String id = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            long submitted = System.nanoTime();
            SlurmJobStatus status;
            do {
                Thread.sleep(10);
                status = slurm.showJobs(List.of(id)).get(id);
            } while (status == null || !status.state().isFinished());
            long ended = System.nanoTime();
            if (i >= warmup) {
                emptySubmit.add((submitted - t0) / 1e6);
                emptyEndToEnd.add((ended - t0) / 1e6);
            }
        }

        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("default jvm_options", SlurmTrainerSettings.DEFAULT_JVM_OPTIONS);
        variants.put(
                "start-up jvm_options",
                List.of(
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xshare:auto",
                        "-XX:-UsePerfData"));
        Map<String, List<List<Double>>> kiln = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
            kiln.put(variant.getKey(), trainings(work, poll, variant.getValue(), warmup, runs));
        }
        System.out.printf(
                "Slurm %s, %d runs after %d warm-up, one job at a time, poll_interval %s%n",
                version(), runs, warmup, poll);
        System.out.println("                                   median      p90      min      max   (ms)");
        print("sbatch of an empty job (submit)", emptySubmit);
        print("empty job until Slurm says COMPLETED", emptyEndToEnd);
        kiln.forEach((variant, times) -> {
            System.out.println("Kiln, " + variant + ":");
            print("  train() returns (submit)", times.get(0));
            print("  trivial training until COMPLETED", times.get(1));
        });
    }

    /** Submit times and end-to-end times of trivial trainings, one at a time. */
    private static List<List<Double>> trainings(Path work, String poll, List<String> jvmOptions, int warmup, int runs)
            throws Exception {
        List<Double> submit = new ArrayList<>();
        List<Double> endToEnd = new ArrayList<>();
        try (SlurmModelTrainer trainer = SlurmModelTrainer.builder()
                .name("bench")
                .settings(SlurmCluster.settings(
                        work.resolve("kiln"),
                        Map.of("poll_interval", poll, "retention_duration", "0s", "jvm_options", jvmOptions)))
                .clock(Clock.systemUTC())
                .build()) {
            for (int i = 0; i < warmup + runs; i++) {
                long t0 = System.nanoTime();
                ModelFuture f = trainer.train(
                        new SampleModule(),
                        SampleModule.Params.defaults(),
                        TrainOptions.saveTo(work.resolve("model-" + i)));
                long submitted = System.nanoTime();
                JobInfo info = f.await(Duration.ofMinutes(2));
                long ended = System.nanoTime();
                if (info.status() != JobStatus.COMPLETED) {
                    throw new IllegalStateException("Training " + f.id() + " ended " + info + "\n" + f.logs());
                }
                if (i >= warmup) {
                    submit.add((submitted - t0) / 1e6);
                    endToEnd.add((ended - t0) / 1e6);
                }
            }
        }
        return List.of(submit, endToEnd);
    }

    private static String version() throws Exception {
        Process p = new ProcessBuilder("sbatch", "--version").start();
        String v = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return v;
    }

    private static void print(String what, List<Double> millis) {
        double[] s = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%-36s %8.1f %8.1f %8.1f %8.1f%n", what, pct(s, 50), pct(s, 90), s[0], s[s.length - 1]);
    }

    private static double pct(double[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
