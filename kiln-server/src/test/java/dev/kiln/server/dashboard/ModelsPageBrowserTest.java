package dev.kiln.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.KeywordClassifier;
import dev.kiln.server.testing.TestServer;
import dev.kiln.trainer.TrainerFactory;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * The Models page in a real browser (headless Chromium) against a real server: from a completed training to the
 * model it serves, its facts, the try-it box running an inference, a model that cannot load, and the pages at a
 * phone's width. Screenshots go to {@code target/screenshots}.
 */
class ModelsPageBrowserTest extends BrowserTestBase {
    private static final String TRAIN = "/api/v1/TextClassificationTaskKeywordClassifierTrain";
    private static final String RECORDS = "[{\"text\":\"win money now\",\"label\":\"spam\"},"
            + "{\"text\":\"free money prize\",\"label\":\"spam\"},"
            + "{\"text\":\"lunch at noon\",\"label\":\"ham\"},"
            + "{\"text\":\"see you at lunch\",\"label\":\"ham\"}]";

    @TempDir
    Path dir;

    private TestServer server;

    @Override
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private void serve() {
        KilnConfig config = TestServer.config(dir, "");
        ModelManager manager = ModelManager.fromConfig(
                config, TrainerFactory.discover(), new ModuleRegistry(List.of(new KeywordClassifier())));
        server = TestServer.start(KilnServer.builder(config).manager(manager).port(0));
    }

    private String url() {
        return server.server().baseUri() + "/";
    }

