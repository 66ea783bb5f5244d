package dev.kiln.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A training's attempts on its page in a real browser (headless Chromium): a training whose first attempt failed
 * retryably and whose second completed shows one timeline entry per attempt with its outcome, and so does a
 * training that spent its retries. Screenshots go to {@code target/screenshots}.
 */
class AttemptTimelineBrowserTest extends BrowserTestBase {
    private static final String TRAIN = "/api/v1/SampleTaskSampleModuleTrain";
    private static final By ATTEMPTS = By.cssSelector("#timeline li[data-attempt]");

    @TempDir
    Path dir;

    private TestServer server;

    @Override
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private String train(String model, int failingAttempts, int maxRetries) {
        ObjectNode body = TestServer.request(
                model,
                TestServer.params()
                        .put("checkpoint_steps", 2)
                        .put("attempt_log", dir.resolve(model + ".log").toString())
                        .put("failing_attempts", failingAttempts));
        body.put("max_retries", maxRetries);
        Http.Reply r = server.http().post(TRAIN, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("training_id").asText();
    }

    private List<WebElement> attemptsShown(String id, String state, int count) {
        page.open(server.server().baseUri() + "/#/trainings/" + id);
        page.awaitAttribute(By.cssSelector(".training-actions .state"), "data-state", state);
        page.await(
                "" + count + " attempts in the timeline",
                d -> d.findElements(ATTEMPTS).size() == count);
        return page.all(ATTEMPTS);
    }

    @Test
    void aRetriedTrainingShowsOneTimelineEntryPerAttemptWithItsOutcome() {
        server = TestServer.start(dir, """
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config:
                        retry_backoff: {initial: 0.01s, max: 0.01s}
                """);
        String retried = train("retried", 1, 2);
        String spent = train("spent", 5, 1);
        server.awaitState(retried, "COMPLETED");
        server.awaitState(spent, "ERRORED");

        List<WebElement> entries = attemptsShown(retried, "COMPLETED", 2);
        assertThat(entries).extracting(e -> e.getDomAttribute("data-attempt")).containsExactly("1", "2");
        assertThat(entries).extracting(e -> e.getDomAttribute("data-outcome")).containsExactly("RETRIED", "COMPLETED");
        JsonNode first = server.http()
                .get("/management/trainings/" + retried)
                .json()
                .get("attempts")
                .get(0);
        assertThat(entries.get(0).getText())
                .contains("Attempt 1", "retried after")
                .contains(first.at("/error/kind").asText() + ": "
                        + first.at("/error/message").asText());
        assertThat(entries.get(1).getText()).contains("Attempt 2", "completed after");
        assertThat(entries.get(0).getAttribute("class")).contains("tl-errored");
        assertThat(entries.get(1).getAttribute("class")).contains("tl-completed");
        page.screenshot("training-attempts-retried");

        List<WebElement> spentEntries = attemptsShown(spent, "ERRORED", 2);
        assertThat(spentEntries)
                .extracting(e -> e.getDomAttribute("data-outcome"))
                .containsExactly("RETRIED", "ERRORED");
        assertThat(spentEntries.get(1).getText()).contains("Attempt 2", "errored after", "Attempt 2 failed");
        page.screenshot("training-attempts-spent");
    }

    @Test
    void aTrainingWithOneAttemptShowsNoAttemptEntries() {
        server = TestServer.start(dir, "");
        String once = train("once", 0, 2);
        server.awaitState(once, "COMPLETED");
        page.open(server.server().baseUri() + "/#/trainings/" + once);
        page.awaitAttribute(By.cssSelector(".training-actions .state"), "data-state", "COMPLETED");
        page.shown(By.cssSelector("#timeline li.tl-completed"));
        assertThat(page.all(ATTEMPTS)).isEmpty();
    }
}
