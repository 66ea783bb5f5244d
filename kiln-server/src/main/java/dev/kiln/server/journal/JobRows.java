package dev.kiln.server.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Maps journal rows to records and back: times as epoch nanoseconds, errors, metrics, options and attempts as JSON.
 */
final class JobRows {
    /** Every column but the parameters and the logs, which lists leave out. */
    static final String SUMMARY_COLUMNS = "training_id, trainer, module_id, module_name, module_version, module_task,"
            + " module_class, model_name, options, save_path, save_path_existed, state, submitted_ns, started_ns,"
            + " completed_ns, errors, progress_step, progress_total, progress_metrics, progress_ns, priority,"
            + " attempts";

    static final String INSERT = "INSERT OR REPLACE INTO jobs (training_id, trainer, module_id, module_name,"
            + " module_version, module_task, module_class, model_name, parameters, options, save_path,"
            + " save_path_existed, state, submitted_ns, started_ns, completed_ns, errors, progress_step,"
            + " progress_total, progress_metrics, progress_ns, priority, attempts, logs)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)";

    private static final TypeReference<List<JobError>> ERRORS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
    private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {};

    private JobRows() {}

    static void bindInsert(PreparedStatement ps, JobRecord r) throws SQLException {
        JobInfo info = r.info();
        ModuleDescriptor m = r.module();
        ps.setString(1, info.id());
        ps.setString(2, r.trainer());
        ps.setString(3, m.id());
        ps.setString(4, m.name());
        ps.setString(5, m.version());
        ps.setString(6, m.task());
        ps.setString(7, m.moduleClass());
        ps.setString(8, r.modelName());
        ps.setString(9, r.parameters() == null ? null : r.parameters().toString());
        ps.setString(10, optionsJson(r.options()));
        ps.setString(11, r.savePath());
        ps.setInt(12, r.savePathExisted() ? 1 : 0);
        ps.setString(13, info.status().name());
        ps.setLong(14, nanos(info.submitted()));
        setNanos(ps, 15, info.started());
        setNanos(ps, 16, info.completed());
        ps.setString(17, errorsJson(info.errors()));
        Progress p = info.progress();
        if (p == null) {
            ps.setNull(18, Types.INTEGER);
            ps.setNull(19, Types.INTEGER);
            ps.setNull(20, Types.VARCHAR);
            ps.setNull(21, Types.INTEGER);
        } else {
            ps.setLong(18, p.step());
            ps.setLong(19, p.total());
            ps.setString(20, metricsJson(p.metrics()));
            ps.setLong(21, nanos(p.timestamp()));
        }
        ps.setInt(22, r.options().priority());
        ps.setString(23, attemptsJson(info.attempts()));
    }

    /** The record in the current row; reads {@code parameters} only when asked (the column must be selected). */
    static JobRecord read(ResultSet rs, boolean withParameters) throws SQLException {
        ModuleDescriptor module = new ModuleDescriptor(
                rs.getString("module_id"),
                rs.getString("module_name"),
                rs.getString("module_version"),
                rs.getString("module_task"),
                rs.getString("module_class"));
        Progress progress = null;
        long step = rs.getLong("progress_step");
        if (!rs.wasNull()) {
            progress = new Progress(
                    step,
                    rs.getLong("progress_total"),
                    metrics(rs.getString("progress_metrics")),
                    instant(rs.getLong("progress_ns")));
        }
        JobInfo info = new JobInfo(
                rs.getString("training_id"),
                JobStatus.valueOf(rs.getString("state")),
                errors(rs.getString("errors")),
                instant(rs.getLong("submitted_ns")),
                nullableInstant(rs, "started_ns"),
                nullableInstant(rs, "completed_ns"),
                progress,
                attempts(rs.getString("attempts")));
        JsonNode parameters = withParameters ? json(rs.getString("parameters")) : null;
        return new JobRecord(
                rs.getString("trainer"),
                module,
                rs.getString("model_name"),
                parameters,
                options(rs.getString("options")).withPriority(rs.getInt("priority")),
                rs.getString("save_path"),
                rs.getInt("save_path_existed") != 0,
                info);
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static void setNanos(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, nanos(t));
        }
    }

    private static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : instant(v);
    }

    static String errorsJson(List<JobError> errors) {
        return write(errors == null ? List.of() : errors);
    }

    static String metricsJson(Map<String, Double> metrics) {
        return write(metrics);
    }

    static Map<String, Double> metrics(String json) throws SQLException {
        return json == null ? Map.of() : parse(json, METRICS);
    }

    static String attemptsJson(List<Attempt> attempts) {
        return write(attempts == null ? List.of() : attempts);
    }

    /** The attempts a row holds; none for a row written before attempts were kept. */
    private static List<Attempt> attempts(String json) throws SQLException {
        return json == null ? List.of() : parse(json, ATTEMPTS);
    }

    private static List<JobError> errors(String json) throws SQLException {
        return json == null ? List.of() : parse(json, ERRORS);
    }

    private static String optionsJson(TrainOptions o) {
        ObjectNode node = KilnJson.strict().createObjectNode();
        node.put("save_path", o.savePath() == null ? null : o.savePath().toString());
        node.put("save_with_id", o.saveWithId());
        node.put("external_training_id", o.externalTrainingId());
        node.put("model_name", o.modelName());
        if (o.maxRetries() != null) {
            node.put("max_retries", o.maxRetries());
        }
        return node.toString();
    }

    private static TrainOptions options(String json) throws SQLException {
        JsonNode n = json(json);
        if (n == null) {
            return TrainOptions.none();
        }
        return new TrainOptions(
                        text(n, "save_path") == null ? null : Path.of(text(n, "save_path")),
                        n.path("save_with_id").asBoolean(false),
                        text(n, "external_training_id"),
                        text(n, "model_name"))
                .withMaxRetries(
                        n.hasNonNull("max_retries") ? n.get("max_retries").asInt() : null);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode json(String json) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return KilnJson.strict().readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("a journal row holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) throws SQLException {
        try {
            return KilnJson.strict().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("a journal row holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return KilnJson.strict().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write journal JSON", e);
        }
    }
}