    private String train(String modelName) {
        Http.Reply r = server.http()
                .post(
                        TRAIN,
                        "{\"model_name\":\"" + modelName + "\",\"parameters\":{\"training_data\":{\"data\":" + RECORDS
                                + "}}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String id = r.json().get("training_id").asText();
        server.awaitState(id, "COMPLETED");
        return id;
    }

    @Test
    void fromACompletedTrainingToItsModelAndAnInferenceInTheTryItBox() {
        serve();
        String id = train("spam-filter");

        page.open(url() + "#/trainings/" + id);
        page.awaitAttribute(By.cssSelector(".training-actions .state"), "data-state", "COMPLETED");
        page.awaitText(By.id("served-model"), "spam-filter");
        page.screenshot("training-served-model");
        page.find(By.id("served-model")).click();

        page.await("the model's page", d -> page.fragment().equals("#/models/spam-filter"));
        JsonNode info = server.http()
                .get("/info/models?model_ids=spam-filter")
                .json()
                .get("models")
                .get(0);
        By facts = By.id("model-facts");
        page.awaitText(facts, "KeywordClassifier 0.0.1");
        assertThat(page.text(facts))
                .contains(
                        id,
                        info.get("model_path").asText(),
                        humanSize(info.get("size").asLong()));
        assertThat(page.attribute(By.cssSelector("#model-facts a"), "href")).endsWith("#/trainings/" + id);
        assertThat(page.text(By.id("model-in-memory")))
                .as("not loaded before its first inference")
                .isEqualTo(info.at("/metadata/in_memory").asBoolean() ? "yes" : "no");

        page.type(By.id("try-input"), "win a free prize");
        page.find(By.id("try-run")).click();
        By spam = By.cssSelector("#try-results tr[data-label='spam']");
        page.shown(spam);
        JsonNode answer = server.http()
                .post(
                        "/api/v1/task/text-classification",
                        "{\"model_id\":\"spam-filter\",\"inputs\":\"win a free prize\",\"parameters\":{}}")
                .json();
        assertThat(answer.at("/results/0/label").asText()).isEqualTo("spam");
        String score =
                String.format(Locale.ROOT, "%.4f", answer.at("/results/0/score").asDouble());
        assertThat(page.text(spam)).isEqualTo("spam " + score);
        assertThat(page.attributes(By.cssSelector("#try-results tbody tr"), "data-label"))
                .containsExactly("spam", "ham");
        page.screenshot("model-try-it");

        page.go("#/models");
        By row = By.cssSelector("#models tr[data-model='spam-filter']");
        page.awaitText(row, "KeywordClassifier");
        JsonNode loaded = server.http()
                .get("/info/models?model_ids=spam-filter")
                .json()
                .get("models")
                .get(0);
        assertThat(loaded.at("/metadata/in_memory").asBoolean()).isTrue();
        assertThat(page.text(row)).contains(id, humanSize(loaded.get("size").asLong()), "yes");
        assertThat(page.all(By.cssSelector("#models tr[data-model='" + id + "/spam-filter']")))
                .as("also listed under its training's id")
                .hasSize(1);
        page.screenshot("models");
        assertThat(page.neverReloaded()).isTrue();
        assertThat(page.requestedUrls()).allSatisfy(u -> assertThat(u).startsWith(url()));
    }

    @Test
    void aTrainingWhoseNameANewerTrainingTookLinksToItsOwnModel() {
        serve();
        String first = train("spam-filter");
        String second = train("spam-filter");
        org.awaitility.Awaitility.await()
                .atMost(TestServer.WAIT)
                .until(() -> second.equals(server.http()
                        .get("/info/models?model_ids=spam-filter")
                        .json()
                        .at("/models/0/metadata/training_id")
                        .asText()));

        page.open(url() + "#/trainings/" + first);
        page.awaitAttribute(By.cssSelector(".training-actions .state"), "data-state", "COMPLETED");
        page.awaitText(By.id("served-model"), first + "/spam-filter");
        page.find(By.id("served-model")).click();
        page.await(
                "the first training's model",
                d -> URLDecoder.decode(page.fragment(), StandardCharsets.UTF_8)
                        .equals("#/models/" + first + "/spam-filter"));
        page.awaitText(By.id("model-facts"), first);

        page.go("#/trainings/" + second);
        page.awaitText(By.id("training-id"), second);
        page.awaitText(By.id("served-model"), "spam-filter");
        assertThat(page.attribute(By.id("served-model"), "href")).endsWith("#/models/spam-filter");
    }

    @Test
    void aModelThatCannotLoadShowsTheServersReason() throws IOException {
        serve();
        String id = train("spam-filter");
        Path saved = Path.of(server.http()
                .get("/management/trainings/" + id)
                .json()
                .get("save_path")
                .asText());
        String config = Base64.getEncoder().encodeToString(Files.readAllBytes(saved.resolve("config.yml")));
        Http.Reply deployed = server.http()
                .post(
                        "/management/models",
                        "{\"model_id\":\"hollow\",\"model_files\":[{\"filename\":\"config.yml\",\"data\":\"" + config
                                + "\"}]}");
        assertThat(deployed.status())
                .as("a model that does not load is refused at deploy: %s", deployed)
                .isEqualTo(400);
        assertThat(deployed.json().get("details").asText()).contains("hollow");

        // the same files put straight into the local models directory are served until their first load fails
        Path hollow = Files.createDirectories(dir.resolve("local-models").resolve("hollow"));
        Files.copy(saved.resolve("config.yml"), hollow.resolve("config.yml"));
        server.close();
        serve();
        train("spam-filter");
        Http.Reply refused = server.http()
                .post(
                        "/api/v1/task/text-classification",
                        "{\"model_id\":\"hollow\",\"inputs\":\"win a free prize\",\"parameters\":{}}");
        String reason = refused.json().get("details").asText();
        assertThat(reason).contains("hollow");

        page.open(url() + "#/models/hollow");
        page.type(By.id("try-input"), "win a free prize");
        page.find(By.id("try-run")).click();
        page.awaitText(By.id("try-error"), reason);
        assertThat(page.all(By.id("try-results"))).isEmpty();
        page.screenshot("model-try-it-error");
        assertThat(browser.consoleErrors())
                .as("the one refused request, and nothing else")
                .allSatisfy(e -> assertThat(e).contains("status of " + refused.status()));

        page.go("#/models/spam-filter");
        page.type(By.id("try-input"), "lunch at noon");
        page.find(By.id("try-run")).click();
        page.shown(By.cssSelector("#try-results tr[data-label='ham']"));
    }

    @Test
    void theModelsPagesFitAPhonesWidth() {
        serve();
        String id = train("a-model-with-a-rather-long-name-for-a-small-screen");
        page.open(url() + "#/models");
        page.awaitText(By.id("models"), id);
        Dimension wide = browser.driver().manage().window().getSize();
        try {
            browser.driver().manage().window().setSize(new Dimension(420, 900));
            assertThat(page.fitsWidth())
                    .as("the models list fits a phone's width")
                    .isTrue();
            page.screenshot("models-narrow");
            page.go("#/models/" + id + "/a-model-with-a-rather-long-name-for-a-small-screen");
            page.shown(By.id("try-input"));
            page.awaitText(By.id("model-facts"), id);
            assertThat(page.fitsWidth())
                    .as("a model's page fits a phone's width")
                    .isTrue();
            page.screenshot("model-narrow");
        } finally {
            browser.driver().manage().window().setSize(wide);
        }
    }

    /** A size as the page shows it. */
    private static String humanSize(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
