package dev.kiln.serving.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * caikit's {@code ClassificationResults} ({@code caikit/interfaces/nlp/data_model/classification.py}):
 * {@code {"results": [{"label", "score"}]}}, best score first.
 */
final class ClassificationResults {
    private ClassificationResults() {}

    /** The results for a classifier's output {@code {"label", "scores": {label: score}}}. */
    static ObjectNode of(JsonNode output) {
        List<Map.Entry<String, JsonNode>> scores = new ArrayList<>();
        JsonNode byLabel = output.path("scores");
        byLabel.fields().forEachRemaining(scores::add);
        scores.sort(Comparator.comparingDouble(
                        (Map.Entry<String, JsonNode> e) -> e.getValue().asDouble())
                .reversed());
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode results = answer.putArray("results");
        for (Map.Entry<String, JsonNode> e : scores) {
            results.addObject()
                    .put("label", e.getKey())
                    .put("score", e.getValue().asDouble());
        }
        if (scores.isEmpty() && output.hasNonNull("label")) {
            results.addObject().put("label", output.get("label").asText()).put("score", 1.0);
        }
        return answer;
    }
}
