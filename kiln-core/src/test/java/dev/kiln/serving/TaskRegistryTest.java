package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.error.KilnException;
import dev.kiln.serving.task.TaskNames;
import dev.kiln.serving.task.TaskRegistry;
import dev.kiln.serving.task.TaskSpec;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {
    private final ObjectMapper json = new ObjectMapper();
    private final TaskRegistry tasks = TaskRegistry.standard();

    @Test
    void routeNamesFollowCaikitsRule() {
        assertThat(TaskNames.kebab("TextClassificationTask")).isEqualTo("text-classification");
        assertThat(TaskNames.kebab("SampleTask")).isEqualTo("sample");
        assertThat(TaskNames.kebab("TabularRegressionTask")).isEqualTo("tabular-regression");
        assertThat(TaskNames.className("TextClassification")).isEqualTo("TextClassificationTask");
        assertThat(tasks.routeNames())
                .containsExactlyInAnyOrder("text-classification", "tabular-classification", "tabular-regression");
    }

    @Test
    void textClassificationTakesTheTextAsInputsAndAnswersClassificationResultsBestFirst() throws Exception {
        TaskSpec task = tasks.byRoute("text-classification");

        assertThat(task.modelInput(json.readTree("\"win money\"")))
                .isEqualTo(json.readTree("{\"text\":\"win money\"}"));
        JsonNode answer = task.answer(json.readTree("{\"label\":\"spam\",\"scores\":{\"ham\":0.25,\"spam\":0.75}}"));
        assertThat(answer)
                .isEqualTo(json.readTree(
                        "{\"results\":[{\"label\":\"spam\",\"score\":0.75},{\"label\":\"ham\",\"score\":0.25}]}"));
    }

    @Test
    void inputsThatDoNotFitAreRefusedNamingTheField() throws Exception {
        TaskSpec text = tasks.byRoute("text-classification");
        assertThatThrownBy(() -> text.modelInput(json.readTree("42")))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("'inputs'");
        assertThatThrownBy(() -> text.modelInput(json.readTree("{\"blah\":\"x\"}")))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("inputs.blah");
        assertThatThrownBy(() -> tasks.byRoute("tabular-regression").modelInput(json.readTree("[1]")))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("'inputs'");
        assertThatThrownBy(() -> tasks.byRoute("nope")).hasMessageContaining("'nope'");
    }

    @Test
    void regressionAnswersAValue() throws Exception {
        assertThat(tasks.byRoute("tabular-regression").answer(json.readTree("{\"value\":2.5}")))
                .isEqualTo(json.readTree("{\"value\":2.5}"));
    }
}
