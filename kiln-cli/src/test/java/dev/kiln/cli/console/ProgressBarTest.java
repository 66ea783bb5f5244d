package dev.kiln.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    static TrainingSnapshot running(Progress p) {
        return new TrainingSnapshot(
                "id-1", "TextClassifier", "default", JobStatus.RUNNING, T, T, null, p, List.of(), "/m", 0, List.of());
    }

    static Progress progress(long step, long total, int seconds) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", 0.25);
        metrics.put("val_accuracy", 0.9);
        return new Progress(step, total, metrics, T.plusSeconds(seconds));
    }

    @Test
    void showsEpochMetricsAndAnEstimateFromThePaceBetweenReports() {
        // First seen at step 1 after 5s (start-up included), step 2 at 10s: 5s an epoch, two to go, 1s gone.
        String line = ProgressBar.line(running(progress(2, 4, 10)), progress(1, 4, 5), T.plusSeconds(11));
        assertThat(line)
                .isEqualTo("TextClassifier [============>           ] epoch 2/4  loss 0.2500  "
                        + "val_accuracy 0.9000  ETA 0:09");
    }

    @Test
    void measuresFromTheStartWhenOnlyOneReportWasSeen() {
        String line = ProgressBar.line(running(progress(1, 3, 4)), progress(1, 3, 4), T.plusSeconds(4));
        assertThat(line).endsWith("ETA 0:08");
    }

    @Test
    void saysSavingOnceTheLastEpochIsDone() {
        String line = ProgressBar.line(running(progress(3, 3, 6)), null, T.plusSeconds(7));
        assertThat(line).contains("[========================] epoch 3/3").endsWith("saving 0:07");
    }

    @Test
    void showsASpinnerBeforeTheFirstReport() {
        String line = ProgressBar.line(running(null), null, T.plusSeconds(65));
        assertThat(line).matches("TextClassifier [|/\\\\-] running  1:05");
    }

    @Test
    void redrawsInPlaceAndClearsItself() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out));
        bar.render(running(progress(1, 4, 5)), T.plusSeconds(6));
        bar.render(running(progress(2, 4, 10)), T.plusSeconds(11));
        bar.clear();
        String text = out.toString();
        assertThat(text).startsWith("\rTextClassifier [").contains("\rTextClassifier [============>");
        assertThat(text).endsWith("\r");
        assertThat(text.chars().filter(c -> c == '\n')).isEmpty();
    }
}
