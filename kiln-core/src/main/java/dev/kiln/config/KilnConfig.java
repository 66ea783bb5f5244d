package dev.kiln.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.error.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kiln's configuration, in caikit's keys and layers: built-in defaults &lt; YAML files (named in
 * {@code CONFIG_FILES}, comma-separated, or passed explicitly) &lt; environment variables by upper-snake path
 * ({@code MODEL_MANAGEMENT_TRAINERS_DEFAULT_CONFIG_RETENTION_DURATION=2h}). As with caikit, an environment
 * variable overrides a key that an earlier layer defines.
 */
public final class KilnConfig {
    /** The environment variable naming config files, comma-separated. */
    public static final String CONFIG_FILES_ENV = "CONFIG_FILES";

    private final ObjectNode root;

    private KilnConfig(ObjectNode root) {
        this.root = root;
    }

    /** Defaults, then the files in {@code CONFIG_FILES}, then the process environment. */
    public static KilnConfig load() {
        return load(List.of(), System.getenv());
    }

    /** Defaults, then {@code CONFIG_FILES} and the given files, then the given environment. */
    public static KilnConfig load(List<Path> files, Map<String, String> env) {
        ObjectNode root = defaults();
        List<Path> all = new ArrayList<>();
        String named = env.get(CONFIG_FILES_ENV);
        if (named != null && !named.isBlank()) {
            for (String f : named.split(",", -1)) {
                if (!f.isBlank()) {
                    all.add(Path.of(f.trim()));
                }
            }
        }
        all.addAll(files);
        for (Path file : all) {
            merge(root, readFile(file));
        }
        applyEnv(root, "", env);
        return new KilnConfig(root);
    }

    /** Only the built-in defaults, ignoring files and environment. */
    public static KilnConfig defaultsOnly() {
        return new KilnConfig(defaults());
    }

    /** Defaults overlaid with a YAML or JSON tree given in code (for tests and embedding). */
    public static KilnConfig of(JsonNode overrides) {
        ObjectNode root = defaults();
        if (overrides != null && overrides.isObject()) {
            merge(root, (ObjectNode) overrides);
        }
        return new KilnConfig(root);
    }

    /** Defaults overlaid with YAML text. */
    public static KilnConfig ofYaml(String yaml) {
        try {
            return of(KilnYaml.mapper().readTree(yaml));
        } catch (IOException e) {
            throw KilnException.invalidArgument("Malformed configuration: " + e.getMessage());
        }
    }

    private static ObjectNode defaults() {
        try (InputStream in = KilnConfig.class.getResourceAsStream("defaults.yml")) {
            return (ObjectNode) KilnYaml.mapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("built-in defaults.yml is unreadable", e);
        }
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw KilnException.notFound("Config file not found: " + file);
        }
        try {
            JsonNode node = KilnYaml.mapper().readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw KilnException.invalidArgument("Config file " + file + " must hold a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw KilnException.invalidArgument("Malformed config file " + file + ": " + e.getMessage());
        }
    }

    /** Deep-merges {@code over} into {@code base}: mappings merge, everything else replaces. */
    static void merge(ObjectNode base, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
                merge(eo, vo);
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static void applyEnv(ObjectNode node, String prefix, Map<String, String> env) {
        Map<String, JsonNode> updates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix.isEmpty() ? envName(e.getKey()) : prefix + "_" + envName(e.getKey());
            if (e.getValue() instanceof ObjectNode child) {
                applyEnv(child, name, env);
            } else if (env.containsKey(name)) {
                updates.put(e.getKey(), parseScalar(env.get(name)));
            }
        }
        updates.forEach(node::set);
    }

    private static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static JsonNode parseScalar(String text) {
        try {
            JsonNode n = KilnYaml.mapper().readTree(text);
            return n == null || n.isMissingNode() ? TextNode.valueOf(text) : n;
        } catch (IOException e) {
            return TextNode.valueOf(text);
        }
    }

    /** The whole configuration tree. */
    public Settings root() {
        return new Settings("", root);
    }

    /** A section by dotted path, such as {@code runtime.http}. */
    public Settings section(String dottedPath) {
        JsonNode node = root;
        for (String part : dottedPath.split("\\.", -1)) {
            node = node == null ? null : node.get(part);
        }
        return new Settings(dottedPath, node);
    }

    /**
     * The trainers under {@code model_management.trainers}, in declaration order.
     *
     * @throws KilnException INVALID_ARGUMENT naming a trainer that has neither {@code type} nor
     *     {@code import_class}
     */
    public Map<String, TrainerConfig> trainers() {
        Settings trainers = section("model_management.trainers");
        Map<String, TrainerConfig> out = new LinkedHashMap<>();
        for (String name : trainers.keys()) {
            Settings t = trainers.section(name);
            String type = t.string("type").orElse(null);
            String importClass = t.string("import_class").orElse(null);
            if (type == null && importClass == null) {
                throw KilnException.invalidArgument(
                        "Trainer " + t.path() + " needs a 'type' (such as LOCAL) or an " + "'import_class'");
            }
            out.put(name, new TrainerConfig(name, type, importClass, t.section("config")));
        }
        return out;
    }

    @Override
    public String toString() {
        return root.toPrettyString();
    }
}
