package dev.kiln.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (headless Chromium) against a real server: starting a training from the form
 * and watching it run and finish, cancelling one, a refused request, the token gate, and the live table.
 * Each test saves a screenshot under {@code target/screenshots}.
 */
class DashboardBrowserTest extends BrowserTestBase {
    @TempDir
    Path dir;

    private DashboardServer server;

    @Override
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private DashboardServer serve(String token) {
        server = DashboardServer.start(dir, token);
        return server;
    }

    /** The log panel shows the last line of what the logs route answers, or says that nothing was captured. */
    private void awaitLogShown(String id, String whenEmpty) {
        String logs = server.http()
                .get("/management/trainings/" + id + "/logs")
                .body()
                .strip();
        page.awaitText(By.id("training-log"), logs.isEmpty() ? whenEmpty : logs.substring(logs.lastIndexOf('\n') + 1));
    }

    @Test
    void startsATrainingFromTheFormAndWatchesItRunAndComplete() {
        serve(null);
        String data = server.dataFile("reviews.jsonl", 240);
        Path gates = server.gates("form");
        page.open(server.url() + "#/modules");
        page.awaitText(By.cssSelector("[data-module='EpochModule']"), "learning_rate");
        page.screenshot("modules");
        page.shown(By.cssSelector("[data-module='EpochModule'] a.button")).click();

        page.type(By.id("model-name"), "sentiment-v1");
        page.type(By.id("param-training_data"), data);
        page.type(By.id("param-epochs"), "12");
        page.type(By.id("param-gate_dir"), gates.toString());
        page.find(By.id("start-training")).click();

        page.await("the training's page", d -> page.fragment().startsWith("#/trainings/"));
        String id = page.fragment().substring("#/trainings/".length());
        By state = By.cssSelector(".training-actions .state");
        page.awaitAttribute(state, "data-state", "RUNNING");

        By bar = By.cssSelector("#training-progress .progress");
        By lossChart = By.cssSelector("figure.chart[data-metric='loss']");
        DashboardServer.openThrough(gates, 3);
        page.awaitAttribute(bar, "data-step", "3");
        page.awaitAttribute(lossChart, "data-points", "3");
        assertThat(page.attribute(bar, "aria-valuenow")).isEqualTo("25");
        DashboardServer.openThrough(gates, 7);
        page.awaitAttribute(bar, "data-step", "7");
        page.awaitAttribute(lossChart, "data-points", "7");
        page.awaitAttribute(By.cssSelector("figure.chart[data-metric='accuracy']"), "data-points", "7");
        awaitLogShown(id, "No log lines yet.");

        page.go("#/");
        By row = By.cssSelector("#trainings-rows tr[data-id='" + id + "']");
        page.awaitAttribute(row, "data-state", "RUNNING");
        assertThat(page.text(row)).contains("sentiment-v1", "EpochModule", "7 / 12");
        page.screenshot("trainings-running");
        DashboardServer.openThrough(gates, 9);
        page.awaitText(row, "9 / 12");

        page.find(By.cssSelector("#trainings-rows tr[data-id='" + id + "'] a")).click();
        page.awaitAttribute(lossChart, "data-points", "9");
        DashboardServer.openThrough(gates, 12);
        page.awaitAttribute(state, "data-state", "COMPLETED");
        page.awaitAttribute(lossChart, "data-points", "12");
        page.awaitText(By.id("timeline"), "Completed");
        awaitLogShown(id, "No log output was captured for this training.");
        assertThat(page.all(By.id("cancel-training"))).isEmpty();
        assertThat(page.text(By.id("save-path"))).contains(id).endsWith("sentiment-v1");
        assertThat(page.text(By.id("parameters"))).contains("training_data", "reviews.jsonl", "epochs", "12");
        page.screenshot("training-completed");

        assertThat(server.detail(id).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(page.neverReloaded())
                .as("the page followed the training without reloading")
                .isTrue();
        assertThat(page.requestedUrls())
                .as("every request goes to the Kiln server")
                .allSatisfy(url -> assertThat(url).startsWith(server.url()));
    }

    @Test
    void cancelsALongTrainingFromItsPageAfterConfirming() {
        serve(null);
        Path gates = server.gates("long");
        ObjectNode params = TestServer.params().put("epochs", 5000).put("gate_dir", gates.toString());
        String id = server.train("long-run", params);
        DashboardServer.openThrough(gates, 4);
        server.awaitStep(id, 4);

        page.open(server.url() + "#/trainings/" + id);
        By state = By.cssSelector(".training-actions .state");
        page.awaitAttribute(state, "data-state", "RUNNING");
        page.awaitAttribute(By.cssSelector("figure.chart[data-metric='loss']"), "data-points", "4");

        page.shown(By.id("cancel-training")).click();
        WebElement dialog = page.shown(By.id("confirm"));
        assertThat(dialog.getText()).contains("Cancel this training?");
        dialog.findElement(By.cssSelector("[data-answer='no']")).click();
        page.await("the dialog to close", d -> !d.findElement(By.id("confirm")).isDisplayed());
        assertThat(server.detail(id).get("state").asText())
                .as("kept running when not confirmed")
                .isEqualTo("RUNNING");

        page.shown(By.id("cancel-training")).click();
        page.shown(By.id("confirm"));
        Object reopened = page.jsAsync("""
                const answer = arguments[arguments.length - 1];
                const dialog = document.getElementById('confirm');
                dialog.addEventListener('close', () => setTimeout(() => answer(dialog.open)), { once: true });
                dialog.querySelector('[data-answer="no"]').click();
                document.getElementById('cancel-training').click();
                """);
        assertThat(reopened)
                .as("asked again at once, the dialog stays open once the first answer's close event" + " arrives")
                .isEqualTo(true);
        page.shown(By.id("confirm"));
        page.screenshot("training-cancel-confirm");
        page.find(By.cssSelector("#confirm [data-answer='yes']")).click();
        page.awaitAttribute(state, "data-state", "CANCELED");
        page.awaitText(By.id("timeline"), "Canceled");
        page.awaitText(By.id("training-progress"), "Canceled at step 4 of 5000");
        assertThat(page.all(By.id("cancel-training"))).isEmpty();
        page.screenshot("training-canceled");
        assertThat(server.detail(id).get("state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void showsTheServersReasonWhenItRefusesATraining() {
        serve(null);
        page.open(server.url() + "#/modules/EpochModule");
        page.type(By.id("model-name"), "too-eager");
        page.type(By.id("param-epochs"), "twelve");
        page.find(By.id("start-training")).click();
        page.awaitText(By.id("param-epochs-error"), "epochs must be a whole number; got 'twelve'");
        assertThat(page.find(By.id("form-error")).isDisplayed()).isFalse();

        page.type(By.id("param-epochs"), "12");
        page.type(By.id("param-learning_rate"), "-0.5");
        page.find(By.id("start-training")).click();
        page.shown(By.id("form-error"));
        String expected = server.http()
                .post(
                        DashboardServer.ROUTE,
                        TestServer.request(
                                "too-eager",
                                TestServer.params().put("epochs", 12).put("learning_rate", -0.5)))
                .json()
                .get("details")
                .asText();
        assertThat(expected).contains("learning_rate must be a positive number; got -0.5");
        page.awaitText(By.id("form-error-details"), expected);
        assertThat(page.text(By.id("form-error"))).contains("HTTP 400");
        page.screenshot("form-refused");

        page.type(By.id("param-learning_rate"), "0.1");
        page.type(By.id("param-training_data"), "../../outside.jsonl");
        page.find(By.id("start-training")).click();
        page.awaitText(By.id("form-error-details"), "training_data");
        assertThat(page.text(By.id("form-error-details"))).contains("../../outside.jsonl");
        assertThat(page.text(By.id("param-training_data-error"))).contains("refused this value");

        assertThat(server.http()
                        .get("/management/trainings")
                        .json()
                        .get("total")
                        .asInt())
                .as("no training was created")
                .isZero();
        assertThat(page.fragment()).isEqualTo("#/modules/EpochModule");
    }

    @Test
    void withATokenThePageShowsNothingUntilTheTokenIsGiven() {
        serve("open-sesame");
        String id = server.train("secret-model", TestServer.params().put("epochs", 3));
        server.awaitState(id, "COMPLETED");

        page.open(server.url());
        page.shown(By.id("token-input"));
        assertThat(page.find(By.id("view")).isDisplayed())
                .as("nothing behind the gate is shown")
                .isFalse();
        assertThat(page.text(By.tagName("body"))).doesNotContain("secret-model", "EpochModule");
        assertThat(page.all(By.cssSelector("#trainings-rows tr"))).isEmpty();
        page.screenshot("token-gate");

        page.type(By.id("token-input"), "wrong-token");
        page.find(By.id("token-submit")).click();
        page.awaitText(By.cssSelector(".gate-error"), "The bearer token is not valid for this server");
        assertThat(page.text(By.tagName("body"))).doesNotContain("secret-model");

        page.type(By.id("token-input"), "open-sesame");
        page.find(By.id("token-submit")).click();
        By row = By.cssSelector("#trainings-rows tr[data-id='" + id + "']");
        page.awaitAttribute(row, "data-state", "COMPLETED");
        assertThat(page.text(row)).contains("secret-model");
        page.shown(By.cssSelector(".live[data-state='up']"));

        page.go("#/trainings/" + id);
        page.awaitAttribute(By.cssSelector("figure.chart[data-metric='loss']"), "data-points", "3");
        awaitLogShown(id, "No log output was captured for this training.");

        browser.driver().navigate().refresh();
        page.awaitAttribute(By.cssSelector(".training-actions .state"), "data-state", "COMPLETED");
        assertThat(page.find(By.id("auth-gate")).isDisplayed())
                .as("the tab keeps its token")
                .isFalse();

        page.shown(By.id("sign-out")).click();
        page.shown(By.id("token-input"));
        assertThat(page.text(By.tagName("body"))).doesNotContain("secret-model");
    }

    @Test
    void theTableShowsEveryStateAndTheLoadAndFollowsChangesLive() {
        serve(null);
        String data = server.dataFile("reviews.jsonl", 500);
        ObjectNode quick = TestServer.params().put("epochs", 6);
        quick.putObject("training_data")
                .putObject("data_stream")
                .putObject("file")
                .put("filename", data);
        server.awaitState(server.train("baseline", quick), "COMPLETED");
        String errored = server.train(
                "too-hot",
                TestServer.params().put("epochs", 10).put("learning_rate", 2.5).put("fail_at_epoch", 3));
        server.awaitState(errored, "ERRORED");
        Path stopped = server.gates("stopped");
        String canceled = server.train("abandoned", gated(stopped, 20));
        DashboardServer.openThrough(stopped, 5);
        server.awaitStep(canceled, 5);
        server.http().delete("/management/trainings?training_id=" + canceled);
        server.awaitState(canceled, "CANCELED");
        Path first = server.gates("first");
        Path second = server.gates("second");
        String runningA = server.train("sentiment-large", gated(first, 40));
        String runningB = server.train("sentiment-small", gated(second, 10));
        DashboardServer.openThrough(first, 17);
        DashboardServer.openThrough(second, 3);
        server.awaitStep(runningA, 17);
        server.awaitStep(runningB, 3);
        String queued = server.train("sentiment-xl", gated(server.gates("third"), 60));

        page.open(server.url());
        By rows = By.cssSelector("#trainings-rows tr");
        page.await("six rows", d -> d.findElements(rows).size() == 6);
        assertThat(page.attributes(rows, "data-state"))
                .as("newest first")
                .containsExactly("QUEUED", "RUNNING", "RUNNING", "CANCELED", "ERRORED", "COMPLETED");
        page.awaitAttribute(By.id("stat-RUNNING"), "data-count", "2");
        page.awaitText(By.id("stat-RUNNING"), "of 2 slots busy");
        page.awaitAttribute(By.id("stat-QUEUED"), "data-count", "1");
        page.awaitAttribute(By.id("stat-ALL"), "data-count", "6");
        page.awaitText(By.id("load-glance"), "2 / 2 running");
        page.awaitText(By.id("load-glance"), "1 queued");
        page.awaitText(By.cssSelector("tr[data-id='" + runningA + "']"), "17 / 40");
        page.screenshot("trainings");

        DashboardServer.openThrough(second, 10);
        page.awaitAttribute(By.cssSelector("tr[data-id='" + runningB + "']"), "data-state", "COMPLETED");
        page.awaitAttribute(By.cssSelector("tr[data-id='" + queued + "']"), "data-state", "RUNNING");
        page.awaitAttribute(By.id("stat-COMPLETED"), "data-count", "2");
        page.awaitAttribute(By.id("stat-QUEUED"), "data-count", "0");
        DashboardServer.openThrough(first, 22);
        page.awaitText(By.cssSelector("tr[data-id='" + runningA + "']"), "22 / 40");

        String added = server.train("late-arrival", gated(server.gates("late"), 5));
        page.await(
                "the new training on top",
                d -> added.equals(d.findElements(rows).get(0).getDomAttribute("data-id")));
        page.awaitAttribute(By.id("stat-ALL"), "data-count", "7");

        page.find(By.id("stat-RUNNING")).click();
        page.await(
                "only running trainings",
                d -> d.findElements(rows).size() == 2
                        && d.findElements(rows).stream()
                                .allMatch(r -> "RUNNING".equals(r.getDomAttribute("data-state"))));
        page.screenshot("trainings-running-filter");
        assertThat(page.neverReloaded())
                .as("the table followed every change without reloading")
                .isTrue();
        assertThat(page.attribute(By.cssSelector("a.chip[data-filter='RUNNING']"), "class"))
                .contains("active");

        page.go("#/trainings/" + errored);
        page.awaitAttribute(By.cssSelector(".training-actions .state"), "data-state", "ERRORED");
        page.awaitText(By.id("errors"), "Loss diverged at epoch 3: learning rate 2.5 is too high for this data");
        page.awaitText(By.id("errors"), "java.lang.IllegalStateException");
        page.find(By.cssSelector("#errors details summary")).click();
        page.awaitText(By.cssSelector("#errors details pre"), "at dev.kiln.server.dashboard.EpochModule.train");
        page.awaitText(By.id("training-progress"), "Failed at step 2 of 10");
        page.awaitAttribute(By.cssSelector("figure.chart[data-metric='loss']"), "data-points", "2");
        page.screenshot("training-errored");

        page.go("#/");
        page.await("every row again", d -> d.findElements(rows).size() == 7);
        Dimension wide = browser.driver().manage().window().getSize();
        try {
            browser.driver().manage().window().setSize(new Dimension(420, 900));
            page.await(
                    "the narrow layout",
                    d -> !d.findElement(By.cssSelector("th.col-submitted")).isDisplayed());
            assertThat(page.fitsWidth()).as("the page fits a phone's width").isTrue();
            page.screenshot("trainings-narrow");
        } finally {
            browser.driver().manage().window().setSize(wide);
        }
    }

    private static ObjectNode gated(Path gates, int epochs) {
        return TestServer.params().put("epochs", epochs).put("gate_dir", gates.toString());
    }
}
