package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.local.LocalModelTrainer;
import java.lang.ref.Reference;
import java.util.Map;

/**
 * {@code e_retained_job_bytes}: heap bytes per retained finished job at 100,000 jobs ({@code retention_duration: 1d}).
 * Heap in use is read after repeated full collections before and after training 100,000 jobs into a warmed-up
 * trainer; the difference over the job count is one run's figure, and the line gives the median of three runs
 * (one under {@code --quick}).
 */
public final class RetainedBytesScenario implements Scenario {
    static final String NAME = "e_retained_job_bytes";
    private static final int JOBS = 100_000;
    private static final int WARM_UP_JOBS = 2_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchRun run) throws Exception {
        int runs = run.size(3, 1);
        double[] perJob = new double[runs];
        for (int r = 0; r < runs; r++) {
            LocalModelTrainer trainer = BenchTrainers.thread("1d");
            try {
                Jobs.fill(trainer, WARM_UP_JOBS, future -> {});
                long before = Jobs.settleHeap();
                Jobs.fill(trainer, JOBS, future -> {});
                long after = Jobs.settleHeap();
                perJob[r] = (after - before) / (double) JOBS;
                run.progress(NAME + " run " + (r + 1) + "/" + runs + ": " + Math.round(perJob[r]) + " bytes per job");
            } finally {
                Reference.reachabilityFence(trainer);
                trainer.close();
            }
        }
        Map<String, Object> line = BenchOutput.line(NAME);
        line.put("mode", "thread");
        line.put("retention_duration", "1d");
        line.put("jobs", JOBS);
        line.put("runs", runs);
        line.put("bytes", Math.round(Samples.median(perJob)));
        run.emit(line);
    }
}
